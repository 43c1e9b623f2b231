// People administration (…_people_administration.sql): public.my_access, the
// views the portal's pages read (my_organisations, pending_registrations,
// pending_access_requests, user_directory), PCN relationships
// (add_pcn_membership, end_pcn_membership, network_relationship_report) and
// disable_own_account. For each: what each persona gets, what is refused with
// which SQLSTATE and message, and that a refused call changes nothing.
// (rls-matrix.test.ts holds the persona × view row matrix.)
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { bootstrapDatabase } from '../../../stack/db/bootstrap.ts';
import { applyMigrations } from '../../../stack/db/migrate.ts';
import { connect, scratchDatabase } from '../helpers.ts';
import {
  as,
  asError,
  asOk,
  CLUSTER,
  EMAIL,
  expectRefused,
  inTx,
  MEMBERSHIP,
  ORG,
  PERSON,
  stateDigest,
  type PersonName,
  type Tx,
  type Who,
} from './fixtures.ts';

const PCN_ROW = (n: number) => `0e000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Seeded PCN history (demo-data.md). */
const PCN = {
  ZP1001_ZU101: PCN_ROW(1),
  ZP1003_ZU102: PCN_ROW(3), // 2020-07-01 … 2024-03-31
  ZP1003_ZU101: PCN_ROW(4), // from 2024-04-01
  ZP1004_ZU102: PCN_ROW(5),
} as const;

/** The tenancy digest plus the PCN history (which the tenancy actions never change). */
async function digest(tx: Tx): Promise<string> {
  const [row] = await tx<{ pcn: string | null }[]>`
    select md5(string_agg(to_jsonb(pm)::text, ',' order by pm.id)) as pcn from public.pcn_memberships pm`;
  return `${await stateDigest(tx)}:${row!.pcn}`;
}

/** Like fixtures' expectRefused, but the PCN history must be unchanged too. */
async function refused(tx: Tx, who: Who | { sub: string | null }, call: (sp: Tx) => Promise<unknown>) {
  const before = await digest(tx);
  const error = await asError(tx, who, call);
  const after = await digest(tx);
  return { code: error.code, message: error.message, hint: error.hint, unchanged: before === after };
}

/** A signed-up pending person asking for `roles` at `ods` (or nothing); returns the profile id. */
async function registration(tx: Tx, email: string, fullName: string, ods?: string, roles?: string[]): Promise<string> {
  const id = randomUUID();
  const meta = { full_name: fullName, ...(ods ? { ods_code: ods, roles } : {}) };
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, '',
            '{"provider":"email","providers":["email"]}', ${tx.json(meta)}, now(), now())`;
  return id;
}

const disable = (id: string, reason: string) => (sp: Tx) => sp`select public.disable_account(${id}::uuid, ${reason}::public.disable_reason)`;
const revoke = (id: string) => (sp: Tx) => sp`select public.revoke_membership(${id}::uuid, null)`;
const requestAccess = (org: string, roles: string) => (sp: Tx) =>
  sp<{ id: string }[]>`select id from public.request_access(${org}::uuid, ${roles}::public.app_role[])`;

/** Morgan disabled (by Sam), Jordan's membership revoked (by Alex): the matrix's "disabled" and "revoked" personas. */
async function withDisabledAndRevoked(tx: Tx): Promise<void> {
  await asOk(tx, 'sam', disable(PERSON.morgan, 'left_organisation'));
  await asOk(tx, 'alex', revoke(MEMBERSHIP.jordan));
}

// ---------------------------------------------------------------- my_access

interface AccessMembership {
  membership_id: string;
  organisation_id: string;
  ods_code: string;
  name: string;
  type: string;
  side: string;
  roles: string[];
  status: string;
  approval_mode: string | null;
  clusters: { id: string; short_name: string; name: string }[];
}
interface Access {
  profile_id: string;
  email: string;
  full_name: string | null;
  status: string;
  platform_roles: string[];
  memberships: AccessMembership[];
  unread_notifications: number;
}

async function myAccess(tx: Tx, who: Who | { sub: string | null }): Promise<Access> {
  const [row] = await asOk(tx, who, (sp) => sp<{ access: Access }[]>`select public.my_access() as access`);
  return row!.access;
}

// Unread and not done, as my_access counts them (a task finished meanwhile, e.g. by a test committing for a moment, is neither).
async function unread(tx: Tx, person: string): Promise<number> {
  const [row] = await tx<{ n: number }[]>`select count(*)::int as n from public.notifications where recipient_id = ${person} and read_at is null and done_at is null`;
  return row!.n;
}

