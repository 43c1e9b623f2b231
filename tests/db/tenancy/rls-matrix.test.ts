// Row-level security matrix: every table in `public` × every verb × every
// persona, proving both what is allowed and what is denied. Statements run as
// an API request does (role authenticated or anon, request.jwt.claims) in a
// rolled-back transaction on the seeded demo data, in which:
//   * Jordan Tier-Two's ZN1 membership has been revoked (by Alex, through
//     public.revoke_membership) — "a user with a revoked membership";
//   * Morgan Finance's account has been disabled (by Sam, through
//     public.disable_account) — "a disabled user";
//   * Nina Newman is a pending registration.
// Outcomes: the list of visible/affected row keys, or 'denied' (42501).
import { describe, expect, it } from 'vitest';
import { as, asOk, CLUSTER, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx, type Who } from './fixtures.ts';

const PERSONAS: Who[] = ['anon', 'sam', 'alex', 'chris', 'taylor', 'casey', 'robin', 'pat', 'ash', 'lee', 'jordan', 'morgan', 'nina'];
const AUTHENTICATED = PERSONAS.filter((p): p is PersonName => p !== 'anon');

const NAME_OF_ID = new Map<string, string>(Object.entries(PERSON).map(([name, id]) => [id, name]));
const CODE_OF_ID = new Map<string, string>(Object.entries(ORG).map(([code, id]) => [id, code]));
/** Replace known uuids in a key by demo names and ODS codes (readable expectations). */
function readable(key: string): string {
  return key.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
    NAME_OF_ID.get(id) ?? CODE_OF_ID.get(id) ?? (id === CLUSTER ? 'CL-ZN1-001' : id),
  );
}

/** The demo state the matrix runs in (see the header). */
async function setUp(tx: Tx): Promise<void> {
  await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.jordan}, 'Moved to another ICB')`);
  await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}, 'left_organisation')`);
}

type Result = string[] | 'denied';

/** Run `statement` (returning one text column `k`) as `who`; keys sorted, or 'denied' on 42501. */
async function run(tx: Tx, who: Who, statement: string): Promise<Result> {
  const outcome = await as(tx, who, (sp) => sp.unsafe<{ k: string }[]>(statement));
  if (!outcome.ok) {
    if (outcome.error.code === '42501') return 'denied';
    throw new Error(`${String(who)}: ${statement}\n→ ${outcome.error.code} ${outcome.error.message}`);
  }
  return outcome.value.map((row) => readable(String(row.k))).sort();
}

/** The same statement as the superuser (everything), for "sees all" expectations. */
async function everything(tx: Tx, statement: string): Promise<string[]> {
  const rows = await tx.unsafe<{ k: string }[]>(statement);
  return rows.map((row) => readable(String(row.k))).sort();
}

type Expectation = Result | 'all' | ((tx: Tx) => Promise<string[]>);

async function check(
  statement: string,
  expected: Partial<Record<Who, Expectation>>,
  fallback: Expectation,
  /** More state for this check only, made after the common set-up. */
  extraSetUp?: (tx: Tx) => Promise<void>,
): Promise<void> {
  await inTx(async (tx) => {
    await setUp(tx);
    await extraSetUp?.(tx);
    const problems: string[] = [];
    for (const who of PERSONAS) {
      const want = expected[who] ?? fallback;
      const wanted = want === 'all' ? await everything(tx, statement) : typeof want === 'function' ? await want(tx) : want;
      const got = await run(tx, who, statement);
      if (JSON.stringify(got) !== JSON.stringify(wanted)) {
        problems.push(`${who}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(got)}`);
      }
    }
    expect(problems, statement).toEqual([]);
  });
}

