// Issue 11 (…_move_pcn_membership.sql, …_add_membership.sql): moving a
// practice to another PCN in one action, the current PCN view, and "Add
// organisation" (public.add_membership). For each: what is done, audited and
// told; what is refused with which SQLSTATE and message; a refusal changes
// nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asError, asOk, EMAIL, inTx, MEMBERSHIP, ORG, PERSON, stateDigest, type PersonName, type Tx, type Who } from './fixtures.ts';

const PCN_ROW = (n: number) => `0e000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function digest(tx: Tx): Promise<string> {
  const [row] = await tx<{ pcn: string | null }[]>`
    select md5(string_agg(to_jsonb(pm)::text, ',' order by pm.id)) as pcn from public.pcn_memberships pm`;
  return `${await stateDigest(tx)}:${row!.pcn}`;
}

async function refused(tx: Tx, who: Who | { sub: string | null }, call: (sp: Tx) => Promise<unknown>) {
  const before = await digest(tx);
  const error = await asError(tx, who, call);
  const after = await digest(tx);
  return { code: error.code, message: error.message, hint: error.hint, unchanged: before === after };
}

const move = (practice: string, pcn: string, from: string | null) => (sp: Tx) =>
  sp<{ id: string }[]>`select public.move_pcn_membership(${practice}::uuid, ${pcn}::uuid, ${from}::date) as id`;

async function pcnHistory(tx: Tx, practice: string) {
  return tx`
    select o.ods_code as pcn, to_char(pm.valid_from, 'YYYY-MM-DD') as valid_from, to_char(pm.valid_to, 'YYYY-MM-DD') as valid_to
    from public.pcn_memberships pm join public.organisations o on o.id = pm.pcn_id
    where pm.practice_id = ${practice} order by pm.valid_from`;
}

// ---------------------------------------------------------------- move_pcn_membership

describe('move_pcn_membership', () => {
  it('ends the current relationship the day before and starts the new one; audited; the practice and both PCNs told once each', async () => {
    await inTx(async (tx) => {
      const [moved] = await asOk(tx, 'alex', move(ORG.ZP1001, ORG.ZU102, '2025-01-01'));
      expect(await pcnHistory(tx, ORG.ZP1001)).toEqual([
        { pcn: 'ZU101', valid_from: '2020-07-01', valid_to: '2024-12-31' },
        { pcn: 'ZU102', valid_from: '2025-01-01', valid_to: null },
      ]);
      const audit = await tx`
        select action, actor_id, entity_id, organisation_id, before ->> 'valid_to' as before_to, after ->> 'valid_to' as after_to, reason
        from public.audit_log where entity_type = 'pcn_membership' order by id`;
      expect(audit).toEqual([
        {
          action: 'pcn_membership.move_out',
          actor_id: PERSON.alex,
          entity_id: PCN_ROW(1),
          organisation_id: ORG.ZP1001,
          before_to: null,
          after_to: '2024-12-31',
          reason: 'moved to Hillside PCN (ZU102)',
        },
        {
          action: 'pcn_membership.move_in',
          actor_id: PERSON.alex,
          entity_id: moved!.id,
          organisation_id: ORG.ZP1001,
          before_to: null,
          after_to: null,
          reason: 'moved from Riverside PCN (ZU101)',
        },
      ]);
      const told = await tx`
        select recipient_id, subject, body from public.notifications
        where kind = 'pcn_membership_changed' and recipient_id = any(${Object.values(PERSON)}::uuid[]) -- (other suites commit people of their own)
        order by recipient_id`;
      expect(told).toEqual(
        [PERSON.pat, PERSON.ash, PERSON.lee].sort().map((recipient_id) => ({
          recipient_id,
          subject: 'Riverside Medical Centre (ZP1001) moves from Riverside PCN (ZU101) to Hillside PCN (ZU102)',
          body:
            'Alex Admin recorded that Riverside Medical Centre (ZP1001) moves from Riverside PCN (ZU101) (last day 31/12/2024) ' +
            'to Hillside PCN (ZU102) (from 01/01/2025).',
        })),
      );
    });
  });

  it('the day after the current start is the earliest move; the Support Desk cannot (it reaches no organisations)', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', move(ORG.ZP1003, ORG.ZU103, '2024-04-02'));
      expect(await pcnHistory(tx, ORG.ZP1003)).toEqual([
        { pcn: 'ZU102', valid_from: '2020-07-01', valid_to: '2024-03-31' },
        { pcn: 'ZU101', valid_from: '2024-04-01', valid_to: '2024-04-01' },
        { pcn: 'ZU103', valid_from: '2024-04-02', valid_to: null },
      ]);
      expect(await refused(tx, 'sam', move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
    });
  });

  it('input and state refusals change nothing', async () => {
    await inTx(async (tx) => {
      const unknown = randomUUID();
      expect(await refused(tx, 'alex', move(ORG.ZP1004, ORG.ZU101, null))).toEqual({
        code: '22023',
        message: 'Give the date the practice joins the new PCN.',
        hint: 'It is the first day in the new PCN; the current relationship ends the day before.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(unknown, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: 'PT404',
        message: `No organisation with id ${unknown}.`,
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(ORG.ZP1004, unknown, '2025-01-01'))).toMatchObject({ code: 'PT404', unchanged: true });
      expect(await refused(tx, 'alex', move(ORG.ZU102, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '22023',
        message: 'Only a GP practice can move to a PCN; Hillside PCN (ZU102) is a pcn.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(ORG.ZP1004, ORG.ZP1002, '2025-01-01'))).toMatchObject({
        code: '22023',
        message: 'A practice can only move to a PCN; Bridge Street Surgery (ZP1002) is a practice.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(ORG.ZP1004, ORG.ZU102, '2025-01-01'))).toEqual({
        code: 'PT409',
        message: 'Hill Top Surgery (ZP1004) is already in Hillside PCN (ZU102), since 01/07/2020.',
        hint: 'Choose a different PCN to move to.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(ORG.ZP1003, ORG.ZU102, '2024-04-01'))).toEqual({
        code: '22023',
        message: 'The move date (01/04/2024) must be after 01/04/2024, when Mill Lane Practice (ZP1003) joined Riverside PCN (ZU101).',
        hint: 'Choose 02/04/2024 or later.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', move(ORG.ZP1003, ORG.ZU102, '2023-01-01'))).toMatchObject({ code: '22023', unchanged: true });
      await tx`update public.pcn_memberships set valid_to = '2024-12-31' where id = ${PCN_ROW(5)}`; // ZP1004 leaves ZU102
      expect(await refused(tx, 'alex', move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toEqual({
        code: 'PT409',
        message: 'Hill Top Surgery (ZP1004) is not in a PCN now: there is nothing to move from.',
        hint: 'Use "Add to PCN" instead.',
        unchanged: true,
      });
    });
  });

  it.each<[PersonName, string]>([
    ['chris', 'commissioner without an administrator role'],
    ['casey', 'cluster reviewer'],
    ['robin', 'administrator of another ICB'],
    ['pat', 'practice user'],
    ['ash', 'Provider Approver'],
    ['lee', 'PCN lead'],
  ])('refuses %s (%s)', async (who) => {
    await inTx(async (tx) => {
      expect(await refused(tx, who, move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'You may not move Hill Top Surgery (ZP1004) from Hillside PCN (ZU102) to Riverside PCN (ZU101).',
        unchanged: true,
      });
    });
  });

  it('reach must cover the practice and both PCNs; anon, disabled and pending refused', async () => {
    await inTx(async (tx) => {
      // The new PCN is in another ICB.
      expect(await refused(tx, 'alex', move(ORG.ZP1004, ORG.ZU201, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await refused(tx, 'robin', move(ORG.ZP2001, ORG.ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await refused(tx, 'anon', move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function move_pcn_membership',
        unchanged: true,
      });
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}::uuid, 'left_organisation')`);
      expect(await refused(tx, 'morgan', move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'Your account is disabled: only active accounts can do this.',
        unchanged: true,
      });
      expect(await refused(tx, 'nina', move(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'Your account is pending: only active accounts can do this.',
        unchanged: true,
      });
    });
  });
});