describe('my_access', () => {
  it('an ICB administrator: account, one commissioner membership, unread count', async () => {
    await inTx(async (tx) => {
      expect(await myAccess(tx, 'alex')).toEqual({
        profile_id: PERSON.alex,
        email: EMAIL.alex,
        full_name: 'Alex Admin',
        status: 'active',
        platform_roles: [],
        memberships: [
          {
            membership_id: MEMBERSHIP.alex,
            organisation_id: ORG.ZN1,
            ods_code: 'ZN1',
            name: 'NHS Northshire ICB',
            type: 'icb',
            side: 'commissioner',
            roles: ['organisation_administrator', 'user_administrator'],
            status: 'active',
            approval_mode: null,
            clusters: [],
          },
        ],
        unread_notifications: await unread(tx, PERSON.alex),
      });
      expect(await unread(tx, PERSON.alex)).toBeGreaterThanOrEqual(2); // the two registrations waiting
    });
  });

  it('the unread count follows read_at', async () => {
    await inTx(async (tx) => {
      const before = (await myAccess(tx, 'alex')).unread_notifications;
      await asOk(tx, 'alex', (sp) => sp`
        update public.notifications set read_at = now()
        where id = (select id from public.notifications where read_at is null order by created_at limit 1)`);
      expect((await myAccess(tx, 'alex')).unread_notifications).toBe(before - 1);
    });
  });

  it('the Support Desk: platform role, no memberships', async () => {
    await inTx(async (tx) => {
      const access = await myAccess(tx, 'sam');
      expect(access).toMatchObject({ status: 'active', platform_roles: ['support_desk'], memberships: [] });
    });
  });

  it('clusters, practice approval mode and sides', async () => {
    await inTx(async (tx) => {
      expect((await myAccess(tx, 'casey')).memberships).toEqual([
        expect.objectContaining({
          ods_code: 'ZN1',
          roles: ['approver_tier_1'],
          clusters: [{ id: CLUSTER, short_name: 'CL-ZN1-001', name: 'Riverside practices' }],
        }),
      ]);
      expect((await myAccess(tx, 'ash')).memberships).toEqual([
        expect.objectContaining({
          ods_code: 'ZP1001',
          type: 'practice',
          side: 'provider',
          approval_mode: 'two_step',
          roles: ['provider_approver', 'declaration_management'],
        }),
      ]);
      expect((await myAccess(tx, 'lee')).memberships).toEqual([
        expect.objectContaining({ ods_code: 'ZU101', type: 'pcn', side: 'provider', approval_mode: null }),
      ]);
      expect((await myAccess(tx, 'harper')).memberships).toEqual([expect.objectContaining({ ods_code: 'ZP2001', approval_mode: 'one_step' })]);
    });
  });

  it('memberships of every status, ordered by organisation name', async () => {
    await inTx(async (tx) => {
      // Pat: Riverside Medical Centre (active), then invited to Bridge Street Surgery, asks for Hill Top Surgery.
      await asOk(tx, 'alex', (sp) => sp`select public.invite_user(${EMAIL.pat}, 'Pat Practice', ${ORG.ZP1002}::uuid, '{view}')`);
      await asOk(tx, 'pat', requestAccess(ORG.ZP1004, '{view}'));
      await asOk(tx, 'alex', revoke(MEMBERSHIP.pat));
      const memberships = (await myAccess(tx, 'pat')).memberships.map((m) => [m.name, m.status]);
      expect(memberships).toEqual([
        ['Bridge Street Surgery', 'active'],
        ['Hill Top Surgery', 'requested'],
        ['Riverside Medical Centre', 'revoked'],
      ]);
    });
  });

  it('a pending registration sees its request; a revoked membership stays listed', async () => {
    await inTx(async (tx) => {
      expect(await myAccess(tx, 'nina')).toMatchObject({
        status: 'pending',
        platform_roles: [],
        memberships: [{ ods_code: 'ZP1002', status: 'requested', roles: ['claim_submitter'], side: 'provider' }],
      });
      await asOk(tx, 'alex', revoke(MEMBERSHIP.jordan));
      expect(await myAccess(tx, 'jordan')).toMatchObject({ status: 'active', memberships: [{ ods_code: 'ZN1', status: 'revoked' }] });
    });
  });

  it('a disabled account gets its status and empty lists', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', disable(PERSON.casey, 'inactivity'));
      expect(await myAccess(tx, 'casey')).toEqual({
        profile_id: PERSON.casey,
        email: EMAIL.casey,
        full_name: 'Casey Cluster',
        status: 'disabled',
        platform_roles: [],
        memberships: [],
        unread_notifications: 0,
      });
    });
  });

  it('anon may not call it; a token without a user is refused', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'anon', (sp) => sp`select public.my_access()`)).toMatchObject({
        code: '42501',
        message: 'permission denied for function my_access',
        unchanged: true,
      });
      expect(await refused(tx, { sub: null }, (sp) => sp`select public.my_access()`)).toMatchObject({
        code: '42501',
        message: 'Sign in to see your access.',
        unchanged: true,
      });
      expect(await refused(tx, { sub: randomUUID() }, (sp) => sp`select public.my_access()`)).toMatchObject({
        code: 'PT404',
        message: 'There is no account for this sign-in.',
        unchanged: true,
      });
    });
  });
});

// ---------------------------------------------------------------- views

const codes = async (tx: Tx, who: Who, query: string) =>
  (await asOk(tx, who, (sp) => sp.unsafe<{ k: string }[]>(query))).map((r) => r.k).sort();

describe('my_organisations', () => {
  it('follows reach as it changes: cluster assignment, revocation, disabling', async () => {
    await inTx(async (tx) => {
      const mine = (who: Who) => codes(tx, who, `select ods_code as k from public.my_organisations where ods_code like 'Z%'`);
      expect(await mine('taylor')).toEqual(expect.arrayContaining(['ZN1', 'ZN1E', 'ZP1003', 'ZU103']));
      await asOk(tx, 'alex', (sp) => sp`select public.assign_cluster(${CLUSTER}::uuid, ${MEMBERSHIP.taylor}::uuid)`);
      expect(await mine('taylor')).toEqual(['ZP1001', 'ZP1002']);
      await asOk(tx, 'alex', revoke(MEMBERSHIP.taylor));
      expect(await mine('taylor')).toEqual([]);
      expect(await mine('pat')).toEqual(['ZP1001']);
      await asOk(tx, 'sam', disable(PERSON.pat, 'inactivity'));
      expect(await mine('pat')).toEqual([]);
    });
  });

  it('the Support Desk browses the whole directory; anon may not read the view', async () => {
    await inTx(async (tx) => {
      const [all] = await tx<{ n: number }[]>`select count(*)::int as n from public.organisations`;
      const [seen] = await asOk(tx, 'sam', (sp) => sp<{ n: number }[]>`select count(*)::int as n from public.my_organisations`);
      expect(seen!.n).toBe(all!.n);
      const anon = await asError(tx, 'anon', (sp) => sp`select * from public.my_organisations`);
      expect(anon).toMatchObject({ code: '42501', message: 'permission denied for view my_organisations' });
    });
  });
});