const DEMO_CODES = Object.keys(ORG);
const ZN1_TREE = ['ZN1', 'ZN1E', 'ZN1W', 'ZP1001', 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1005', 'ZP1006', 'ZU101', 'ZU102', 'ZU103'];
const ZS1_TREE = ['ZP2001', 'ZP2002', 'ZS1', 'ZS1C', 'ZU201'];
const idsOf = (codes: string[]) => codes.map((c) => `'${ORG[c as keyof typeof ORG]}'`).join(',');

describe('public.organisations (the ODS directory: readable by everyone, written by nobody through the API)', () => {
  it('select: every persona, anon included, reads every demo organisation', async () => {
    await check(`select ods_code as k from public.organisations where ods_code in (${DEMO_CODES.map((c) => `'${c}'`).join(',')})`, {}, [
      ...DEMO_CODES,
    ].sort());
  });
  it('insert: refused for everyone (no privilege, no policy)', async () => {
    await check(
      `insert into public.organisations (ods_code, name, type, parent_id) values ('QM0001', 'Intruder Surgery', 'practice', '${ORG.ZN1E}') returning ods_code as k`,
      {},
      'denied',
    );
  });
  it('update: refused for everyone (no privilege)', async () => {
    await check(`update public.organisations set name = name || ' (renamed)' returning ods_code as k`, {}, 'denied');
  });
  it('delete: refused for everyone (no privilege)', async () => {
    await check(`delete from public.organisations where ods_code = 'ZP2002' returning ods_code as k`, {}, 'denied');
  });
});

describe('public.organisation_closure (derived from the directory; signed-in people only)', () => {
  const select = `select ancestor_id::text || '>' || descendant_id::text as k from public.organisation_closure`;
  it('select: every signed-in persona reads the tree; anon is denied', async () => {
    await check(select, { anon: 'denied' }, 'all');
  });
  it('insert, update, delete: denied for everyone', async () => {
    await check(`insert into public.organisation_closure values ('${ORG.ZE1}', '${ORG.ZP1001}', 4) returning depth::text as k`, {}, 'denied');
    await check(`update public.organisation_closure set depth = depth returning depth::text as k`, {}, 'denied');
    await check(`delete from public.organisation_closure returning depth::text as k`, {}, 'denied');
  });
});

describe('public.commissioner_settings', () => {
  const select = `select o.ods_code as k from public.commissioner_settings s join public.organisations o on o.id = s.organisation_id
                  where o.ods_code in (${DEMO_CODES.map((c) => `'${c}'`).join(',')})`;
  it('select: members read their commissioners (reach + ancestors); nobody else', async () => {
    const northshire = ['ZE1', 'ZN1', 'ZN1E', 'ZN1W', 'ZR1'];
    const aboveRiverside = ['ZE1', 'ZN1', 'ZN1E', 'ZR1'];
    await check(
      select,
      {
        anon: 'denied',
        alex: northshire,
        chris: northshire,
        taylor: northshire,
        casey: ['ZE1', 'ZN1', 'ZR1'],
        robin: ['ZE1', 'ZR1', 'ZS1', 'ZS1C'],
        pat: aboveRiverside,
        ash: aboveRiverside,
        lee: aboveRiverside,
      },
      [],
    );
  });
  it('update (risk bands): only an Organisation Administrator, only within reach', async () => {
    await check(
      `update public.commissioner_settings s set medium_risk_from = 16000 from public.organisations o
       where o.id = s.organisation_id and s.organisation_id in ('${ORG.ZN1}', '${ORG.ZS1}') returning o.ods_code as k`,
      { anon: 'denied', alex: ['ZN1'], robin: ['ZS1'] },
      [],
    );
  });
  it('update of a column nobody edits directly (updated_by): denied', async () => {
    await check(`update public.commissioner_settings set updated_by = null returning organisation_id::text as k`, {}, 'denied');
  });
  it('insert and delete: denied', async () => {
    await check(`insert into public.commissioner_settings (organisation_id) values ('${ORG.ZU101}') returning organisation_id::text as k`, {}, 'denied');
    await check(`delete from public.commissioner_settings returning organisation_id::text as k`, {}, 'denied');
  });
});

describe('public.practice_settings', () => {
  const select = `select o.ods_code as k from public.practice_settings s join public.organisations o on o.id = s.organisation_id
                  where o.ods_code in (${DEMO_CODES.map((c) => `'${c}'`).join(',')})`;
  it('select: the practice itself and the commissioners reaching it', async () => {
    const northshire = ['ZP1001', 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1005', 'ZP1006'];
    await check(
      select,
      {
        anon: 'denied',
        alex: northshire,
        chris: northshire,
        taylor: northshire,
        casey: ['ZP1001', 'ZP1002'],
        robin: ['ZP2001', 'ZP2002'],
        pat: ['ZP1001'],
        ash: ['ZP1001'],
      },
      [],
    );
  });
  it('update (one-step / two-step): only a commissioner Organisation Administrator reaching the practice', async () => {
    await check(
      `update public.practice_settings s set approval_mode = 'two_step' from public.organisations o
       where o.id = s.organisation_id and s.organisation_id in ('${ORG.ZP1002}', '${ORG.ZP2002}', '${ORG.ZP1001}') returning o.ods_code as k`,
      { anon: 'denied', alex: ['ZP1001', 'ZP1002'], robin: ['ZP2002'] },
      [],
    );
  });
  it('insert and delete: denied', async () => {
    await check(`insert into public.practice_settings (organisation_id) values ('${ORG.ZP1001}') returning organisation_id::text as k`, {}, 'denied');
    await check(`delete from public.practice_settings returning organisation_id::text as k`, {}, 'denied');
  });
});

describe('public.pcn_memberships', () => {
  const select = `select practice_id::text || '>' || pcn_id::text || '@' || valid_from as k from public.pcn_memberships
                  where practice_id in (${idsOf(DEMO_CODES)})`;
  it('select: the history of practices and PCNs within reach', async () => {
    const northshire = [
      'ZP1001>ZU101@2020-07-01',
      'ZP1002>ZU101@2020-07-01',
      'ZP1003>ZU101@2024-04-01',
      'ZP1003>ZU102@2020-07-01',
      'ZP1004>ZU102@2020-07-01',
      'ZP1005>ZU103@2020-07-01',
      'ZP1006>ZU102@2020-07-01', // Orchard Surgery: no PCN since 01/09/2025 (issue 14's demo)
    ];
    await check(
      select,
      {
        anon: 'denied',
        alex: northshire,
        chris: northshire,
        taylor: northshire,
        casey: ['ZP1001>ZU101@2020-07-01', 'ZP1002>ZU101@2020-07-01'],
        robin: ['ZP2001>ZU201@2020-07-01', 'ZP2002>ZU201@2020-07-01'],
        pat: ['ZP1001>ZU101@2020-07-01'],
        ash: ['ZP1001>ZU101@2020-07-01'],
        lee: ['ZP1001>ZU101@2020-07-01', 'ZP1002>ZU101@2020-07-01', 'ZP1003>ZU101@2024-04-01'],
      },
      [],
    );
  });
  it('insert, update, delete: denied', async () => {
    await check(
      `insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values ('${ORG.ZP2002}', '${ORG.ZU201}', '2030-01-01') returning id::text as k`,
      {},
      'denied',
    );
    await check(`update public.pcn_memberships set valid_to = valid_to returning id::text as k`, {}, 'denied');
    await check(`delete from public.pcn_memberships returning id::text as k`, {}, 'denied');
  });
});

// Other suites (running in parallel) commit people of their own: the lists
// below are restricted to the demo people; "all" is compared with the superuser's view.
const DEMO_PEOPLE = Object.values(PERSON).map((id) => `'${id}'`).join(',');

describe('public.profiles', () => {
  const select = `select id::text as k from public.profiles where id in (${DEMO_PEOPLE})`;
  const northshireStaff = ['alex', 'ash', 'casey', 'chris', 'lee', 'morgan', 'pat', 'taylor'];
  it('select: yourself, colleagues with active access within reach, the people you administer; the Support Desk all', async () => {
    await check(
      select,
      {
        anon: 'denied',
        sam: 'all',
        // administers ZN1's subtree: every membership there, requested and revoked included
        alex: [...northshireStaff, 'jordan', 'nina', 'reception'].sort(),
        chris: northshireStaff,
        taylor: northshireStaff,
        casey: ['ash', 'casey', 'pat'],
        robin: ['dana', 'harper', 'robin'],
        pat: ['ash', 'pat'],
        ash: ['ash', 'pat'], // Provider Approver of a two-step practice administers its people
        lee: ['lee'],
        jordan: ['jordan'], // revoked: still sees their own profile
        morgan: [], // disabled: nothing at all
        nina: ['nina'], // pending: only themselves
      },
      [],
    );
  });
  it("update of your own name: allowed (not when disabled); nobody else's", async () => {
    const own = Object.fromEntries(AUTHENTICATED.map((p) => [p, [p]])) as Record<Who, string[]>;
    await check(
      `update public.profiles set full_name = coalesce(full_name, 'X') where id in (${DEMO_PEOPLE}) returning id::text as k`,
      { ...own, anon: 'denied', morgan: [] },
      [],
    );
  });
  it('update of the status (or email): denied to everyone, own row included', async () => {
    await check(`update public.profiles set status = 'active' where id = auth.uid() returning id::text as k`, {}, 'denied');
    await check(`update public.profiles set email = 'someone@else.example' returning id::text as k`, {}, 'denied');
  });
  it('insert and delete: denied', async () => {
    await check(`insert into public.profiles (id, email) values (gen_random_uuid(), 'x@y.example') returning id::text as k`, {}, 'denied');
    await check(`delete from public.profiles returning id::text as k`, {}, 'denied');
  });
});

describe('public.memberships', () => {
  const select = `select profile_id::text || '@' || organisation_id::text as k from public.memberships where profile_id in (${DEMO_PEOPLE})`;
  const northshireActive = ['alex@ZN1', 'ash@ZP1001', 'casey@ZN1', 'chris@ZN1', 'lee@ZU101', 'morgan@ZN1', 'pat@ZP1001', 'taylor@ZN1'];
  it('select: your own, active colleagues within reach, everything you administer; the Support Desk all', async () => {
    await check(
      select,
      {
        anon: 'denied',
        sam: 'all',
        alex: [...northshireActive, 'jordan@ZN1', 'nina@ZP1002', 'reception@ZP1003'].sort(),
        chris: northshireActive,
        taylor: northshireActive,
        casey: ['ash@ZP1001', 'casey@ZN1', 'pat@ZP1001'],
        robin: ['dana@ZS1', 'harper@ZP2001', 'robin@ZS1'],
        pat: ['ash@ZP1001', 'pat@ZP1001'],
        ash: ['ash@ZP1001', 'pat@ZP1001'],
        lee: ['lee@ZU101'],
        jordan: ['jordan@ZN1'],
        morgan: [],
        nina: ['nina@ZP1002'],
      },
      [],
    );
  });
  it('insert, update (status or roles), delete: denied — changes go through the action functions', async () => {
    await check(
      `insert into public.memberships (profile_id, organisation_id, roles) values (auth.uid(), '${ORG.ZS1}', '{approver_tier_2}') returning id::text as k`,
      {},
      'denied',
    );
    await check(`update public.memberships set status = 'active' returning id::text as k`, {}, 'denied');
    await check(`update public.memberships set roles = '{approver_tier_2}' returning id::text as k`, {}, 'denied');
    await check(`delete from public.memberships returning id::text as k`, {}, 'denied');
  });
});

describe('public.platform_roles', () => {
  it('select: your own; the Support Desk all', async () => {
    await check(`select profile_id::text || ':' || role as k from public.platform_roles`, { anon: 'denied', sam: ['sam:support_desk'] }, []);
  });
  it('insert, update, delete: denied', async () => {
    await check(`insert into public.platform_roles (profile_id, role) values (auth.uid(), 'support_desk') returning role::text as k`, {}, 'denied');
    await check(`update public.platform_roles set role = role returning role::text as k`, {}, 'denied');
    await check(`delete from public.platform_roles returning role::text as k`, {}, 'denied');
  });
});

describe('public.clusters, cluster_organisations, cluster_assignments', () => {
  const northshire = ['alex', 'chris', 'taylor', 'casey'];
  it("select clusters: the commissioner's staff and the people assigned", async () => {
    const seen = Object.fromEntries(northshire.map((p) => [p, ['CL-ZN1-001']]));
    await check(`select short_name as k from public.clusters`, { anon: 'denied', ...seen }, []);
  });
  it('select cluster organisations: with their cluster', async () => {
    const seen = Object.fromEntries(northshire.map((p) => [p, ['CL-ZN1-001>ZP1001', 'CL-ZN1-001>ZP1002']]));
    await check(`select cluster_id::text || '>' || organisation_id::text as k from public.cluster_organisations`, { anon: 'denied', ...seen }, []);
  });
  it('select cluster assignments: with their cluster', async () => {
    const seen = Object.fromEntries(northshire.map((p) => [p, [`CL-ZN1-001>${MEMBERSHIP.casey}`]]));
    await check(`select cluster_id::text || '>' || membership_id::text as k from public.cluster_assignments`, { anon: 'denied', ...seen }, []);
  });
  it('insert, update, delete on all three: denied — changes go through the action functions', async () => {
    await check(
      `insert into public.clusters (commissioner_id, short_name, name) values ('${ORG.ZN1}', 'CL-ZN1-999', 'Sneaky') returning id::text as k`,
      {},
      'denied',
    );
    await check(`update public.clusters set name = 'Renamed' returning id::text as k`, {}, 'denied');
    await check(`delete from public.clusters returning id::text as k`, {}, 'denied');
    await check(
      `insert into public.cluster_organisations (cluster_id, organisation_id) values ('${CLUSTER}', '${ORG.ZP1003}') returning cluster_id::text as k`,
      {},
      'denied',
    );
    await check(`update public.cluster_organisations set added_by = null returning cluster_id::text as k`, {}, 'denied');
    await check(`delete from public.cluster_organisations returning cluster_id::text as k`, {}, 'denied');
    await check(
      `insert into public.cluster_assignments (cluster_id, membership_id) values ('${CLUSTER}', '${MEMBERSHIP.taylor}') returning cluster_id::text as k`,
      {},
      'denied',
    );
    await check(`update public.cluster_assignments set assigned_by = null returning cluster_id::text as k`, {}, 'denied');
    await check(`delete from public.cluster_assignments returning cluster_id::text as k`, {}, 'denied');
  });
});

describe('public.audit_log', () => {
  const select = `select id::text as k from public.audit_log`;
  /** Expected rows for a persona, by the rule stated in the policy, computed as the superuser. */
  const by = (filter: string) => async (tx: Tx) =>
    (await tx.unsafe<{ k: string }[]>(`select id::text as k from public.audit_log where ${filter}`)).map((r) => r.k).sort();
  const subject = (who: PersonName) => `subject_profile_id = '${PERSON[who]}'`;
  const accountLevelAbout = (codes: string[]) =>
    `(organisation_id is null and subject_profile_id in (select profile_id from public.memberships where organisation_id in (${idsOf(codes)})))`;
  it('select: the Support Desk entries about people; User Administrators their organisations; everyone the entries about themselves', async () => {
    const own = Object.fromEntries(AUTHENTICATED.map((p) => [p, by(subject(p))]));
    await check(
      select,
      {
        ...own,
        anon: 'denied',
        sam: by(`subject_profile_id in (select id from public.profiles)`), // entries about people
        // …plus account-level entries (no organisation) about the people they administer.
        alex: by(`organisation_id in (${idsOf(ZN1_TREE)}) or ${subject('alex')} or ${accountLevelAbout(ZN1_TREE)}`),
        robin: by(`organisation_id in (${idsOf(ZS1_TREE)}) or ${subject('robin')} or ${accountLevelAbout(ZS1_TREE)}`),
        ash: by(`organisation_id = '${ORG.ZP1001}' or ${subject('ash')} or ${accountLevelAbout(['ZP1001'])}`),
        morgan: [],
      },
      [],
    );
  });
  it('… and those sets are not trivially empty', async () => {
    await inTx(async (tx) => {
      await setUp(tx);
      const actions = async (who: Who) =>
        run(tx, who, `select action || ':' || coalesce(subject_profile_id::text, organisation_id::text) as k from public.audit_log`);
      expect(await actions('alex')).toEqual(
        expect.arrayContaining(['membership.revoke:jordan', 'registration.submit:nina', 'registration.submit:reception', 'practice_settings.update:ZP1001']),
      );
      expect(await actions('alex')).not.toContain('registration.submit:dana');
      expect(await actions('robin')).toEqual(expect.arrayContaining(['registration.submit:dana', 'commissioner_settings.update:ZS1']));
      expect(await actions('jordan')).toEqual(expect.arrayContaining(['membership.revoke:jordan']));
      expect(await actions('sam')).toEqual(expect.arrayContaining(['account.disable:morgan', 'membership.revoke:jordan']));
      expect(await actions('sam')).not.toContain('practice_settings.update:ZP1001'); // organisations' business
    });
  });
  it('insert, update, delete: denied', async () => {
    await check(
      `insert into public.audit_log (actor_role, action, entity_type, entity_id) values ('authenticated', 'x.y', 'x', '1') returning id::text as k`,
      {},
      'denied',
    );
    await check(`update public.audit_log set reason = 'edited' returning id::text as k`, {}, 'denied');
    await check(`delete from public.audit_log returning id::text as k`, {}, 'denied');
  });
});

describe('public.notifications', () => {
  const mine = (who: PersonName) => async (tx: Tx) =>
    (await tx.unsafe<{ k: string }[]>(`select kind::text as k from public.notifications where recipient_id = '${PERSON[who]}'`)).map((r) => r.k).sort();
  it('select: only your own', async () => {
    const own = Object.fromEntries(AUTHENTICATED.map((p) => [p, mine(p)]));
    await check(`select kind::text as k from public.notifications`, { ...own, anon: 'denied', morgan: [] }, []);
  });
  it('… which for the demo are: Alex two registrations, Sam (among others) Dana\'s, Jordan the revocation and his Tier 2 tasks', async () => {
    await inTx(async (tx) => {
      await setUp(tx);
      const kinds = (who: Who) => run(tx, who, `select kind::text as k from public.notifications`);
      const subjects = (who: Who) => run(tx, who, `select subject as k from public.notifications`);
      // (Other suites commit registrations of their own for Northshire practices: the demo's two at least.)
      expect(await subjects('alex')).toEqual(expect.arrayContaining(['Registration waiting: Nina Newman', 'Registration waiting: Reception Team']));
      // Every sign-up without an organisation (other suites make some) also goes to the Support Desk.
      expect(await subjects('sam')).toContain('Registration waiting: Dana Newadmin');
      // Jordan: the revocation, the demo claims waiting for Tier 2 (36007, 36013, 36014) and the demo declarations
      // that waited or wait for his approval (Hill Top's and Westfield's 30/09/2025, done; Hill Top's 31/03/2026).
      expect(await kinds('jordan')).toEqual([
        'claim_awaiting_review', 'claim_awaiting_review', 'claim_awaiting_review',
        'declaration_awaiting_approval', 'declaration_awaiting_approval', 'declaration_awaiting_approval', 'membership_revoked',
      ]);
      // Queued, but unreadable while disabled: the disabling, the demo claim waiting for Finance (36005) and the demo
      // declarations waiting or having waited for Finance (Hill Top's and Westfield's 30/09/2025).
      expect(await mine('morgan')(tx)).toEqual(['account_disabled', 'claim_awaiting_review', 'declaration_awaiting_finance', 'declaration_awaiting_finance']);
    });
  });
  it('update read_at: your own only (not when disabled)', async () => {
    const own = Object.fromEntries(AUTHENTICATED.map((p) => [p, mine(p)]));
    await check(`update public.notifications set read_at = now() returning kind::text as k`, { ...own, anon: 'denied', morgan: [] }, []);
  });
  it('update of anything else, insert, delete: denied', async () => {
    await check(`update public.notifications set subject = 'Changed' returning kind::text as k`, {}, 'denied');
    await check(`update public.notifications set emailed_at = now() returning kind::text as k`, {}, 'denied');
    await check(
      `insert into public.notifications (recipient_id, kind, subject, body) values (auth.uid(), 'invitation', 's', 'b') returning kind::text as k`,
      {},
      'denied',
    );
    await check(`delete from public.notifications returning kind::text as k`, {}, 'denied');
  });
});

describe('public.notification_preferences (own rows; changed only through set_notification_preferences)', () => {
  // Preferences of Pat, Alex, Lee and (disabled) Morgan, written as the superuser.
  const withPreferences = async (tx: Tx) => {
    await tx`
      insert into public.notification_preferences (profile_id, kind, delivery) values
        (${PERSON.pat}, 'roles_changed', 'portal_only'), (${PERSON.pat}, 'cluster_changed', 'email'),
        (${PERSON.alex}, 'registration_waiting', 'portal_only'), (${PERSON.lee}, 'pcn_membership_changed', 'portal_only'),
        (${PERSON.morgan}, 'roles_changed', 'portal_only')`;
  };
  const select = `select profile_id::text || ':' || kind::text as k from public.notification_preferences`;
  it('select: your own only; the Support Desk only its own; disabled and anon nothing', async () => {
    await check(
      select,
      {
        anon: 'denied',
        pat: ['pat:cluster_changed', 'pat:roles_changed'],
        alex: ['alex:registration_waiting'],
        lee: ['lee:pcn_membership_changed'],
        morgan: [],
      },
      [],
      withPreferences,
    );
  });
  it('insert, update, delete: denied for everyone, own rows included', async () => {
    await check(
      `insert into public.notification_preferences (profile_id, kind, delivery) values (auth.uid(), 'roles_changed', 'portal_only') returning kind::text as k`,
      {},
      'denied',
      withPreferences,
    );
    await check(`update public.notification_preferences set delivery = 'email' returning kind::text as k`, {}, 'denied', withPreferences);
    await check(`delete from public.notification_preferences returning kind::text as k`, {}, 'denied', withPreferences);
  });
});

// ---------------------------------------------------------------- views
// The portal's views run as the caller (security_invoker): the tables' RLS
// applies, and a private helper picks the rows each view is about.

/**
 * Writes through a view are refused for every persona: no privilege (42501),
 * or, for views Postgres cannot update at all, 55000 ("cannot insert into view").
 */
async function expectViewWritesRefused(view: string, column: string, extraSetUp?: (tx: Tx) => Promise<void>): Promise<void> {
  const statements = [
    `insert into public.${view} (${column}) values (null) returning ${column}::text as k`,
    `update public.${view} set ${column} = ${column} returning ${column}::text as k`,
    `delete from public.${view} returning ${column}::text as k`,
  ];
  await inTx(async (tx) => {
    await setUp(tx);
    await extraSetUp?.(tx);
    const problems: string[] = [];
    for (const statement of statements) {
      for (const who of PERSONAS) {
        const outcome = await as(tx, who, (sp) => sp.unsafe(statement));
        if (outcome.ok) problems.push(`${who}: ${statement} succeeded`);
        else if (!['42501', '55000'].includes(outcome.error.code)) problems.push(`${who}: ${statement} → ${outcome.error.code} ${outcome.error.message}`);
      }
    }
    expect(problems).toEqual([]);
  });
}

describe('public.my_organisations (the organisations a page may browse)', () => {
  const select = `select ods_code as k from public.my_organisations where ods_code in (${DEMO_CODES.map((c) => `'${c}'`).join(',')})`;
  it('select: your reach (commissioners their subtree or clusters, providers their own); the Support Desk everything', async () => {
    await check(
      select,
      {
        anon: 'denied',
        sam: [...DEMO_CODES].sort(),
        alex: ZN1_TREE,
        chris: ZN1_TREE,
        taylor: ZN1_TREE,
        casey: ['ZP1001', 'ZP1002'],
        robin: ZS1_TREE,
        pat: ['ZP1001'],
        ash: ['ZP1001'],
        lee: ['ZU101'], // a PCN membership reaches the PCN, not its practices
      },
      [], // revoked (jordan), disabled (morgan), pending (nina): nothing
    );
  });
  it('insert, update, delete through the view: refused for everyone', async () => {
    await expectViewWritesRefused('my_organisations', 'name');
  });
});

describe("public.current_pcn_memberships (today's PCN of each practice, as pcn_memberships' RLS allows)", () => {
  const select = `select practice_id::text || '>' || pcn_id::text as k from public.current_pcn_memberships
                  where practice_id in (${idsOf(DEMO_CODES)})`;
  it('select: the current relationships of practices and PCNs within reach', async () => {
    const northshire = ['ZP1001>ZU101', 'ZP1002>ZU101', 'ZP1003>ZU101', 'ZP1004>ZU102', 'ZP1005>ZU103'];
    await check(
      select,
      {
        anon: 'denied',
        alex: northshire,
        chris: northshire,
        taylor: northshire,
        casey: ['ZP1001>ZU101', 'ZP1002>ZU101'],
        robin: ['ZP2001>ZU201', 'ZP2002>ZU201'],
        pat: ['ZP1001>ZU101'],
        ash: ['ZP1001>ZU101'],
        lee: ['ZP1001>ZU101', 'ZP1002>ZU101', 'ZP1003>ZU101'],
      },
      [],
    );
  });
  it('insert, update, delete through the view: refused for everyone', async () => {
    await expectViewWritesRefused('current_pcn_memberships', 'pcn_name');
  });
});

describe('public.pending_registrations (registrations the caller may decide)', () => {
  const select = `select profile_id::text as k from public.pending_registrations where profile_id in (${DEMO_PEOPLE})`;
  it('select: the Support Desk every one; User Administrators those of organisations they reach, never commissioner administrators', async () => {
    await check(select, { anon: 'denied', sam: ['dana', 'nina', 'reception'], alex: ['nina', 'reception'] }, []);
  });
  it('insert, update, delete through the view: refused for everyone', async () => {
    await expectViewWritesRefused('pending_registrations', 'full_name');
  });
});

describe('public.pending_access_requests (access requests the caller may decide)', () => {
  const select = `select profile_id::text || '@' || organisation_id::text as k from public.pending_access_requests
                  where profile_id in (${DEMO_PEOPLE})`;
  /** Requests of active accounts, each decided by different people. */
  async function requests(tx: Tx): Promise<void> {
    const ask = (who: PersonName, org: string, roles: string) =>
      asOk(tx, who, (sp) => sp`select public.request_access(${org}::uuid, ${roles}::public.app_role[])`);
    await ask('pat', ORG.ZP1002, '{claim_submitter}'); // one-step practice: its commissioners
    await ask('lee', ORG.ZP1001, '{view}'); // two-step practice: also its Provider Approver
    await ask('chris', ORG.ZS1, '{user_administrator}'); // commissioner administrator: the Support Desk only
    await ask('taylor', ORG.ZP2001, '{view}'); // Southvale
    await ask('jordan', ORG.ZN1, '{approver_tier_2}'); // asks again after the revocation
  }
  it('select: the Support Desk all; User Administrators within reach; a two-step practice\'s Provider Approver its own', async () => {
    await check(
      select,
      {
        anon: 'denied',
        sam: ['chris@ZS1', 'jordan@ZN1', 'lee@ZP1001', 'pat@ZP1002', 'taylor@ZP2001'],
        alex: ['jordan@ZN1', 'lee@ZP1001', 'pat@ZP1002'],
        robin: ['taylor@ZP2001'],
        ash: ['lee@ZP1001'],
      },
      [], // the people who asked do not decide their own requests
      requests,
    );
  });
  it('insert, update, delete through the view: refused for everyone', async () => {
    await expectViewWritesRefused('pending_access_requests', 'full_name', requests);
  });
});

describe('public.user_directory (people with the memberships the caller may see)', () => {
  it('select: the same people as public.profiles', async () => {
    const northshireStaff = ['alex', 'ash', 'casey', 'chris', 'lee', 'morgan', 'pat', 'taylor'];
    await check(
      `select id::text as k from public.user_directory where id in (${DEMO_PEOPLE})`,
      {
        anon: 'denied',
        sam: 'all',
        alex: [...northshireStaff, 'jordan', 'nina', 'reception'].sort(),
        chris: northshireStaff,
        taylor: northshireStaff,
        casey: ['ash', 'casey', 'pat'],
        robin: ['dana', 'harper', 'robin'],
        pat: ['ash', 'pat'],
        ash: ['ash', 'pat'],
        lee: ['lee'],
        jordan: ['jordan'],
        morgan: [],
        nina: ['nina'],
      },
      [],
    );
  });
  it('… and the same memberships as public.memberships (organisation_ids)', async () => {
    const northshireActive = ['alex@ZN1', 'ash@ZP1001', 'casey@ZN1', 'chris@ZN1', 'lee@ZU101', 'morgan@ZN1', 'pat@ZP1001', 'taylor@ZN1'];
    await check(
      `select d.id::text || '@' || o::text as k from public.user_directory d cross join unnest(d.organisation_ids) o where d.id in (${DEMO_PEOPLE})`,
      {
        anon: 'denied',
        sam: 'all',
        alex: [...northshireActive, 'jordan@ZN1', 'nina@ZP1002', 'reception@ZP1003'].sort(),
        chris: northshireActive,
        taylor: northshireActive,
        casey: ['ash@ZP1001', 'casey@ZN1', 'pat@ZP1001'],
        robin: ['dana@ZS1', 'harper@ZP2001', 'robin@ZS1'],
        pat: ['ash@ZP1001', 'pat@ZP1001'],
        ash: ['ash@ZP1001', 'pat@ZP1001'],
        lee: ['lee@ZU101'],
        jordan: ['jordan@ZN1'],
        morgan: [],
        nina: ['nina@ZP1002'],
      },
      [],
    );
  });
  it('insert, update, delete through the view: refused for everyone', async () => {
    await expectViewWritesRefused('user_directory', 'full_name');
  });
});

describe('coverage', () => {
  it('every table in public has RLS enabled and is covered by this matrix', async () => {
    await inTx(async (tx) => {
      const tables = await tx<{ name: string; rls: boolean }[]>`
        select c.relname as name, c.relrowsecurity as rls from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`;
      expect(tables.filter((t) => !t.rls)).toEqual([]);
      expect(tables.map((t) => t.name)).toEqual([
        'achievement_dates', // tests/db/services/rls.test.ts
        'achievement_group_values', // tests/db/achievement/rls.test.ts
        'achievement_results', // tests/db/achievement/rls.test.ts
        'achievement_submissions', // tests/db/achievement/rls.test.ts
        'achievement_values', // tests/db/achievement/rls.test.ts
        'achievements', // tests/db/achievement/rls.test.ts
        'allocated_reports', // tests/db/services/rls.test.ts
        'audit_log',
        'bulk_claim_imports', // tests/db/claims/bulk.test.ts
        'claim_answers', // tests/db/claims/rls.test.ts
        'claim_evidence', // tests/db/claims/rls.test.ts
        'claim_lines', // tests/db/claims/rls.test.ts
        'claim_services', // tests/db/claims/rls.test.ts
        'claim_windows', // tests/db/services/rls.test.ts
        'claims', // tests/db/claims/rls.test.ts
        'cluster_assignments',
        'cluster_organisations',
        'clusters',
        'commissioner_settings',
        'declarations', // tests/db/achievement/rls.test.ts
        'indicator_groups', // tests/db/services/rls.test.ts
        'indicators', // tests/db/services/rls.test.ts
        'list_sizes', // tests/db/achievement/rls.test.ts
        'memberships',
        'network_achievement_values', // tests/db/achievement/rls.test.ts
        'network_achievements', // tests/db/achievement/rls.test.ts
        'notification_preferences',
        'notifications',
        'offer_tariffs', // tests/db/services/rls.test.ts
        'organisation_closure',
        'organisations',
        'payment_run_claims', // tests/db/claims/payment-runs.test.ts
        'payment_run_tries', // tests/db/claims/payment-runs.test.ts
        'payment_runs', // tests/db/claims/payment-runs.test.ts
        'pcn_memberships',
        'platform_roles',
        'practice_settings',
        'profiles',
        'quality_services', // tests/db/services/rls.test.ts
        'service_components', // tests/db/services/rls.test.ts
        'service_offers', // tests/db/services/rls.test.ts
        'service_questions', // tests/db/services/rls.test.ts
      ]);
    });
  });

  it('every view in public runs as the caller (security_invoker) and is covered by this matrix', async () => {
    await inTx(async (tx) => {
      const views = await tx<{ name: string; invoker: boolean }[]>`
        select c.relname as name, coalesce('security_invoker=true' = any (c.reloptions), false) as invoker from pg_class c
        where c.relnamespace = 'public'::regnamespace and c.relkind in ('v', 'm') order by 1`;
      expect(views.filter((v) => !v.invoker)).toEqual([]);
      expect(views.map((v) => v.name)).toEqual([
        'achievement_missing_data', // tests/db/achievement/missing-data.test.ts
        'achievements_awaiting_network', // tests/db/achievement/rls.test.ts, network.test.ts
        'claim_overview', // tests/db/claims/rls.test.ts
        'claim_payment_totals', // tests/db/claims/payment-runs.test.ts
        'claim_service_totals', // tests/db/claims/rls.test.ts
        'current_pcn_memberships',
        'my_organisations',
        'network_achievement_overview', // tests/db/achievement/rls.test.ts, network.test.ts
        'pending_access_requests',
        'pending_registrations',
        'user_directory',
      ]);
    });
  });

  it('authenticated holds only SELECT on the views (and anon nothing: below)', async () => {
    await inTx(async (tx) => {
      const grants = await tx<{ table_name: string; privilege_type: string }[]>`
        select g.table_name, g.privilege_type from information_schema.role_table_grants g
        join pg_class c on c.relname = g.table_name and c.relnamespace = 'public'::regnamespace and c.relkind = 'v'
        where g.grantee = 'authenticated' and g.table_schema = 'public' order by 1, 2`;
      expect(grants).toEqual(
        ['achievement_missing_data', 'achievements_awaiting_network', 'claim_overview', 'claim_payment_totals', 'claim_service_totals', 'current_pcn_memberships', 'my_organisations', 'network_achievement_overview', 'pending_access_requests', 'pending_registrations', 'user_directory'].map((table_name) => ({
          table_name,
          privilege_type: 'SELECT',
        })),
      );
    });
  });

  it('anon holds no privilege on any public table but SELECT on organisations', async () => {
    await inTx(async (tx) => {
      const grants = await tx<{ table_name: string; privilege_type: string }[]>`
        select table_name, privilege_type from information_schema.role_table_grants
        where grantee = 'anon' and table_schema = 'public' order by 1, 2`;
      expect(grants.filter((g) => g.table_name !== 'organisations')).toEqual([]);
      expect(grants.map((g) => g.privilege_type)).toEqual(['SELECT']);
      const columns = await tx`
        select table_name, column_name from information_schema.column_privileges
        where grantee = 'anon' and table_schema = 'public' and table_name <> 'organisations'`;
      expect(columns).toEqual([]);
    });
  });

  it('anon may execute no function in public; authenticated only the actions, the portal\'s read functions and is_generic_mailbox', async () => {
    await inTx(async (tx) => {
      const anon = await tx`
        select p.proname from pg_proc p where p.pronamespace = 'public'::regnamespace
          and has_function_privilege('anon', p.oid, 'execute') order by 1`;
      expect(anon).toEqual([]);
      const authenticated = await tx<{ proname: string }[]>`
        select p.proname from pg_proc p where p.pronamespace = 'public'::regnamespace
          and has_function_privilege('authenticated', p.oid, 'execute') order by 1`;
      expect(authenticated.map((r) => r.proname)).toEqual([
        'accept_offer',
        'achievement_change_problem',
        'achievement_summary_rows',
        'acknowledge_claim_retainer',
        'add_claim_lines',
        'add_cluster_organisation',
        'add_membership',
        'add_pcn_membership',
        'approve_access_request',
        'approve_claim_as_provider',
        'approve_declarations',
        'approve_registration',
        'assign_cluster',
        'assign_roles',
        'bulk_claim_periods',
        'bulk_claim_template',
        'can_report_on',
        'cancel_offers',
        'cancel_payment_run',
        'claim_available_services',
        'claim_line_amount',
        'claim_review_counts',
        'claim_timeline',
        'create_cluster',
        'create_payment_run',
        'declaration_history',
        'declare_achievements',
        'decline_claim',
        'delete_claim',
        'delete_claim_evidence',
        'disable_account',
        'disable_own_account',
        'discard_achievement_work',
        'enable_account',
        'enable_membership',
        'end_pcn_membership',
        'finance_approve_declarations',
        'import_bulk_claims',
        'invite_user',
        'is_generic_mailbox',
        'move_pcn_membership',
        'my_access',
        'network_relationship_report',
        'new_claim_availability',
        'offer_service',
        'offer_unit_price',
        'payment_run_file_rows',
        'preview_payment_run',
        'record_claim_evidence',
        'reject_access_request',
        'reject_offer',
        'reject_registration',
        'remind_network_declarers',
        'remove_claim_lines',
        'remove_cluster_organisation',
        'request_access',
        'resend_payment_run',
        'return_claim',
        'review_claims',
        'revoke_membership',
        'save_achievement_values',
        'send_payment_run',
        'set_allocated_reports',
        'set_claim_answer',
        'set_claim_line_units',
        'set_notification_preferences',
        'start_achievement',
        'start_claim',
        'submit_achievement',
        'submit_claim',
        'submit_network_achievement',
        'unassign_cluster',
        'update_cluster',
        'withdraw_offers',
      ]);
    });
  });
});
