// The people actions (RPC): registrations, access requests, invitations,
// revoking/enabling memberships, roles, disabling/enabling accounts. For each:
// the happy path (state, audit trail, outbox), and every refusal — wrong
// role, wrong state, bad input, segregation of duties, generic mailbox — with
// its SQLSTATE and message, leaving the database exactly as it was.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asOk, EMAIL, expectRefused, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx, type Who } from './fixtures.ts';

async function reach(tx: Tx, who: Who | { sub: string }): Promise<string[]> {
  const rows = await asOk(tx, who, (sp) => sp<{ ods_code: string }[]>`
    select o.ods_code from public.organisations o where o.id = any (array(select private.reachable_organisations())) order by 1`);
  return rows.map((r) => r.ods_code);
}

async function profile(tx: Tx, id: string) {
  const [row] = await tx`select status, rejection_reason, disable_reason, disable_reason_text, status_before_disable from public.profiles where id = ${id}`;
  return row;
}

async function membershipOf(tx: Tx, person: string, org: string) {
  const [row] = await tx`
    select id, status, roles::text[] as roles, decided_by, decision_reason from public.memberships
    where profile_id = ${person} and organisation_id = ${org}`;
  return row;
}

async function auditFor(tx: Tx, entityId: string) {
  return tx`select action, actor_id, subject_profile_id, before ->> 'status' as before_status, after ->> 'status' as after_status, reason
            from public.audit_log where entity_id = ${entityId} order by id`;
}

async function notes(tx: Tx, recipient: string) {
  return tx`select kind, subject, body from public.notifications where recipient_id = ${recipient} order by created_at, kind`;
}