describe('pending_registrations', () => {
  it('one row per registration with what it asks for; commissioner administrators flagged', async () => {
    await inTx(async (tx) => {
      const rows = await asOk(tx, 'sam', (sp) => sp`
        select profile_id, full_name, email, generic_mailbox, membership_id is not null as has_request, organisation_id, ods_code,
               organisation_name, organisation_type, roles::text[] as roles, commissioner_administrator
        from public.pending_registrations where profile_id in (${PERSON.nina}, ${PERSON.reception}, ${PERSON.dana}) order by full_name`);
      expect(rows).toEqual([
        {
          profile_id: PERSON.dana,
          full_name: 'Dana Newadmin',
          email: EMAIL.dana,
          generic_mailbox: false,
          has_request: true,
          organisation_id: ORG.ZS1,
          ods_code: 'ZS1',
          organisation_name: 'NHS Southvale ICB',
          organisation_type: 'icb',
          roles: ['user_administrator'],
          commissioner_administrator: true,
        },
        expect.objectContaining({ full_name: 'Nina Newman', ods_code: 'ZP1002', roles: ['claim_submitter'], commissioner_administrator: false }),
        expect.objectContaining({ full_name: 'Reception Team', ods_code: 'ZP1003', generic_mailbox: true, commissioner_administrator: false }),
      ]);
    });
  });

  it('a registration asking for no organisation: the Support Desk only, with no request', async () => {
    await inTx(async (tx) => {
      const loner = await registration(tx, 'lone.ranger@example.nhs.uk', 'Lone Ranger');
      const [row] = await asOk(tx, 'sam', (sp) => sp`
        select membership_id, organisation_id, roles, commissioner_administrator from public.pending_registrations where profile_id = ${loner}`);
      expect(row).toEqual({ membership_id: null, organisation_id: null, roles: null, commissioner_administrator: false });
      expect(await codes(tx, 'alex', `select profile_id::text as k from public.pending_registrations where profile_id = '${loner}'`)).toEqual([]);
    });
  });

  it('a two-step practice: its Provider Approver and its commissioners see its registrations; its other staff do not', async () => {
    await inTx(async (tx) => {
      const nell = await registration(tx, 'nell.nurse@riverside.example', 'Nell Nurse', 'ZP1001', ['achievement_entry']);
      const seen = async (who: Who) => (await codes(tx, who, `select profile_id::text as k from public.pending_registrations where profile_id = '${nell}'`)).length;
      expect({ ash: await seen('ash'), alex: await seen('alex'), sam: await seen('sam'), pat: await seen('pat'), robin: await seen('robin') }).toEqual({
        ash: 1,
        alex: 1,
        sam: 1,
        pat: 0,
        robin: 0,
      });
    });
  });

  it('what the view lists can be decided, what it hides cannot; decided registrations leave it', async () => {
    await inTx(async (tx) => {
      const listed = () => codes(tx, 'alex', `select full_name as k from public.pending_registrations`);
      expect(await listed()).toEqual(expect.arrayContaining(['Nina Newman', 'Reception Team']));
      expect(await listed()).not.toContain('Dana Newadmin');
      expect(await refused(tx, 'alex', (sp) => sp`select public.approve_registration(${PERSON.dana}::uuid)`)).toMatchObject({ code: '42501' });
      await asOk(tx, 'alex', (sp) => sp`select public.approve_registration(${PERSON.nina}::uuid)`);
      await asOk(tx, 'alex', (sp) => sp`select public.reject_registration(${PERSON.reception}::uuid, 'Generic mailbox')`);
      expect(await listed()).not.toContain('Nina Newman');
      expect(await listed()).not.toContain('Reception Team');
      expect(await codes(tx, 'sam', `select full_name as k from public.pending_registrations where full_name in ('Nina Newman', 'Reception Team')`)).toEqual([]);
    });
  });

  it('disabled, pending and anon: nothing or denied', async () => {
    await inTx(async (tx) => {
      await withDisabledAndRevoked(tx);
      expect(await codes(tx, 'morgan', `select profile_id::text as k from public.pending_registrations`)).toEqual([]);
      expect(await codes(tx, 'nina', `select profile_id::text as k from public.pending_registrations`)).toEqual([]);
      expect(await asError(tx, 'anon', (sp) => sp`select * from public.pending_registrations`)).toMatchObject({ code: '42501' });
    });
  });
});

describe('pending_access_requests', () => {
  it('lists a request with its person and organisation; it leaves the list when decided', async () => {
    await inTx(async (tx) => {
      const [request] = await asOk(tx, 'pat', requestAccess(ORG.ZP1002, '{claim_submitter,view}'));
      const rows = await asOk(tx, 'alex', (sp) => sp`
        select membership_id, profile_id, full_name, email, requested_at is not null as dated, organisation_id, ods_code, organisation_name,
               organisation_type, roles::text[] as roles
        from public.pending_access_requests where profile_id = ${PERSON.pat}`);
      expect(rows).toEqual([
        {
          membership_id: request!.id,
          profile_id: PERSON.pat,
          full_name: 'Pat Practice',
          email: EMAIL.pat,
          dated: true,
          organisation_id: ORG.ZP1002,
          ods_code: 'ZP1002',
          organisation_name: 'Bridge Street Surgery',
          organisation_type: 'practice',
          roles: ['claim_submitter', 'view'],
        },
      ]);
      await asOk(tx, 'alex', (sp) => sp`select public.approve_access_request(${request!.id}::uuid)`);
      expect(await codes(tx, 'alex', `select membership_id::text as k from public.pending_access_requests where profile_id = '${PERSON.pat}'`)).toEqual([]);
    });
  });

  it("a pending registration's request is not an access request (it is decided with the registration)", async () => {
    await inTx(async (tx) => {
      expect(await codes(tx, 'sam', `select profile_id::text as k from public.pending_access_requests where profile_id = '${PERSON.nina}'`)).toEqual([]);
      expect(await codes(tx, 'alex', `select profile_id::text as k from public.pending_access_requests where profile_id = '${PERSON.nina}'`)).toEqual([]);
    });
  });
});