// ---------------------------------------------------------------- current_pcn_memberships

describe('current_pcn_memberships', () => {
  const current = (tx: Tx, who: Who) =>
    asOk(tx, who, (sp) => sp<{ practice: string; pcn: string }[]>`
      select o.ods_code as practice, c.pcn_ods_code as pcn
      from public.current_pcn_memberships c join public.organisations o on o.id = c.practice_id order by 1`);

  it("today's PCN of each practice the caller may see; follows a move dated today", async () => {
    await inTx(async (tx) => {
      expect(await current(tx, 'alex')).toEqual([
        { practice: 'ZP1001', pcn: 'ZU101' },
        { practice: 'ZP1002', pcn: 'ZU101' },
        { practice: 'ZP1003', pcn: 'ZU101' },
        { practice: 'ZP1004', pcn: 'ZU102' },
        { practice: 'ZP1005', pcn: 'ZU103' },
      ]);
      expect(await current(tx, 'pat')).toEqual([{ practice: 'ZP1001', pcn: 'ZU101' }]);
      expect(await current(tx, 'robin')).toEqual([
        { practice: 'ZP2001', pcn: 'ZU201' },
        { practice: 'ZP2002', pcn: 'ZU201' },
      ]);
      expect(await current(tx, 'sam')).toEqual([]);
      const [row] = await tx<{ today: string }[]>`select to_char((now() at time zone 'Europe/London')::date, 'YYYY-MM-DD') as today`;
      await asOk(tx, 'alex', move(ORG.ZP1004, ORG.ZU103, row!.today));
      expect((await current(tx, 'alex')).find((r) => r.practice === 'ZP1004')).toEqual({ practice: 'ZP1004', pcn: 'ZU103' });
      // A move dated in the future leaves today's PCN.
      await asOk(tx, 'alex', move(ORG.ZP1005, ORG.ZU101, '2099-01-01'));
      expect((await current(tx, 'alex')).find((r) => r.practice === 'ZP1005')).toEqual({ practice: 'ZP1005', pcn: 'ZU103' });
    });
  });

  it('anon may not read it; nobody writes through it', async () => {
    await inTx(async (tx) => {
      expect(await asError(tx, 'anon', (sp) => sp`select * from public.current_pcn_memberships`)).toMatchObject({ code: '42501' });
      expect(
        await asError(tx, 'alex', (sp) => sp`delete from public.current_pcn_memberships where practice_id = ${ORG.ZP1001}`),
      ).toMatchObject({ code: '42501' }); // read-only like every view: a privilege refusal, never Postgres' 'cannot update view'
    });
  });
});

