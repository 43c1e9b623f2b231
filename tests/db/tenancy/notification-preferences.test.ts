// Issue 11 (…_notification_preferences.sql): each person chooses, per kind of
// message, email or portal only (public.set_notification_preferences). A
// portal-only notification still reaches the message centre but is stamped
// email_skipped_at when queued, so the sender never emails (or retries) it.
// (rls-matrix.test.ts holds the table's persona × verb matrix.)
import { describe, expect, it } from 'vitest';
import { ALWAYS_EMAILED_KINDS } from '../../../src/resources/profile/notification-groups.ts';
import { as, asOk, expectRefused, inTx, MEMBERSHIP, PERSON, type Tx } from './fixtures.ts';

const setPrefs = (kinds: string | null, delivery: string | null) => (sp: Tx) =>
  sp<{ kind: string; delivery: string }[]>`
    select kind::text, delivery::text from public.set_notification_preferences(${kinds}::public.notification_kind[], ${delivery}::public.notification_delivery)`;

async function latest(tx: Tx, recipient: string, kind: string) {
  const [row] = await tx<{ emailed_at: Date | null; email_skipped: boolean }[]>`
    select emailed_at, email_skipped_at is not null as email_skipped from public.notifications
    where recipient_id = ${recipient} and kind = ${kind}::public.notification_kind order by created_at desc, id desc limit 1`;
  return row;
}