describe('user_directory', () => {
  it('a person with their memberships, roles over active memberships only', async () => {
    await inTx(async (tx) => {
      const [nina] = await asOk(tx, 'alex', (sp) => sp`
        select id, full_name, email, status, generic_mailbox, created_at is not null as dated, disabled_reason, disabled_reason_text,
               organisation_ids, roles, memberships
        from public.user_directory where id = ${PERSON.nina}`);
      const [membership] = await tx`select id from public.memberships where profile_id = ${PERSON.nina}`;
      expect(nina).toEqual({
        id: PERSON.nina,
        full_name: 'Nina Newman',
        email: EMAIL.nina,
        status: 'pending',
        generic_mailbox: false,
        dated: true,
        disabled_reason: null,
        disabled_reason_text: null,
        organisation_ids: [ORG.ZP1002],
        roles: [], // the request is not active
        memberships: [
          {
            membership_id: membership!.id,
            organisation_id: ORG.ZP1002,
            ods_code: 'ZP1002',
            name: 'Bridge Street Surgery',
            type: 'practice',
            roles: ['claim_submitter'],
            status: 'requested',
          },
        ],
      });
    });
  });

  it('shows the disable reason', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.pat}::uuid, 'other', 'On long-term leave')`);
      const [pat] = await asOk(tx, 'alex', (sp) => sp`
        select status, disabled_reason, disabled_reason_text, roles::text[] as roles from public.user_directory where id = ${PERSON.pat}`);
      expect(pat).toEqual({
        status: 'disabled',
        disabled_reason: 'other',
        disabled_reason_text: 'On long-term leave',
        roles: ['service_management', 'claim_submitter', 'achievement_entry'],
      });
    });
  });

  it('memberships and roles are those the caller may see: each ICB sees its own side of a person in both', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'robin', (sp) => sp`select public.invite_user(${EMAIL.pat}, 'Pat Practice', ${ORG.ZP2001}::uuid, '{view}')`);
      const patAs = async (who: Who) => {
        const [row] = await asOk(tx, who, (sp) => sp<{ orgs: string[]; roles: string[] }[]>`
          select array(select m ->> 'ods_code' from jsonb_array_elements(memberships) m) as orgs, roles::text[] as roles
          from public.user_directory where id = ${PERSON.pat}`);
        return row;
      };
      expect(await patAs('alex')).toEqual({ orgs: ['ZP1001'], roles: ['service_management', 'claim_submitter', 'achievement_entry'] });
      expect(await patAs('robin')).toEqual({ orgs: ['ZP2001'], roles: ['view'] });
      // (ordered by organisation name: Harbour Medical Practice, Riverside Medical Centre)
      expect(await patAs('sam')).toEqual({
        orgs: ['ZP2001', 'ZP1001'],
        roles: ['service_management', 'claim_submitter', 'view', 'achievement_entry'],
      });
    });
  });

  it("the UI's filters: organisation, role, status, name or email", async () => {
    await inTx(async (tx) => {
      // (other suites commit people of their own: only the demo people count here)
      const demo = Object.values(PERSON).map((id) => `'${id}'`).join(',');
      const where = (filter: string) => codes(tx, 'alex', `select full_name as k from public.user_directory where id in (${demo}) and ${filter}`);
      expect(await where(`organisation_ids @> '{${ORG.ZP1001}}'`)).toEqual(['Ash Approver', 'Pat Practice']);
      expect(await where(`roles @> '{approver_tier_1}'`)).toEqual(['Casey Cluster', 'Taylor Tier-One']);
      expect(await where(`status = 'pending'`)).toEqual(['Nina Newman', 'Reception Team']);
      expect(await where(`(full_name ilike '%tier%' or email ilike '%tier%')`)).toEqual(['Jordan Tier-Two', 'Taylor Tier-One']);
      expect(await where(`(full_name ilike '%riverside%' or email ilike '%riverside%')`)).toEqual(['Ash Approver', 'Lee Lead', 'Pat Practice']);
    });
  });

  it('a colleague without administration sees active colleagues only, never requests', async () => {
    await inTx(async (tx) => {
      const seen = await codes(tx, 'chris', `select full_name as k from public.user_directory`);
      expect(seen).toContain('Alex Admin');
      expect(seen).not.toContain('Nina Newman');
      expect(await codes(tx, 'chris', `select m ->> 'status' as k from public.user_directory, jsonb_array_elements(memberships) m`)).not.toContain(
        'requested',
      );
    });
  });
});

// ---------------------------------------------------------------- PCN relationships

const addPcn = (practice: string, pcn: string, from: string | null) => (sp: Tx) =>
  sp<{ id: string }[]>`select public.add_pcn_membership(${practice}::uuid, ${pcn}::uuid, ${from}::date) as id`;
const endPcn = (id: string, to: string | null) => (sp: Tx) => sp`select public.end_pcn_membership(${id}::uuid, ${to}::date)`;
const report = (from: string | null, to: string | null) => (sp: Tx) =>
  sp<{ practice_ods_code: string; pcn_ods_code: string; valid_from: string; valid_to: string | null }[]>`
    select practice_ods_code, pcn_ods_code, to_char(valid_from, 'YYYY-MM-DD') as valid_from, to_char(valid_to, 'YYYY-MM-DD') as valid_to
    from public.network_relationship_report(${from}::date, ${to}::date)`;

async function pcnHistory(tx: Tx, practice: string) {
  return tx`
    select o.ods_code as pcn, to_char(pm.valid_from, 'YYYY-MM-DD') as valid_from, to_char(pm.valid_to, 'YYYY-MM-DD') as valid_to
    from public.pcn_memberships pm join public.organisations o on o.id = pm.pcn_id
    where pm.practice_id = ${practice} order by pm.valid_from`;
}

describe('end_pcn_membership and add_pcn_membership', () => {
  it('an ICB administrator moves a practice: ends the old relationship, adds the new; audited; the PCNs\' and practice\'s people told', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', endPcn(PCN.ZP1004_ZU102, '2024-12-31'));
      const [added] = await asOk(tx, 'alex', addPcn(ORG.ZP1004, ORG.ZU101, '2025-01-01'));
      expect(await pcnHistory(tx, ORG.ZP1004)).toEqual([
        { pcn: 'ZU102', valid_from: '2020-07-01', valid_to: '2024-12-31' },
        { pcn: 'ZU101', valid_from: '2025-01-01', valid_to: null },
      ]);
      const audit = await tx`
        select action, actor_id, entity_type, entity_id, organisation_id, before ->> 'valid_to' as before_to, after ->> 'valid_to' as after_to
        from public.audit_log where entity_type = 'pcn_membership' and entity_id in (${PCN.ZP1004_ZU102}, ${added!.id}) order by id`;
      expect(audit).toEqual([
        {
          action: 'pcn_membership.end',
          actor_id: PERSON.alex,
          entity_type: 'pcn_membership',
          entity_id: PCN.ZP1004_ZU102,
          organisation_id: ORG.ZP1004,
          before_to: null,
          after_to: '2024-12-31',
        },
        {
          action: 'pcn_membership.add',
          actor_id: PERSON.alex,
          entity_type: 'pcn_membership',
          entity_id: added!.id,
          organisation_id: ORG.ZP1004,
          before_to: null,
          after_to: null,
        },
      ]);
      // Lee (Riverside PCN) is told about the new member; nobody works at Hill Top Surgery or Hillside PCN.
      const told = await tx`select recipient_id, subject, body from public.notifications where kind = 'pcn_membership_changed' order by created_at`;
      expect(told).toEqual([
        {
          recipient_id: PERSON.lee,
          subject: 'Hill Top Surgery (ZP1004) joins Riverside PCN (ZU101)',
          body: 'Alex Admin recorded that Hill Top Surgery (ZP1004) belongs to Riverside PCN (ZU101) from 01/01/2025.',
        },
      ]);
    });
  });

  it('ending tells the practice and the PCN; the end may be the first day', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', endPcn(PCN.ZP1001_ZU101, '2020-07-01'));
      // (Only the demo people: other suites commit people of their own at Riverside Medical Centre.)
      const told = await tx`
        select recipient_id, subject from public.notifications
        where kind = 'pcn_membership_changed' and recipient_id = any(${Object.values(PERSON)}::uuid[]) order by recipient_id`;
      expect(told).toEqual(
        [PERSON.pat, PERSON.ash, PERSON.lee]
          .sort()
          .map((recipient_id) => ({ recipient_id, subject: 'Riverside Medical Centre (ZP1001) leaves Riverside PCN (ZU101)' })),
      );
    });
  });

  it('a practice is in one PCN at a time: PT409 names the clashing PCN and says what to do', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1003, ORG.ZU102, '2025-01-01'))).toEqual({
        code: 'PT409',
        message: 'Mill Lane Practice (ZP1003) has been in Riverside PCN (ZU101) since 01/04/2024: a practice belongs to one PCN at a time.',
        hint: 'End that relationship first (last day 31/12/2024 or earlier), then add the new one.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1003, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: 'PT409',
        message: 'Mill Lane Practice (ZP1003) is already in Riverside PCN (ZU101), since 01/04/2024.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1003, ORG.ZU103, '2024-04-01'))).toMatchObject({
        code: 'PT409',
        message: 'Mill Lane Practice (ZP1003) has been in Riverside PCN (ZU101) since 01/04/2024, which overlaps a start on 01/04/2024.',
        unchanged: true,
      });
      // After an end, a start inside the ended period still clashes with it.
      await asOk(tx, 'alex', endPcn(PCN.ZP1004_ZU102, '2024-12-31'));
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1004, ORG.ZU103, '2024-12-31'))).toEqual({
        code: 'PT409',
        message: 'Hill Top Surgery (ZP1004) was in Hillside PCN (ZU102) until 31/12/2024, which overlaps a start on 31/12/2024.',
        hint: 'Choose a start date after 31/12/2024.',
        unchanged: true,
      });
      const [moved] = await asOk(tx, 'alex', addPcn(ORG.ZP1004, ORG.ZU103, '2025-01-01'));
      expect(moved!.id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it('input and state refusals', async () => {
    await inTx(async (tx) => {
      const unknown = randomUUID();
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1004, ORG.ZU101, null))).toMatchObject({
        code: '22023',
        message: 'Give the date the practice joins the PCN.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', addPcn(unknown, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: 'PT404',
        message: `No organisation with id ${unknown}.`,
        unchanged: true,
      });
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1004, unknown, '2025-01-01'))).toMatchObject({ code: 'PT404', unchanged: true });
      expect(await refused(tx, 'alex', addPcn(ORG.ZU102, ORG.ZU101, '2025-01-01'))).toEqual({
        code: '22023',
        message: 'Only a GP practice can join a PCN; Hillside PCN (ZU102) is a pcn.',
        hint: 'Choose an organisation of type practice.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', addPcn(ORG.ZP1004, ORG.ZP1002, '2025-01-01'))).toEqual({
        code: '22023',
        message: 'A practice can only join a PCN; Bridge Street Surgery (ZP1002) is a practice.',
        hint: 'Choose an organisation of type pcn.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', endPcn(PCN.ZP1004_ZU102, null))).toMatchObject({ code: '22023', unchanged: true });
      expect(await refused(tx, 'alex', endPcn(unknown, '2025-01-01'))).toMatchObject({
        code: 'PT404',
        message: `No PCN relationship with id ${unknown}.`,
        unchanged: true,
      });
      expect(await refused(tx, 'alex', endPcn(PCN.ZP1004_ZU102, '2020-06-30'))).toEqual({
        code: '22023',
        message: 'The last day (30/06/2020) is before the first day (01/07/2020).',
        hint: 'Choose 01/07/2020 or later.',
        unchanged: true,
      });
      expect(await refused(tx, 'alex', endPcn(PCN.ZP1003_ZU102, '2025-01-01'))).toEqual({
        code: 'PT409',
        message: 'The relationship of Mill Lane Practice (ZP1003) with Hillside PCN (ZU102) already ended on 31/03/2024.',
        hint: 'Only a current relationship can be ended.',
        unchanged: true,
      });
    });
  });

  it.each<[PersonName, string]>([
    ['sam', 'the Support Desk reaches no organisations'],
    ['chris', 'commissioner without an administrator role'],
    ['taylor', 'Tier 1 reviewer'],
    ['casey', 'cluster reviewer'],
    ['robin', 'administrator of another ICB'],
    ['pat', 'practice user'],
    ['ash', 'Provider Approver'],
    ['lee', 'PCN lead'],
  ])('refuses %s (%s) and changes nothing', async (who) => {
    await inTx(async (tx) => {
      expect(await refused(tx, who, endPcn(PCN.ZP1004_ZU102, '2024-12-31'))).toMatchObject({
        code: '42501',
        message: 'You may not end the relationship of Hill Top Surgery (ZP1004) with Hillside PCN (ZU102).',
        hint: 'Organisation Administrators or User Administrators of a commissioner above both the practice and the PCN manage PCN relationships.',
        unchanged: true,
      });
      await tx`update public.pcn_memberships set valid_to = '2024-12-31' where id = ${PCN.ZP1004_ZU102}`;
      expect(await refused(tx, who, addPcn(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'You may not add Hill Top Surgery (ZP1004) to Riverside PCN (ZU101).',
        unchanged: true,
      });
    });
  });

  it('reach must cover both the practice and the PCN', async () => {
    await inTx(async (tx) => {
      await tx`update public.pcn_memberships set valid_to = '2024-12-31' where id = ${PCN_ROW(7)}`; // ZP2001 leaves ZU201
      expect(await refused(tx, 'alex', addPcn(ORG.ZP2001, ORG.ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await refused(tx, 'robin', addPcn(ORG.ZP2001, ORG.ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
      // An administrator restricted to a cluster reaches only its practices, not the PCNs.
      await asOk(tx, 'sam', (sp) => sp`select public.invite_user('una.admin@northshire.example', 'Una Admin', ${ORG.ZN1}::uuid, '{user_administrator}')`);
      const [una] = await tx<{ id: string; profile_id: string }[]>`
        select m.id, m.profile_id from public.memberships m join public.profiles p on p.id = m.profile_id where p.email = 'una.admin@northshire.example'`;
      // (Set up directly: the Support Desk may no longer assign clusters, issue 11, and an
      // administrator's membership needs an Advanced User Administrator, which the demo lacks.)
      await tx`select set_config('app.action', 'test.setup', true)`;
      await tx`insert into public.cluster_assignments (membership_id, cluster_id) values (${una!.id}, ${CLUSTER})`;
      await tx`select set_config('app.action', '', true)`;
      await tx`update auth.users set email_confirmed_at = now() where id = ${una!.profile_id}`; // accepts the invitation
      expect(await refused(tx, { sub: una!.profile_id }, endPcn(PCN.ZP1001_ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
    });
  });

  it('anon, a disabled account and a pending registration are refused', async () => {
    await inTx(async (tx) => {
      await withDisabledAndRevoked(tx);
      expect(await refused(tx, 'anon', endPcn(PCN.ZP1004_ZU102, '2024-12-31'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function end_pcn_membership',
        unchanged: true,
      });
      expect(await refused(tx, 'anon', addPcn(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({ code: '42501', unchanged: true });
      expect(await refused(tx, 'morgan', endPcn(PCN.ZP1004_ZU102, '2024-12-31'))).toMatchObject({
        code: '42501',
        message: 'Your account is disabled: only active accounts can do this.',
        unchanged: true,
      });
      expect(await refused(tx, 'nina', addPcn(ORG.ZP1004, ORG.ZU101, '2025-01-01'))).toMatchObject({
        code: '42501',
        message: 'Your account is pending: only active accounts can do this.',
        unchanged: true,
      });
      expect(await refused(tx, 'jordan', endPcn(PCN.ZP1004_ZU102, '2024-12-31'))).toMatchObject({ code: '42501', unchanged: true });
    });
  });
});

describe('add_pcn_membership at the same moment as another writer', () => {
  it('turns the exclusion constraint into PT409', async () => {
    // Needs two committed-to-each-other transactions: a database of its own.
    const scratch = await scratchDatabase('pcn_race');
    await bootstrapDatabase(scratch.url);
    await applyMigrations(scratch.url, {
      migrationsDir: path.join(projectRoot, 'supabase', 'migrations'),
      seedPath: path.join(projectRoot, 'supabase', 'seed.sql'),
    });
    const first = connect(scratch.url, { max: 1 });
    const second = connect(scratch.url, { max: 1 });
    const watcher = connect(scratch.url, { max: 1 });
    await first`update public.pcn_memberships set valid_to = '2024-12-31' where id = ${PCN.ZP1004_ZU102}`;

    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInserted!: () => void;
    const insertedByFirst = new Promise<void>((resolve) => (firstInserted = resolve));
    // The other writer: ZP1004 joins ZU103 from 01/06/2025, not yet committed.
    const other = first.begin(async (tx) => {
      await tx`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP1004}, ${ORG.ZU103}, '2025-06-01')`;
      firstInserted();
      await firstMayCommit;
    });
    await insertedByFirst;

    const call = second
      .begin(async (tx) => {
        await tx`select set_config('role', 'authenticated', true),
                        set_config('request.jwt.claims', ${JSON.stringify({ sub: PERSON.alex, role: 'authenticated' })}, true)`;
        // The check before the insert cannot see the other row yet; the insert waits for it.
        return tx`select public.add_pcn_membership(${ORG.ZP1004}::uuid, ${ORG.ZU101}::uuid, '2025-01-01'::date)`;
      })
      .then(
        () => ({ code: 'none', message: 'succeeded' }),
        (error: postgres.PostgresError) => ({ code: error.code, message: error.message, hint: error.hint }),
      );
    // Let the call reach the insert and wait there on the other writer's row; then commit that row.
    await expect
      .poll(
        async () =>
          (await watcher<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where wait_event_type = 'Lock' and datname = current_database() and query like '%add_pcn_membership%'`)[0]!.n,
        { timeout: 15_000 },
      )
      .toBe(1);
    releaseFirst();
    await other;
    expect(await call).toEqual({
      code: 'PT409',
      message: 'Hill Top Surgery (ZP1004) already has a PCN on 01/01/2025 or later.',
      hint: 'Someone changed its PCN history just now: reload it and try again.',
    });
    expect(await watcher`select count(*)::int as n from public.pcn_memberships where practice_id = ${ORG.ZP1004} and pcn_id = ${ORG.ZU101}`).toEqual([
      { n: 0 },
    ]);
  }, 120_000);
});