/** A signed-up pending person asking for `roles` at `ods`; returns the profile id. */
async function registration(tx: Tx, email: string, fullName: string | null, ods?: string, roles?: string[]): Promise<string> {
  const id = randomUUID();
  const meta = { ...(fullName ? { full_name: fullName } : {}), ...(ods ? { ods_code: ods, roles } : {}) };
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, '',
            '{"provider":"email","providers":["email"]}', ${tx.json(meta)}, now(), now())`;
  return id;
}

const approveRegistration = (id: string) => (sp: Tx) => sp`select status from public.approve_registration(${id}::uuid)`;
const rejectRegistration = (id: string, reason: string | null) => (sp: Tx) =>
  sp`select status from public.reject_registration(${id}::uuid, ${reason}::text)`;
const requestAccess = (org: string, roles: string) => (sp: Tx) =>
  sp<{ id: string; status: string }[]>`select id, status from public.request_access(${org}::uuid, ${roles}::public.app_role[])`;
const approveRequest = (id: string) => (sp: Tx) => sp`select status from public.approve_access_request(${id}::uuid)`;
const rejectRequest = (id: string, reason: string | null) => (sp: Tx) => sp`select status from public.reject_access_request(${id}::uuid, ${reason}::text)`;
const invite = (email: string, name: string | null, org: string, roles: string) => (sp: Tx) =>
  sp<{ id: string; profile_id: string; status: string }[]>`
    select id, profile_id, status from public.invite_user(${email}::text, ${name}::text, ${org}::uuid, ${roles}::public.app_role[])`;
const revoke = (id: string, reason: string | null = null) => (sp: Tx) => sp`select status from public.revoke_membership(${id}::uuid, ${reason}::text)`;
const enable = (id: string) => (sp: Tx) => sp`select status from public.enable_membership(${id}::uuid)`;
const assignRoles = (id: string, roles: string) => (sp: Tx) =>
  sp<{ roles: string[] }[]>`select roles::text[] as roles from public.assign_roles(${id}::uuid, ${roles}::public.app_role[])`;
const disable = (id: string, reason: string | null, text: string | null = null) => (sp: Tx) =>
  sp`select status from public.disable_account(${id}::uuid, ${reason}::public.disable_reason, ${text}::text)`;
const enableAccount = (id: string) => (sp: Tx) => sp`select status from public.enable_account(${id}::uuid)`;

describe('who may call actions at all', () => {
  it('anon cannot execute them; a token without a user, or an inactive account, is refused', async () => {
    await inTx(async (tx) => {
      const anon = await expectRefused(tx, 'anon', approveRegistration(PERSON.nina));
      expect(anon).toMatchObject({ code: '42501', message: 'permission denied for function approve_registration', unchanged: true });
      const noUser = await expectRefused(tx, { sub: null }, approveRegistration(PERSON.nina));
      expect(noUser).toMatchObject({ code: '42501', message: 'Sign in to do this.', unchanged: true });
      const pending = await expectRefused(tx, 'nina', requestAccess(ORG.ZP2002, '{view}'));
      expect(pending).toMatchObject({ code: '42501', message: 'Your account is pending: only active accounts can do this.', unchanged: true });
      await asOk(tx, 'sam', disable(PERSON.alex, 'security_concern'));
      const disabled = await expectRefused(tx, 'alex', approveRegistration(PERSON.nina));
      expect(disabled).toMatchObject({ code: '42501', message: 'Your account is disabled: only active accounts can do this.', unchanged: true });
    });
  });
});

describe('approve_registration', () => {
  it('a User Administrator above the practice approves: account and requested access become active; audit and outbox written', async () => {
    await inTx(async (tx) => {
      const [membership] = await tx`select id from public.memberships where profile_id = ${PERSON.nina}`;
      expect(await reach(tx, 'nina')).toEqual([]);
      const result = await asOk(tx, 'alex', approveRegistration(PERSON.nina));
      expect(result).toEqual([{ status: 'active' }]);
      expect(await profile(tx, PERSON.nina)).toMatchObject({ status: 'active' });
      expect(await membershipOf(tx, PERSON.nina, ORG.ZP1002)).toMatchObject({ status: 'active', decided_by: PERSON.alex, roles: ['claim_submitter'] });
      expect(await auditFor(tx, PERSON.nina)).toEqual([
        { action: 'registration.submit', actor_id: null, subject_profile_id: PERSON.nina, before_status: null, after_status: null, reason: null },
        { action: 'registration.approve', actor_id: PERSON.alex, subject_profile_id: PERSON.nina, before_status: 'pending', after_status: 'active', reason: null },
      ]);
      expect(await auditFor(tx, membership!.id)).toEqual([
        { action: 'membership.approve', actor_id: PERSON.alex, subject_profile_id: PERSON.nina, before_status: 'requested', after_status: 'active', reason: null },
      ]);
      expect(await notes(tx, PERSON.nina)).toEqual([
        { kind: 'registration_approved', subject: 'Your registration has been approved', body: 'Your account has been approved by Alex Admin. You can now sign in.' },
      ]);
      expect(await reach(tx, 'nina')).toEqual(['ZP1002']);
    });
  });

  it('a commissioner administrator account is approved by the Support Desk only', async () => {
    await inTx(async (tx) => {
      const refused = await expectRefused(tx, 'alex', approveRegistration(PERSON.dana));
      expect(refused).toMatchObject({
        code: '42501',
        message: 'You may not approve access to NHS Southvale ICB (ZS1) as User Administrator.',
        hint: 'Commissioner administrator accounts are approved by the Support Desk.',
        unchanged: true,
      });
      const robin = await expectRefused(tx, 'robin', approveRegistration(PERSON.dana));
      expect(robin).toMatchObject({ code: '42501', unchanged: true });
      expect(await asOk(tx, 'sam', approveRegistration(PERSON.dana))).toEqual([{ status: 'active' }]);
      expect(await membershipOf(tx, PERSON.dana, ORG.ZS1)).toMatchObject({ status: 'active', roles: ['user_administrator'] });
    });
  });

  it('in a two-step practice its Provider Approver may approve; elsewhere not', async () => {
    await inTx(async (tx) => {
      const nell = await registration(tx, 'nell.nurse@riverside.example', 'Nell Nurse', 'ZP1001', ['achievement_entry']);
      expect(await asOk(tx, 'ash', approveRegistration(nell))).toEqual([{ status: 'active' }]);
      const refused = await expectRefused(tx, 'ash', approveRegistration(PERSON.nina));
      expect(refused).toMatchObject({ code: '42501', message: 'You may not approve access to Bridge Street Surgery (ZP1002) as Claim Submitter.', unchanged: true });
    });
  });

  it.each<[PersonName, string]>([
    ['robin', 'another ICB'],
    ['chris', 'no user administration role'],
    ['casey', 'cluster-restricted reviewer'],
    ['pat', 'practice user'],
    ['lee', 'PCN lead'],
    ['jordan', 'revoked membership'],
  ])('refuses %s (%s) and changes nothing', async (who) => {
    await inTx(async (tx) => {
      if (who === 'jordan') await asOk(tx, 'alex', revoke(MEMBERSHIP.jordan));
      const refused = await expectRefused(tx, who, approveRegistration(PERSON.nina));
      expect(refused).toMatchObject({ code: '42501', message: 'You may not approve access to Bridge Street Surgery (ZP1002) as Claim Submitter.', unchanged: true });
    });
  });

  it('refuses a generic mailbox, a registration without a name, the wrong state, an unknown id, and your own', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', approveRegistration(PERSON.reception))).toMatchObject({
        code: '23514',
        message: 'reception@milllane.example is a generic or shared mailbox: accounts need a personal email address.',
        hint: 'Reject the registration (public.reject_registration) and ask the person to register with their own address.',
        unchanged: true,
      });
      const nameless = await registration(tx, 'j.doe@bridgestreet.example', null, 'ZP1002', ['view']);
      expect(await expectRefused(tx, 'alex', approveRegistration(nameless))).toMatchObject({
        code: '23514',
        message: 'The registration has no full name.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', approveRegistration(PERSON.pat))).toMatchObject({
        code: 'PT409',
        message: 'This registration is active, not pending: only pending registrations can be approved.',
        unchanged: true,
      });
      const unknown = randomUUID();
      expect(await expectRefused(tx, 'alex', approveRegistration(unknown))).toMatchObject({
        code: 'PT404',
        message: `No registration with id ${unknown}.`,
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', approveRegistration(PERSON.alex))).toMatchObject({
        code: '42501',
        message: 'You cannot approve your own registration.',
        unchanged: true,
      });
    });
  });

  it('a registration that asks for no organisation is for the Support Desk', async () => {
    await inTx(async (tx) => {
      const loner = await registration(tx, 'lone.ranger@example.nhs.uk', 'Lone Ranger');
      expect(await expectRefused(tx, 'alex', approveRegistration(loner))).toMatchObject({
        code: '42501',
        message: 'Only the Support Desk can approve a registration that asks for no organisation.',
        unchanged: true,
      });
      expect(await asOk(tx, 'sam', approveRegistration(loner))).toEqual([{ status: 'active' }]);
      expect(await reach(tx, { sub: loner })).toEqual([]);
    });
  });
});

describe('reject_registration', () => {
  it('rejects with a reason: account and requests rejected, reason kept, audited, the person told', async () => {
    await inTx(async (tx) => {
      const result = await asOk(tx, 'alex', rejectRegistration(PERSON.reception, '  Generic mailbox: please register with your own address.  '));
      expect(result).toEqual([{ status: 'rejected' }]);
      expect(await profile(tx, PERSON.reception)).toMatchObject({
        status: 'rejected',
        rejection_reason: 'Generic mailbox: please register with your own address.',
      });
      expect(await membershipOf(tx, PERSON.reception, ORG.ZP1003)).toMatchObject({
        status: 'rejected',
        decision_reason: 'Generic mailbox: please register with your own address.',
      });
      const audit = await auditFor(tx, PERSON.reception);
      expect(audit.at(-1)).toMatchObject({ action: 'registration.reject', actor_id: PERSON.alex, after_status: 'rejected', reason: 'Generic mailbox: please register with your own address.' });
      expect(await notes(tx, PERSON.reception)).toEqual([
        {
          kind: 'registration_rejected',
          subject: 'Your registration has been rejected',
          body: 'Your registration was rejected. Reason: Generic mailbox: please register with your own address.',
        },
      ]);
      expect(await expectRefused(tx, 'alex', rejectRegistration(PERSON.reception, 'again'))).toMatchObject({ code: 'PT409', unchanged: true });
    });
  });

  it.each([
    [null, 'A reason is required to reject a registration.'],
    ['   ', 'A reason is required to reject a registration.'],
    ['x'.repeat(501), 'The reason is too long (501 characters; at most 500).'],
  ])('refuses the reason %j', async (reason, message) => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', rejectRegistration(PERSON.nina, reason))).toMatchObject({ code: '22023', message, unchanged: true });
    });
  });

  it("refuses the wrong deciders: commissioner administrators are the Support Desk's", async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', rejectRegistration(PERSON.dana, 'No'))).toMatchObject({
        code: '42501',
        hint: 'Commissioner administrator accounts are decided by the Support Desk.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'harper', rejectRegistration(PERSON.nina, 'No'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await asOk(tx, 'sam', rejectRegistration(PERSON.dana, 'Not known to Southvale'))).toEqual([{ status: 'rejected' }]);
    });
  });
});

describe('request_access, approve_access_request, reject_access_request', () => {
  it('Pat asks for Bridge Street; Alex is told and approves; Pat reaches both practices', async () => {
    await inTx(async (tx) => {
      const [request] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{claim_submitter}'));
      expect(request!.status).toBe('requested');
      expect(await auditFor(tx, request!.id)).toMatchObject([{ action: 'membership.request', actor_id: PERSON.pat, after_status: 'requested' }]);
      const told = await tx`select recipient_id, kind, subject, link from public.notifications where link = ${`/access-requests/${request!.id}`}`;
      expect(told).toEqual([
        { recipient_id: PERSON.alex, kind: 'access_request_waiting', subject: 'Access request: Pat Practice for Bridge Street Surgery', link: `/access-requests/${request!.id}` },
      ]);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001']);
      expect(await asOk(tx, 'alex', approveRequest(request!.id))).toEqual([{ status: 'active' }]);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001', 'ZP1002']);
      expect((await auditFor(tx, request!.id)).at(-1)).toMatchObject({ action: 'membership.approve', actor_id: PERSON.alex, before_status: 'requested', after_status: 'active' });
      expect((await notes(tx, PERSON.pat)).map((n) => n.subject)).toEqual(['Access to Bridge Street Surgery (ZP1002) approved']);
    });
  });

  it('a rejected request is rejected with a reason; asking again reopens the same membership', async () => {
    await inTx(async (tx) => {
      const [request] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{claim_submitter}'));
      expect(await expectRefused(tx, 'alex', rejectRequest(request!.id, ''))).toMatchObject({
        code: '22023',
        message: 'A reason is required to reject an access request.',
        unchanged: true,
      });
      expect(await asOk(tx, 'alex', rejectRequest(request!.id, 'Bridge Street has enough submitters'))).toEqual([{ status: 'rejected' }]);
      expect(await membershipOf(tx, PERSON.pat, ORG.ZP1002)).toMatchObject({ status: 'rejected', decision_reason: 'Bridge Street has enough submitters' });
      expect((await notes(tx, PERSON.pat)).at(-1)).toMatchObject({ kind: 'access_request_rejected' });
      const [again] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'));
      expect(again).toEqual({ id: request!.id, status: 'requested' });
      expect(await membershipOf(tx, PERSON.pat, ORG.ZP1002)).toMatchObject({ roles: ['view'], decision_reason: null });
    });
  });

  it('a revoked person can still ask for access elsewhere (and again at the revoked organisation)', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', revoke(MEMBERSHIP.jordan, 'Left the team'));
      const [elsewhere] = await asOk(tx, 'jordan', requestAccess(ORG.ZS1, '{approver_tier_2}'));
      expect(elsewhere!.status).toBe('requested');
      const [again] = await asOk(tx, 'jordan', requestAccess(ORG.ZN1, '{approver_tier_2}'));
      expect(again).toEqual({ id: MEMBERSHIP.jordan, status: 'requested' });
    });
  });

  it("in a two-step practice the Provider Approver approves its staff's requests; in one-step practices not", async () => {
    await inTx(async (tx) => {
      const [harper] = await asOk(tx, 'harper', requestAccess(ORG.ZP1001, '{achievement_entry}'));
      const told = await tx`select recipient_id from public.notifications where link = ${`/access-requests/${harper!.id}`} order by 1`;
      expect(told.map((r) => r.recipient_id)).toEqual([PERSON.alex, PERSON.ash].sort());
      expect(await asOk(tx, 'ash', approveRequest(harper!.id))).toEqual([{ status: 'active' }]);
      const [pat] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'));
      expect(await expectRefused(tx, 'ash', approveRequest(pat!.id))).toMatchObject({
        code: '42501',
        message: 'You may not approve access to Bridge Street Surgery (ZP1002) as View.',
        unchanged: true,
      });
    });
  });

  it("requests for commissioner administrator roles are the Support Desk's to decide", async () => {
    await inTx(async (tx) => {
      const [request] = await asOk(tx, 'chris', requestAccess(ORG.ZN1E, '{user_administrator}'));
      const told = await tx`select recipient_id from public.notifications where link = ${`/access-requests/${request!.id}`}`;
      expect(told).toEqual([{ recipient_id: PERSON.sam }]);
      expect(await expectRefused(tx, 'alex', approveRequest(request!.id))).toMatchObject({
        code: '42501',
        hint: 'Requests for commissioner administrator roles are decided by the Support Desk.',
        unchanged: true,
      });
      expect(await asOk(tx, 'sam', approveRequest(request!.id))).toEqual([{ status: 'active' }]);
    });
  });

  it('refuses: your own request, the wrong people, the wrong state, a pending registration', async () => {
    await inTx(async (tx) => {
      const [own] = await asOk(tx, 'alex', requestAccess(ORG.ZN1E, '{commissioning_management}'));
      expect(await expectRefused(tx, 'alex', approveRequest(own!.id))).toMatchObject({
        code: '42501',
        message: 'You cannot approve your own access request.',
        unchanged: true,
      });
      const [pat] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'));
      for (const who of ['robin', 'casey', 'chris', 'lee', 'harper'] as const) {
        expect(await expectRefused(tx, who, approveRequest(pat!.id))).toMatchObject({ code: '42501', unchanged: true });
        expect(await expectRefused(tx, who, rejectRequest(pat!.id, 'no'))).toMatchObject({ code: '42501', unchanged: true });
      }
      expect(await expectRefused(tx, 'alex', approveRequest(MEMBERSHIP.pat))).toMatchObject({
        code: 'PT409',
        message: 'This access request is active: only requested access can be approved.',
        unchanged: true,
      });
      const [ninas] = await tx`select id from public.memberships where profile_id = ${PERSON.nina}`;
      expect(await expectRefused(tx, 'alex', approveRequest(ninas!.id))).toMatchObject({
        code: 'PT409',
        message: 'This request belongs to a pending registration.',
        hint: 'Use public.approve_registration to decide the registration as a whole.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', approveRequest(randomUUID()))).toMatchObject({ code: 'PT404', unchanged: true });
    });
  });

  it('refuses requests that could never be granted', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZP1001, '{view}'))).toMatchObject({
        code: 'PT409',
        message: 'You already have access to Riverside Medical Centre (ZP1001).',
        unchanged: true,
      });
      await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'));
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'))).toMatchObject({
        code: 'PT409',
        message: 'You have already asked for access to Bridge Street Surgery (ZP1002).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'chris', requestAccess(ORG.ZS1, '{approver_tier_1,approver_tier_2}'))).toMatchObject({
        code: '23514',
        message: 'Segregation of duties: one person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZP2002, '{approver_tier_1}'))).toMatchObject({
        code: '22023',
        message: 'Cannot ask for these roles: approver_tier_1 is a commissioner role; ZP2002 (practice) is a provider organisation.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZP2002, '{}'))).toMatchObject({ code: '22023', message: 'Choose at least one role.', unchanged: true });
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZS1, '{support_desk}'))).toMatchObject({ code: '22023', unchanged: true });
      const nowhere = randomUUID();
      expect(await expectRefused(tx, 'pat', requestAccess(nowhere, '{view}'))).toMatchObject({
        code: 'PT404',
        message: `No organisation with id ${nowhere}.`,
        unchanged: true,
      });
    });
  });
});

describe('invite_user', () => {
  it('invites a new person: invited account (auth user + identity), active membership, invitation queued, audited', async () => {
    await inTx(async (tx) => {
      const [membership] = await asOk(tx, 'alex', invite(' Jane.Doe@MillLane.example ', 'Jane Doe', ORG.ZP1003, '{claim_submitter,view}'));
      expect(membership!.status).toBe('active');
      const [user] = await tx`
        select u.email, u.aud, u.role, u.invited_at is not null as invited, u.email_confirmed_at, u.raw_user_meta_data ->> 'full_name' as name,
               (select count(*)::int from auth.identities i where i.user_id = u.id and i.provider = 'email') as identities
        from auth.users u where u.id = ${membership!.profile_id}`;
      expect(user).toEqual({
        email: 'jane.doe@milllane.example',
        aud: 'authenticated',
        role: 'authenticated',
        invited: true,
        email_confirmed_at: null,
        name: 'Jane Doe',
        identities: 1,
      });
      expect(await profile(tx, membership!.profile_id)).toMatchObject({ status: 'invited' });
      expect(await notes(tx, membership!.profile_id)).toEqual([
        {
          kind: 'invitation',
          subject: 'You have been invited to Mill Lane Practice',
          body: 'Alex Admin invited you to Mill Lane Practice (ZP1003) as Claim Submitter, View. Accept the invitation within 14 days to set your password.',
        },
      ]);
      const [emailable] = await tx`select emailed_at from public.notifications where recipient_id = ${membership!.profile_id}`;
      expect(emailable).toEqual({ emailed_at: null }); // the edge function sends it
      expect((await auditFor(tx, membership!.profile_id)).map((a) => a.action)).toEqual(['user.invite']);
      expect(await auditFor(tx, membership!.id)).toMatchObject([{ action: 'membership.invite', actor_id: PERSON.alex, after_status: 'active' }]);
      // Nothing is reachable until the invitation is accepted.
      expect(await reach(tx, { sub: membership!.profile_id })).toEqual([]);
      await tx`update auth.users set email_confirmed_at = now() where id = ${membership!.profile_id}`;
      expect(await reach(tx, { sub: membership!.profile_id })).toEqual(['ZP1003']);
    });
  });

  it('invites an existing person to another organisation without a new account', async () => {
    await inTx(async (tx) => {
      const [users] = await tx`select count(*)::int as n from auth.users`;
      const [membership] = await asOk(tx, 'alex', invite(EMAIL.pat, 'Pat Practice', ORG.ZP1004, '{view}'));
      expect(membership!.profile_id).toBe(PERSON.pat);
      expect(await tx`select count(*)::int as n from auth.users`).toEqual([users]);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001', 'ZP1004']);
    });
  });

  it('commissioner administrators are invited by the Support Desk or an Advanced User Administrator', async () => {
    await inTx(async (tx) => {
      const refused = await expectRefused(tx, 'alex', invite('kim.keeper@northshire.example', 'Kim Keeper', ORG.ZN1, '{user_administrator}'));
      expect(refused).toMatchObject({
        code: '42501',
        message: 'You may not invite people to NHS Northshire ICB (ZN1) as User Administrator.',
        hint: 'Commissioner administrators are invited by the Support Desk or an Advanced User Administrator.',
        unchanged: true,
      });
      await asOk(tx, 'sam', assignRoles(MEMBERSHIP.alex, '{organisation_administrator,user_administrator,advanced_user_administrator}'));
      const [kim] = await asOk(tx, 'alex', invite('kim.keeper@northshire.example', 'Kim Keeper', ORG.ZN1, '{user_administrator}'));
      expect(kim!.status).toBe('active');
      const [lou] = await asOk(tx, 'sam', invite('lou.leader@southvale.example', 'Lou Leader', ORG.ZS1, '{organisation_administrator}'));
      expect(lou!.status).toBe('active');
    });
  });

  it('refuses generic mailboxes, bad addresses, missing names, bad roles, the wrong inviter, existing access and yourself', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', invite('Reception@northshire.example', 'Front Desk', ORG.ZP1003, '{view}'))).toMatchObject({
        code: '23514',
        message: 'reception@northshire.example is a generic or shared mailbox: accounts need a personal email address.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite('not-an-address', 'Jane Doe', ORG.ZP1003, '{view}'))).toMatchObject({
        code: '22023',
        message: 'not-an-address is not an email address.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite('jane.doe@milllane.example', '  ', ORG.ZP1003, '{view}'))).toMatchObject({
        code: '22023',
        message: 'Give the person\'s full name (at most 200 characters).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite('jane.doe@northshire.example', 'Jane Doe', ORG.ZN1, '{approver_tier_1,approver_tier_2}'))).toMatchObject({
        code: '23514',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite('jane.doe@northshire.example', 'Jane Doe', ORG.ZN1, '{claim_submitter}'))).toMatchObject({
        code: '22023',
        unchanged: true,
      });
      for (const who of ['robin', 'chris', 'casey', 'pat', 'ash', 'lee'] as const) {
        expect(await expectRefused(tx, who, invite('jane.doe@milllane.example', 'Jane Doe', ORG.ZP1003, '{view}'))).toMatchObject({
          code: '42501',
          unchanged: true,
        });
      }
      expect(await expectRefused(tx, 'alex', invite(EMAIL.pat, 'Pat Practice', ORG.ZP1001, '{view}'))).toMatchObject({
        code: 'PT409',
        message: 'practice.user@riverside.example already has or has asked for access to Riverside Medical Centre (ZP1001).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite(EMAIL.nina, 'Nina Newman', ORG.ZP1003, '{view}'))).toMatchObject({
        code: 'PT409',
        message: 'new.manager@bridgestreet.example has registered and is waiting for approval.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', invite(EMAIL.alex, 'Alex Admin', ORG.ZN1E, '{commissioning_management}'))).toMatchObject({
        code: '42501',
        message: 'You cannot invite yourself.',
        unchanged: true,
      });
      await asOk(tx, 'sam', disable(PERSON.harper, 'left_organisation'));
      expect(await expectRefused(tx, 'robin', invite(EMAIL.harper, 'Harper Harbour', ORG.ZP2002, '{view}'))).toMatchObject({
        code: 'PT409',
        message: 'The account of practice.user@harbour.example is disabled.',
        unchanged: true,
      });
    });
  });
});

describe('revoke_membership and enable_membership', () => {
  it('revocation takes effect on the next statement; the person keeps their profile and may ask elsewhere; enabling restores', async () => {
    await inTx(async (tx) => {
      expect(await reach(tx, 'pat')).toEqual(['ZP1001']);
      expect(await asOk(tx, 'alex', revoke(MEMBERSHIP.pat, 'Moved to Hill Top'))).toEqual([{ status: 'revoked' }]);
      expect(await reach(tx, 'pat')).toEqual([]);
      expect(await asOk(tx, 'pat', (sp) => sp`select email from public.profiles where id = ${PERSON.pat}`)).toEqual([{ email: EMAIL.pat }]);
      expect(await membershipOf(tx, PERSON.pat, ORG.ZP1001)).toMatchObject({ status: 'revoked', decision_reason: 'Moved to Hill Top', decided_by: PERSON.alex });
      expect((await auditFor(tx, MEMBERSHIP.pat)).at(-1)).toMatchObject({ action: 'membership.revoke', before_status: 'active', after_status: 'revoked', reason: 'Moved to Hill Top' });
      expect((await notes(tx, PERSON.pat)).at(-1)).toMatchObject({
        kind: 'membership_revoked',
        body: 'Your access to Riverside Medical Centre (ZP1001) was removed by Alex Admin. Reason: Moved to Hill Top',
      });
      await asOk(tx, 'pat', requestAccess(ORG.ZP1004, '{claim_submitter}'));

      expect(await asOk(tx, 'alex', enable(MEMBERSHIP.pat))).toEqual([{ status: 'active' }]);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001']);
      expect((await auditFor(tx, MEMBERSHIP.pat)).at(-1)).toMatchObject({ action: 'membership.enable', before_status: 'revoked', after_status: 'active' });
      expect((await notes(tx, PERSON.pat)).at(-1)).toMatchObject({ kind: 'membership_enabled' });
    });
  });

  it('refuses the wrong state, your own membership, the wrong people, and a too-long reason', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', enable(MEMBERSHIP.pat))).toMatchObject({
        code: 'PT409',
        message: 'This membership is active: only a revoked membership can be enabled.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', revoke(MEMBERSHIP.alex))).toMatchObject({
        code: '42501',
        message: 'You cannot revoke your own membership.',
        unchanged: true,
      });
      for (const who of ['robin', 'chris', 'casey', 'ash', 'lee', 'harper'] as const) {
        expect(await expectRefused(tx, who, revoke(MEMBERSHIP.pat))).toMatchObject({ code: '42501', unchanged: true });
      }
      expect(await expectRefused(tx, 'alex', revoke(MEMBERSHIP.pat, 'r'.repeat(501)))).toMatchObject({ code: '22023', unchanged: true });
      await asOk(tx, 'alex', revoke(MEMBERSHIP.pat));
      expect(await expectRefused(tx, 'alex', revoke(MEMBERSHIP.pat))).toMatchObject({
        code: 'PT409',
        message: 'This membership is revoked: only a active membership can be revoked.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'robin', enable(MEMBERSHIP.pat))).toMatchObject({ code: '42501', unchanged: true });
      expect(await expectRefused(tx, 'alex', revoke(randomUUID()))).toMatchObject({ code: 'PT404', unchanged: true });
    });
  });

  it("a commissioner administrator's membership is managed by the Support Desk (or an Advanced User Administrator)", async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', invite('second.admin@northshire.example', 'Second Admin', ORG.ZN1, '{user_administrator}'));
      const [second] = await tx`select m.id from public.memberships m join public.profiles p on p.id = m.profile_id where p.email = 'second.admin@northshire.example'`;
      expect(await expectRefused(tx, 'alex', revoke(second!.id))).toMatchObject({
        code: '42501',
        hint: 'Commissioner administrators are managed by the Support Desk or an Advanced User Administrator.',
        unchanged: true,
      });
      expect(await asOk(tx, 'sam', revoke(second!.id))).toEqual([{ status: 'revoked' }]);
    });
  });
});

describe('the memberships of a disabled account', () => {
  it('stay as they are until the account is enabled: no revoke, enable or role change', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', disable(PERSON.pat, 'left_organisation'));
      const refusal = {
        code: 'PT409',
        message: 'The account of Pat Practice is disabled: its memberships stay as they are.',
        unchanged: true,
      };
      expect(await expectRefused(tx, 'alex', revoke(MEMBERSHIP.pat, 'Tidying up'))).toMatchObject(refusal);
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.pat, '{view}'))).toMatchObject(refusal);
      await asOk(tx, 'alex', enableAccount(PERSON.pat));
      expect(await asOk(tx, 'alex', revoke(MEMBERSHIP.pat, 'Tidying up'))).toEqual([{ status: 'revoked' }]);
      await asOk(tx, 'alex', disable(PERSON.pat, 'left_organisation'));
      expect(await expectRefused(tx, 'alex', enable(MEMBERSHIP.pat))).toMatchObject(refusal);
    });
  });
});

describe('assign_roles', () => {
  it('replaces the roles, audited before/after, the person told', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'alex', assignRoles(MEMBERSHIP.chris, '{approval_management,commissioning_management}'))).toEqual([
        { roles: ['commissioning_management', 'approval_management'] },
      ]);
      const [entry] = await tx`
        select before -> 'roles' as before, after -> 'roles' as after from public.audit_log
        where entity_id = ${MEMBERSHIP.chris} and action = 'membership.assign_roles'`;
      expect(entry).toEqual({ before: ['commissioning_management'], after: ['commissioning_management', 'approval_management'] });
      expect((await notes(tx, PERSON.chris)).at(-1)).toMatchObject({
        kind: 'roles_changed',
        body: 'Alex Admin changed your roles at NHS Northshire ICB (ZN1) to: Commissioning Management, Approval Management.',
      });
    });
  });

  it('segregation of duties: Tier 1 cannot also become Tier 2 at the same organisation', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.taylor, '{approver_tier_1,approver_tier_2}'))).toMatchObject({
        code: '23514',
        message: 'Segregation of duties: one person cannot be Approver Tier 1 and Approver Tier 2 at the same organisation.',
        hint: 'Give the person one of the two roles; another person must hold the other.',
        unchanged: true,
      });
      // Swapping one for the other is fine.
      expect(await asOk(tx, 'alex', assignRoles(MEMBERSHIP.taylor, '{approver_tier_2}'))).toEqual([{ roles: ['approver_tier_2'] }]);
    });
  });

  it('refuses administrator roles from a plain User Administrator, your own roles, the wrong people, the wrong state, wrong-side roles', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.chris, '{commissioning_management,user_administrator}'))).toMatchObject({
        code: '42501',
        message: 'You may not grant User Administrator, Commissioning Management at NHS Northshire ICB (ZN1).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.alex, '{organisation_administrator}'))).toMatchObject({
        code: '42501',
        message: 'You cannot change the roles of your own membership.',
        unchanged: true,
      });
      for (const who of ['robin', 'chris', 'taylor', 'casey', 'ash'] as const) {
        expect(await expectRefused(tx, who, assignRoles(MEMBERSHIP.pat, '{view}'))).toMatchObject({ code: '42501', unchanged: true });
      }
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.pat, '{finance}'))).toMatchObject({ code: '22023', unchanged: true });
      await asOk(tx, 'alex', revoke(MEMBERSHIP.jordan));
      expect(await expectRefused(tx, 'alex', assignRoles(MEMBERSHIP.jordan, '{approver_tier_2}'))).toMatchObject({
        code: 'PT409',
        message: 'This membership is revoked: only a active membership can be changed.',
        unchanged: true,
      });
      // The Support Desk may grant administrator roles.
      expect(await asOk(tx, 'sam', assignRoles(MEMBERSHIP.chris, '{commissioning_management,user_administrator}'))).toEqual([
        { roles: ['user_administrator', 'commissioning_management'] },
      ]);
    });
  });

  it('the same roles again change nothing and record nothing', async () => {
    await inTx(async (tx) => {
      const [before] = await tx`select count(*)::int as n from public.audit_log`;
      expect(await asOk(tx, 'alex', assignRoles(MEMBERSHIP.chris, '{commissioning_management}'))).toEqual([{ roles: ['commissioning_management'] }]);
      expect(await tx`select count(*)::int as n from public.audit_log`).toEqual([before]);
    });
  });
});

describe('disable_account and enable_account', () => {
  it('disables: banned in auth.users, reaches nothing, cannot act; enabling restores the previous status', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'sam', disable(PERSON.pat, 'security_concern'))).toEqual([{ status: 'disabled' }]);
      expect(await profile(tx, PERSON.pat)).toEqual({
        status: 'disabled',
        rejection_reason: null,
        disable_reason: 'security_concern',
        disable_reason_text: null,
        status_before_disable: 'active',
      });
      const [ban] = await tx`select banned_until > now() + interval '99 years' as banned from auth.users where id = ${PERSON.pat}`;
      expect(ban).toEqual({ banned: true });
      expect(await reach(tx, 'pat')).toEqual([]);
      expect(await asOk(tx, 'pat', (sp) => sp`select id from public.profiles`)).toEqual([]);
      expect(await expectRefused(tx, 'pat', requestAccess(ORG.ZP1002, '{view}'))).toMatchObject({ code: '42501', unchanged: true });
      expect((await auditFor(tx, PERSON.pat)).at(-1)).toMatchObject({
        action: 'account.disable',
        actor_id: PERSON.sam,
        before_status: 'active',
        after_status: 'disabled',
        reason: 'security_concern',
      });
      expect((await notes(tx, PERSON.pat)).at(-1)).toMatchObject({ kind: 'account_disabled' });

      expect(await asOk(tx, 'sam', enableAccount(PERSON.pat))).toEqual([{ status: 'active' }]);
      expect(await tx`select banned_until from auth.users where id = ${PERSON.pat}`).toEqual([{ banned_until: null }]);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001']);
      expect((await auditFor(tx, PERSON.pat)).at(-1)).toMatchObject({ action: 'account.enable', before_status: 'disabled', after_status: 'active' });
    });
  });

  it('a disabled pending registration returns to pending', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', disable(PERSON.nina, 'duplicate_account'));
      expect(await asOk(tx, 'sam', enableAccount(PERSON.nina))).toEqual([{ status: 'pending' }]);
    });
  });

  it('"other" needs an explanation of at most 250 characters; other reasons take none', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'sam', disable(PERSON.pat, null))).toMatchObject({
        code: '22023',
        message: 'Choose a reason for disabling the account.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'sam', disable(PERSON.pat, 'other'))).toMatchObject({
        code: '22023',
        message: 'The reason "other" needs an explanation.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'sam', disable(PERSON.pat, 'other', 'x'.repeat(251)))).toMatchObject({
        code: '22023',
        message: 'The explanation is too long (251 characters; at most 250).',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'sam', disable(PERSON.pat, 'inactivity', 'Not seen since May'))).toMatchObject({
        code: '22023',
        message: 'Only the reason "other" takes a free text, not inactivity.',
        unchanged: true,
      });
      await asOk(tx, 'sam', disable(PERSON.pat, 'other', 'y'.repeat(250)));
      expect(await profile(tx, PERSON.pat)).toMatchObject({ disable_reason: 'other', disable_reason_text: 'y'.repeat(250) });
    });
  });

  it('a User Administrator may disable accounts wholly within their organisations, never their own, a Support Desk account or a wider one', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'alex', disable(PERSON.chris, 'left_organisation'))).toEqual([{ status: 'disabled' }]);
      expect(await expectRefused(tx, 'alex', disable(PERSON.alex, 'left_organisation'))).toMatchObject({
        code: '42501',
        message: 'You cannot disable your own account.',
        unchanged: true,
      });
      expect(await expectRefused(tx, 'alex', disable(PERSON.sam, 'left_organisation'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await expectRefused(tx, 'alex', disable(PERSON.robin, 'left_organisation'))).toMatchObject({ code: '42501', unchanged: true });
      // Taylor also works for Southvale: the account is wider than Alex's reach.
      await asOk(tx, 'robin', invite(EMAIL.taylor, 'Taylor Tier-One', ORG.ZS1C, '{approver_tier_1}'));
      expect(await expectRefused(tx, 'alex', disable(PERSON.taylor, 'left_organisation'))).toMatchObject({
        code: '42501',
        message: 'You may not disable the account of Taylor Tier-One.',
        hint: "User Administrators manage accounts whose every membership they administer; otherwise the Support Desk does.",
        unchanged: true,
      });
      expect(await asOk(tx, 'sam', disable(PERSON.taylor, 'left_organisation'))).toEqual([{ status: 'disabled' }]);
      for (const who of ['chris', 'casey', 'pat', 'ash', 'lee'] as const) {
        expect(await expectRefused(tx, who, disable(PERSON.harper, 'left_organisation'))).toMatchObject({ code: '42501', unchanged: true });
      }
    });
  });

  it('refuses the wrong state', async () => {
    await inTx(async (tx) => {
      expect(await expectRefused(tx, 'sam', enableAccount(PERSON.pat))).toMatchObject({
        code: 'PT409',
        message: 'The account is active, not disabled.',
        unchanged: true,
      });
      await asOk(tx, 'sam', disable(PERSON.pat, 'inactivity'));
      expect(await expectRefused(tx, 'sam', disable(PERSON.pat, 'inactivity'))).toMatchObject({
        code: 'PT409',
        message: 'The account is already disabled.',
        unchanged: true,
      });
      await asOk(tx, 'alex', rejectRegistration(PERSON.reception, 'Generic mailbox'));
      expect(await expectRefused(tx, 'sam', disable(PERSON.reception, 'inactivity'))).toMatchObject({ code: 'PT409', unchanged: true });
      expect(await expectRefused(tx, 'sam', disable(randomUUID(), 'inactivity'))).toMatchObject({ code: 'PT404', unchanged: true });
    });
  });
});