describe('set_notification_preferences', () => {
  it('a person sets kinds to portal only and back; returns all their preferences; audited when something changes', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'pat', setPrefs('{roles_changed,cluster_changed}', 'portal_only'))).toEqual([
        { kind: 'roles_changed', delivery: 'portal_only' },
        { kind: 'cluster_changed', delivery: 'portal_only' },
      ]);
      expect(await asOk(tx, 'pat', setPrefs('{cluster_changed}', 'email'))).toEqual([
        { kind: 'roles_changed', delivery: 'portal_only' },
        { kind: 'cluster_changed', delivery: 'email' },
      ]);
      await asOk(tx, 'pat', setPrefs('{cluster_changed}', 'email')); // no change: no audit entry
      const audit = await tx`
        select action, actor_id, subject_profile_id, jsonb_array_length(after) as n
        from public.audit_log where action = 'notification_preferences.set' order by id`;
      expect(audit).toEqual([
        { action: 'notification_preferences.set', actor_id: PERSON.pat, subject_profile_id: PERSON.pat, n: 2 },
        { action: 'notification_preferences.set', actor_id: PERSON.pat, subject_profile_id: PERSON.pat, n: 1 },
      ]);
      // Pat reads the entries about themselves.
      const own = await asOk(tx, 'pat', (sp) => sp`select action from public.audit_log where action = 'notification_preferences.set'`);
      expect(own).toHaveLength(2);
    });
  });

  it('choosing portal only stamps the rows of that kind still waiting for the sender; sent rows, other kinds and other people keep theirs', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.assign_roles(${MEMBERSHIP.pat}::uuid, '{claim_submitter,view}')`);
      await asOk(tx, 'alex', (sp) => sp`select public.assign_roles(${MEMBERSHIP.ash}::uuid, '{provider_approver}')`);
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.pat}::uuid, null)`);
      const [sent] = await tx<{ id: string }[]>`
        insert into public.notifications (recipient_id, kind, subject, body, link, emailed_at)
        values (${PERSON.pat}, 'roles_changed', 'Sent earlier', 'Already emailed.', '/', now()) returning id`;

      // Only this transaction's rows (created_at = now()): other test files commit Pat rows of their own,
      // which their own sender runs may be emailing meanwhile.
      const waiting = (
        await tx<{ id: string }[]>`
          select id from public.notifications
          where recipient_id = ${PERSON.pat} and kind = 'roles_changed' and created_at = now()
            and emailed_at is null and email_skipped_at is null`
      ).map((row) => row.id);
      expect(waiting.length).toBeGreaterThan(0);

      await asOk(tx, 'pat', setPrefs('{roles_changed}', 'portal_only'));
      const pats = await tx<{ email_skipped: boolean; emailed: boolean }[]>`
        select email_skipped_at is not null as email_skipped, emailed_at is not null as emailed
        from public.notifications where id = any (${waiting}::uuid[])`;
      expect(pats).toHaveLength(waiting.length);
      expect(pats.every((row) => row.email_skipped && !row.emailed)).toBe(true);
      const [sentRow] = await tx`select email_skipped_at from public.notifications where id = ${sent!.id}`;
      expect(sentRow).toEqual({ email_skipped_at: null });
      expect(await latest(tx, PERSON.pat, 'membership_revoked')).toEqual({ emailed_at: null, email_skipped: false });
      expect(await latest(tx, PERSON.ash, 'roles_changed')).toEqual({ emailed_at: null, email_skipped: false });
    });
  });

  it('the profile page lists as always emailed exactly the kinds the database always emails', async () => {
    await inTx(async (tx) => {
      const [row] = await tx<{ kinds: string[] }[]>`select private.always_emailed_kinds()::text[] as kinds`;
      expect([...row!.kinds].sort()).toEqual([...ALWAYS_EMAILED_KINDS].sort());
    });
  });

  it('a portal-only kind is not emailed but is in the message centre; other kinds and other people are emailed as before', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'pat', setPrefs('{roles_changed}', 'portal_only'));
      await asOk(tx, 'alex', (sp) => sp`select public.assign_roles(${MEMBERSHIP.pat}::uuid, '{claim_submitter,view}')`);
      expect(await latest(tx, PERSON.pat, 'roles_changed')).toEqual({ emailed_at: null, email_skipped: true });
      const inPortal = await asOk(tx, 'pat', (sp) => sp`select subject from public.notifications where kind = 'roles_changed'`);
      expect(inPortal).toEqual([{ subject: 'Your roles at Riverside Medical Centre changed' }]);
      // Ash has no preference: emailed.
      await asOk(tx, 'alex', (sp) => sp`select public.assign_roles(${MEMBERSHIP.ash}::uuid, '{provider_approver}')`);
      expect(await latest(tx, PERSON.ash, 'roles_changed')).toEqual({ emailed_at: null, email_skipped: false });
      // Another kind for Pat: emailed.
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.pat}::uuid, null)`);
      expect(await latest(tx, PERSON.pat, 'membership_revoked')).toEqual({ emailed_at: null, email_skipped: false });
      // Back to email: the next one is emailed.
      await asOk(tx, 'pat', setPrefs('{roles_changed}', 'email'));
      await asOk(tx, 'alex', (sp) => sp`select public.enable_membership(${MEMBERSHIP.pat}::uuid)`);
      await asOk(tx, 'alex', (sp) => sp`select public.assign_roles(${MEMBERSHIP.pat}::uuid, '{claim_submitter}')`);
      // (One transaction: the rows share created_at.) The first skipped, the second for the sender.
      const rows = await tx`
        select body, email_skipped_at is not null as email_skipped from public.notifications
        where recipient_id = ${PERSON.pat} and kind = 'roles_changed' order by email_skipped_at nulls last`;
      expect(rows).toEqual([
        { body: 'Alex Admin changed your roles at Riverside Medical Centre (ZP1001) to: Claim Submitter, View.', email_skipped: true },
        { body: 'Alex Admin changed your roles at Riverside Medical Centre (ZP1001) to: Claim Submitter.', email_skipped: false },
      ]);
      // The sender's query picks up the second only.
      const [count] = await tx<{ n: number }[]>`
        select count(*)::int as n from public.notifications where emailed_at is null and email_skipped_at is null
          and recipient_id = ${PERSON.pat} and kind = 'roles_changed'`;
      expect(count!.n).toBe(1);
    });
  });

  it('always-emailed kinds stay emailed, even with a row written behind the function', async () => {
    await inTx(async (tx) => {
      await tx`insert into public.notification_preferences (profile_id, kind, delivery) values (${PERSON.pat}, 'account_disabled', 'portal_only')`;
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.pat}::uuid, 'left_organisation')`);
      expect(await latest(tx, PERSON.pat, 'account_disabled')).toEqual({ emailed_at: null, email_skipped: false });
    });
  });

  it('refuses bad input and always-emailed kinds, changing nothing', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'pat', setPrefs('{invitation,roles_changed}', 'portal_only'))).toEqual({
        code: '22023',
        message: 'Messages of kind invitation are always emailed.',
        hint: 'Invitations, registration decisions and account disable/enable are always emailed; choose other kinds.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'pat', setPrefs('{}', 'portal_only'))).toMatchObject({
        code: '22023',
        message: 'Choose at least one kind of message.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'pat', setPrefs('{roles_changed}', null))).toMatchObject({
        code: '22023',
        message: 'Choose how to receive these messages: email or portal_only.',
        unchanged: true,
      });
      const bad = await as(tx, 'pat', setPrefs('{no_such_kind}', 'email'));
      expect(bad).toMatchObject({ ok: false, error: { code: '22P02' } });
    });
  });

  it('anon, a disabled account and a pending registration are refused', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'anon', setPrefs('{roles_changed}', 'portal_only'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function set_notification_preferences',
        unchanged: true,
      });
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}::uuid, 'left_organisation')`);
      expect(await expectRefused(tx, 'morgan', setPrefs('{roles_changed}', 'portal_only'))).toMatchObject({
        code: '42501',
        message: 'Your account is disabled: only active accounts can do this.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'nina', setPrefs('{roles_changed}', 'portal_only'))).toMatchObject({
        code: '42501',
        message: 'Your account is pending: only active accounts can do this.',
        unchanged: true,
      });
    });
  });
});