describe('network_relationship_report', () => {
  it('relationships overlapping the range, by PCN name, practice name, start', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'alex', report('2024-01-01', '2024-12-31'))).toEqual([
        { practice_ods_code: 'ZP1004', pcn_ods_code: 'ZU102', valid_from: '2020-07-01', valid_to: null }, // Hillside: Hill Top
        { practice_ods_code: 'ZP1003', pcn_ods_code: 'ZU102', valid_from: '2020-07-01', valid_to: '2024-03-31' }, // Hillside: Mill Lane
        { practice_ods_code: 'ZP1006', pcn_ods_code: 'ZU102', valid_from: '2020-07-01', valid_to: '2025-08-31' }, // Hillside: Orchard (issue 14)
        { practice_ods_code: 'ZP1002', pcn_ods_code: 'ZU101', valid_from: '2020-07-01', valid_to: null }, // Riverside: Bridge Street
        { practice_ods_code: 'ZP1003', pcn_ods_code: 'ZU101', valid_from: '2024-04-01', valid_to: null }, // Riverside: Mill Lane
        { practice_ods_code: 'ZP1001', pcn_ods_code: 'ZU101', valid_from: '2020-07-01', valid_to: null }, // Riverside: Riverside Medical
        { practice_ods_code: 'ZP1005', pcn_ods_code: 'ZU103', valid_from: '2020-07-01', valid_to: null }, // Westfield
      ]);
    });
  });

  it("the range's edges are inclusive: Mill Lane's move", async () => {
    await inTx(async (tx) => {
      const millLane = async (from: string, to: string) =>
        (await asOk(tx, 'alex', report(from, to))).filter((r) => r.practice_ods_code === 'ZP1003').map((r) => r.pcn_ods_code);
      expect(await millLane('2023-01-01', '2024-03-31')).toEqual(['ZU102']);
      expect(await millLane('2024-04-01', '2024-04-01')).toEqual(['ZU101']);
      expect(await millLane('2024-03-31', '2024-04-01')).toEqual(['ZU102', 'ZU101']);
      expect(await millLane('2019-01-01', '2020-06-30')).toEqual([]);
    });
  });

  it('rows are those the caller may see (RLS on pcn_memberships); filters by PCN or practice', async () => {
    await inTx(async (tx) => {
      const rows = async (who: Who) => (await asOk(tx, who, report('2024-01-01', '2024-12-31'))).map((r) => `${r.practice_ods_code}>${r.pcn_ods_code}`);
      expect(await rows('lee')).toEqual(['ZP1002>ZU101', 'ZP1003>ZU101', 'ZP1001>ZU101']);
      // A practice user sees every practice of their PCN in the range (job aid: "GP User").
      expect(await rows('pat')).toEqual(['ZP1002>ZU101', 'ZP1003>ZU101', 'ZP1001>ZU101']);
      expect(await rows('harper')).toEqual(['ZP2001>ZU201', 'ZP2002>ZU201']);
      expect(await rows('casey')).toEqual(['ZP1002>ZU101', 'ZP1001>ZU101']);
      expect(await rows('robin')).toEqual(['ZP2001>ZU201', 'ZP2002>ZU201']);
      expect(await rows('sam')).toEqual([]);
      await withDisabledAndRevoked(tx);
      expect(await rows('morgan')).toEqual([]);
      expect(await rows('jordan')).toEqual([]);
      expect(await rows('nina')).toEqual([]);
      const filtered = await asOk(tx, 'alex', (sp) => sp`
        select practice_ods_code from public.network_relationship_report('2020-01-01', '2030-12-31') where pcn_id = ${ORG.ZU102}`);
      expect(filtered).toEqual([{ practice_ods_code: 'ZP1004' }, { practice_ods_code: 'ZP1003' }, { practice_ods_code: 'ZP1006' }]);
    });
  });

  it('open ends; an end before the start is refused; anon may not call it', async () => {
    await inTx(async (tx) => {
      expect(await asOk(tx, 'alex', report(null, null))).toHaveLength(7);
      expect(await asOk(tx, 'alex', report('2024-04-01', null))).toHaveLength(6);
      expect(await refused(tx, 'alex', report('2024-12-01', '2024-01-31'))).toEqual({
        code: '22023',
        message: 'The end date (31/01/2024) is before the start date (01/12/2024).',
        hint: 'Choose an end date on or after the start date.',
        unchanged: true,
      });
      expect(await refused(tx, 'anon', report('2024-01-01', '2024-12-31'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function network_relationship_report',
        unchanged: true,
      });
    });
  });
});