// ---------------------------------------------------------------- add_membership

const add = (person: string, org: string, roles: string) => (sp: Tx) =>
  sp<{ id: string; status: string; roles: string[] }[]>`
    select id, status::text, roles::text[] from public.add_membership(${person}::uuid, ${org}::uuid, ${roles}::public.app_role[])`;

describe('add_membership (Add organisation)', () => {
  it('a User Administrator makes a practice person a PCN nominated person: active membership, audited, the person told', async () => {
    await inTx(async (tx) => {
      const [added] = await asOk(tx, 'alex', add(PERSON.pat, ORG.ZU101, '{declaration_management}'));
      expect(added).toMatchObject({ status: 'active', roles: ['declaration_management'] });
      const [row] = await tx`
        select profile_id, organisation_id, invited_by, decided_by from public.memberships where id = ${added!.id}`;
      expect(row).toEqual({ profile_id: PERSON.pat, organisation_id: ORG.ZU101, invited_by: PERSON.alex, decided_by: PERSON.alex });
      const audit = await tx`
        select action, actor_id, organisation_id, subject_profile_id from public.audit_log where entity_id = ${added!.id}`;
      expect(audit).toEqual([{ action: 'membership.add', actor_id: PERSON.alex, organisation_id: ORG.ZU101, subject_profile_id: PERSON.pat }]);
      const told = await tx`select recipient_id, subject, body, link from public.notifications where kind = 'membership_added'`;
      expect(told).toEqual([
        {
          recipient_id: PERSON.pat,
          subject: 'You have been added to Riverside PCN',
          body: 'Alex Admin added you to Riverside PCN (ZU101) as Declaration Management.',
          link: '/',
        },
      ]);
      // Pat now reaches the PCN.
      const orgs = await asOk(tx, 'pat', (sp) => sp`select ods_code from public.my_organisations order by ods_code`);
      expect(orgs.map((o) => o.ods_code)).toEqual(['ZP1001', 'ZU101']);
    });
  });

  it('the Support Desk adds too; a rejected request is replaced', async () => {
    await inTx(async (tx) => {
      const [req] = await asOk(tx, 'pat', (sp) => sp<{ id: string }[]>`select id from public.request_access(${ORG.ZP1002}::uuid, '{claim_submitter}')`);
      await asOk(tx, 'alex', (sp) => sp`select public.reject_access_request(${req!.id}::uuid, 'Not at this practice')`);
      const [added] = await asOk(tx, 'sam', add(PERSON.pat, ORG.ZP1002, '{view}'));
      expect(added).toMatchObject({ id: req!.id, status: 'active', roles: ['view'] });
    });
  });

  it('refuses an existing membership and says what to do instead', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZP1001, '{view}'))).toEqual({
        code: 'PT409',
        message: 'Pat Practice already has access to Riverside Medical Centre (ZP1001).',
        hint: 'Use "Edit roles" on that membership to change the roles.',
        unchanged: true,
      });
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.chris}::uuid, null)`);
      expect(await refused(tx, 'alex', add(PERSON.chris, ORG.ZN1, '{commissioning_management}'))).toEqual({
        code: 'PT409',
        message: 'The access of Chris Commissioner to NHS Northshire ICB (ZN1) was revoked.',
        hint: 'Use "Enable" on that membership instead, then change its roles if needed.',
        unchanged: true,
      });
      await asOk(tx, 'pat', (sp) => sp`select public.request_access(${ORG.ZP1002}::uuid, '{claim_submitter}')`);
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZP1002, '{view}'))).toEqual({
        code: 'PT409',
        message: 'Pat Practice has asked for access to Bridge Street Surgery (ZP1002).',
        hint: 'Approve or reject the access request instead.',
        unchanged: true,
      });
    });
  });

  it('refuses disabled, pending and own accounts, and unknown or invisible people', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.pat}::uuid, 'left_organisation')`);
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZU101, '{declaration_management}'))).toEqual({
        code: 'PT409',
        message: 'The account of Pat Practice is disabled.',
        hint: 'Enable the account first, then add the organisation.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', add(PERSON.nina, ORG.ZP1002, '{claim_submitter}'))).toMatchObject({
        code: 'PT409',
        message: 'Nina Newman has registered and is waiting for approval.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', add(PERSON.alex, ORG.ZN1E, '{user_administrator}'))).toEqual({
        code: '42501',
        message: 'You cannot add an organisation to your own account.',
        hint: 'Request access from your profile page; another administrator decides it.',
        unchanged: true,
      });
      const unknown = randomUUID();
      expect(await refused(tx, 'alex', add(unknown, ORG.ZU101, '{view}'))).toEqual({
        code: 'PT404',
        message: `No person with id ${unknown}.`,
        hint: 'Reload the list of people.',
        unchanged: true,
      });
      // Harper works in Southvale: Alex cannot see her.
      expect(await refused(tx, 'alex', add(PERSON.harper, ORG.ZU101, '{view}'))).toMatchObject({ code: 'PT404', unchanged: true });
      expect(await refused(tx, 'alex', add(PERSON.lee, unknown, '{view}'))).toMatchObject({
        code: 'PT404',
        message: `No organisation with id ${unknown}.`,
        unchanged: true,
      });
    });
  });

  it('roles: the side of the organisation, segregation of duties, at least one', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZU101, '{finance}'))).toMatchObject({
        code: '22023',
        message: 'Cannot ask for these roles: finance is a commissioner role; ZU101 (pcn) is a provider organisation.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', add(PERSON.chris, ORG.ZN1E, '{approver_tier_1,approver_tier_2}'))).toEqual({
        code: '23514',
        message: 'Segregation of duties: one person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation.',
        hint: 'Give the person one of the two roles; another person must hold the other.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZU101, '{}'))).toMatchObject({
        code: '22023',
        message: 'Choose at least one role.',
        unchanged: true,
      });
    });
  });

  it.each<[PersonName, string, string, string]>([
    ['chris', 'no administrator role', PERSON.pat, ORG.ZU101],
    ['pat', 'practice user', PERSON.ash, ORG.ZU101],
    ['lee', 'PCN lead', PERSON.pat, ORG.ZU101],
    ['robin', 'another ICB: sees Harper, does not reach Riverside PCN', PERSON.harper, ORG.ZU101],
    ['casey', 'cluster reviewer', PERSON.pat, ORG.ZU101],
  ])('refuses %s (%s)', async (who, _why, person, org) => {
    await inTx(async (tx) => {
      const outcome = await refused(tx, who, add(person, org, '{declaration_management}'));
      expect(outcome.unchanged).toBe(true);
      expect(['42501', 'PT404']).toContain(outcome.code);
    });
  });

  it('commissioner administrator roles need an Advanced User Administrator or the Support Desk; anon and disabled refused', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'alex', add(PERSON.chris, ORG.ZN1E, '{user_administrator}'))).toEqual({
        code: '42501',
        message: 'You may not add people to Northshire East (ZN1E) as User Administrator.',
        hint: 'Commissioner administrators are added by the Support Desk or an Advanced User Administrator.',
        unchanged: true,
      });
      await asOk(tx, 'sam', add(PERSON.chris, ORG.ZN1E, '{user_administrator}'));
      expect(await refused(tx, 'robin', add(PERSON.harper, ORG.ZU101, '{view}'))).toMatchObject({
        code: '42501',
        message: 'You may not add people to Riverside PCN (ZU101) as View.',
        unchanged: true,
      });
      expect(await refused(tx, 'anon', add(PERSON.pat, ORG.ZU101, '{view}'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function add_membership',
        unchanged: true,
      });
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.alex}::uuid, 'left_organisation')`);
      expect(await refused(tx, 'alex', add(PERSON.pat, ORG.ZU101, '{view}'))).toMatchObject({
        code: '42501',
        message: 'Your account is disabled: only active accounts can do this.',
        unchanged: true,
      });
      expect(EMAIL.pat).toBe('practice.user@riverside.example');
    });
  });
});