// ---------------------------------------------------------------- disable_own_account

const disableOwn = (reason: string | null, text: string | null = null) => (sp: Tx) =>
  sp`select public.disable_own_account(${reason}::public.disable_reason, ${text}::text)`;

describe('disable_own_account', () => {
  it('any active account disables itself: banned, audited, told; it reaches nothing; the Support Desk can enable it again', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'pat', disableOwn('left_organisation'));
      const [profile] = await tx`
        select status, disable_reason, disable_reason_text, status_before_disable, status_changed_by from public.profiles where id = ${PERSON.pat}`;
      expect(profile).toEqual({
        status: 'disabled',
        disable_reason: 'left_organisation',
        disable_reason_text: null,
        status_before_disable: 'active',
        status_changed_by: PERSON.pat,
      });
      const [user] = await tx`select banned_until > now() + interval '90 years' as banned from auth.users where id = ${PERSON.pat}`;
      expect(user).toEqual({ banned: true });
      const audit = await tx`
        select action, actor_id, subject_profile_id, before ->> 'status' as before_status, after ->> 'status' as after_status, reason
        from public.audit_log where entity_id = ${PERSON.pat} and action like 'account.%'`;
      expect(audit).toEqual([
        {
          action: 'account.disable_own',
          actor_id: PERSON.pat,
          subject_profile_id: PERSON.pat,
          before_status: 'active',
          after_status: 'disabled',
          reason: 'left_organisation',
        },
      ]);
      const told = await tx`select kind, subject, body from public.notifications where recipient_id = ${PERSON.pat} and kind = 'account_disabled'`;
      expect(told).toEqual([
        {
          kind: 'account_disabled',
          subject: 'You have disabled your account',
          body: 'You disabled your account (left organisation) and can no longer sign in. If this was not you, or you need the account again, contact the Support Desk.',
        },
      ]);
      expect(await myAccess(tx, 'pat')).toMatchObject({ status: 'disabled', memberships: [] });
      expect(await codes(tx, 'pat', `select ods_code as k from public.my_organisations`)).toEqual([]);
      expect(await refused(tx, 'pat', disableOwn('left_organisation'))).toMatchObject({
        code: '42501',
        message: 'Your account is disabled: only active accounts can do this.',
        unchanged: true,
      });
      await asOk(tx, 'sam', (sp) => sp`select public.enable_account(${PERSON.pat}::uuid)`);
      expect(await myAccess(tx, 'pat')).toMatchObject({ status: 'active', memberships: [{ ods_code: 'ZP1001', status: 'active' }] });
    });
  });

  it.each<PersonName>(['sam', 'alex', 'chris', 'taylor', 'casey', 'robin', 'ash', 'lee'])('%s may disable their own account', async (who) => {
    await inTx(async (tx) => {
      await asOk(tx, who, disableOwn('other', 'Changing jobs'));
      const [profile] = await tx`select status, disable_reason_text from public.profiles where id = ${PERSON[who]}`;
      expect(profile).toEqual({ status: 'disabled', disable_reason_text: 'Changing jobs' });
    });
  });

  it('the reason rules of disable_account', async () => {
    await inTx(async (tx) => {
      expect(await refused(tx, 'pat', disableOwn(null))).toMatchObject({
        code: '22023',
        message: 'Choose a reason for disabling the account.',
        unchanged: true,
      });
      expect(await refused(tx, 'pat', disableOwn('other', '   '))).toMatchObject({
        code: '22023',
        message: 'The reason "other" needs an explanation.',
        unchanged: true,
      });
      expect(await refused(tx, 'pat', disableOwn('inactivity', 'Because'))).toMatchObject({
        code: '22023',
        message: 'Only the reason "other" takes a free text, not inactivity.',
        unchanged: true,
      });
      expect(await refused(tx, 'pat', disableOwn('other', 'x'.repeat(251)))).toMatchObject({
        code: '22023',
        message: 'The explanation is too long (251 characters; at most 250).',
        unchanged: true,
      });
      await asOk(tx, 'pat', disableOwn('other', 'x'.repeat(250)));
    });
  });

  it('anon, a token without a user, a pending registration and a disabled account are refused', async () => {
    await inTx(async (tx) => {
      await withDisabledAndRevoked(tx);
      expect(await refused(tx, 'anon', disableOwn('inactivity'))).toMatchObject({
        code: '42501',
        message: 'permission denied for function disable_own_account',
        unchanged: true,
      });
      expect(await refused(tx, { sub: null }, disableOwn('inactivity'))).toMatchObject({ code: '42501', message: 'Sign in to do this.', unchanged: true });
      expect(await refused(tx, 'nina', disableOwn('inactivity'))).toMatchObject({
        code: '42501',
        message: 'Your account is pending: only active accounts can do this.',
        unchanged: true,
      });
      expect(await refused(tx, 'morgan', disableOwn('inactivity'))).toMatchObject({ code: '42501', unchanged: true });
      // A revoked membership does not stop a person from leaving.
      await asOk(tx, 'jordan', disableOwn('no_longer_required'));
    });
  });
});

describe('read functions change nothing', () => {
  it('my_access, the views and the report leave the database as it was', async () => {
    await inTx(async (tx) => {
      const before = await digest(tx);
      for (const who of ['sam', 'alex', 'pat', 'nina'] as const) {
        await as(tx, who, async (sp) => {
          await sp`select public.my_access()`;
          await sp`select count(*) from public.my_organisations`;
          await sp`select count(*) from public.pending_registrations`;
          await sp`select count(*) from public.pending_access_requests`;
          await sp`select count(*) from public.user_directory`;
          await sp`select count(*) from public.network_relationship_report(null, null)`;
        });
      }
      expect(await digest(tx)).toBe(before);
    });
  });
});
