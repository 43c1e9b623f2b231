// People: profiles made by the auth.users trigger (sign-up metadata, invited
// accounts, email changes), generic mailbox detection, membership rules
// (segregation of duties, role sides) and the guards that keep status and
// roles out of reach of plain UPDATEs — for every role, superuser included.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { as, EMAIL, inTx, MEMBERSHIP, ORG, PERSON, type Tx } from './fixtures.ts';

/** Insert an auth user the way GoTrue's sign-up does; returns its id. */
async function signUp(tx: Tx, email: string, meta: Record<string, unknown> = {}, invited = false): Promise<string> {
  const id = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, invited_at, raw_app_meta_data, raw_user_meta_data,
                            created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, '', ${invited ? new Date() : null},
            '{"provider":"email","providers":["email"]}', ${tx.json(meta as never)}, now(), now(), '', '', '', '')`;
  return id;
}

async function failure(tx: Tx, fn: (sp: Tx) => Promise<unknown>) {
  try {
    await tx.savepoint(async (sp) => {
      await fn(sp as Tx);
    });
  } catch (error) {
    return error as { code: string; message: string; hint?: string; constraint_name?: string };
  }
  throw new Error('expected the statement to fail');
}

describe('profiles from auth.users', () => {
  it('a sign-up gets a pending profile with its name and lower-cased email, and the Support Desk hears of it', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, 'Jo.Bloggs@Example.NHS.uk', { full_name: '  Jo Bloggs ' });
      const [profile] = await tx`select email, full_name, status, generic_mailbox from public.profiles where id = ${id}`;
      expect(profile).toEqual({ email: 'jo.bloggs@example.nhs.uk', full_name: 'Jo Bloggs', status: 'pending', generic_mailbox: false });
      const audit = await tx`select action, actor_id, subject_profile_id from public.audit_log where entity_id = ${id}`;
      expect(audit).toEqual([{ action: 'registration.submit', actor_id: null, subject_profile_id: id }]);
      // No organisation asked for: only the Support Desk can decide it.
      const told = await tx`select recipient_id, kind from public.notifications where link = ${`/registrations/${id}`}`;
      expect(told).toEqual([{ recipient_id: PERSON.sam, kind: 'registration_waiting' }]);
    });
  });

  it('a registration asking for an organisation gets a requested membership; its deciders are notified', async () => {
    await inTx(async (tx) => {
      const byCode = await signUp(tx, 'jo.bloggs@example.nhs.uk', { full_name: 'Jo Bloggs', ods_code: 'zp1004', roles: ['claim_submitter', 'view'] });
      const byId = await signUp(tx, 'sam.smith@example.nhs.uk', { full_name: 'Sam Smith', organisation_id: ORG.ZP2002, roles: ['service_management'] });
      const memberships = await tx`
        select m.profile_id, o.ods_code, m.roles::text[] as roles, m.status from public.memberships m
        join public.organisations o on o.id = m.organisation_id where m.profile_id in (${byCode}, ${byId}) order by o.ods_code`;
      expect(memberships).toEqual([
        { profile_id: byCode, ods_code: 'ZP1004', roles: ['claim_submitter', 'view'], status: 'requested' },
        { profile_id: byId, ods_code: 'ZP2002', roles: ['service_management'], status: 'requested' },
      ]);
      const told = await tx`
        select n.recipient_id, n.kind, n.subject from public.notifications n where n.link in (${`/registrations/${byCode}`}, ${`/registrations/${byId}`})
        order by n.subject`;
      expect(told).toEqual([
        { recipient_id: PERSON.alex, kind: 'registration_waiting', subject: 'Registration waiting: Jo Bloggs' },
        { recipient_id: PERSON.robin, kind: 'registration_waiting', subject: 'Registration waiting: Sam Smith' },
      ]);
    });
  });

  it('a registration for a two-step practice also notifies its Provider Approver', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, 'new.nurse@riverside.example', { full_name: 'Nell Nurse', ods_code: 'ZP1001', roles: ['achievement_entry'] });
      const told = await tx`select recipient_id from public.notifications where link = ${`/registrations/${id}`} order by recipient_id`;
      expect(told.map((r) => r.recipient_id)).toEqual([PERSON.alex, PERSON.ash].sort());
    });
  });

  it.each([
    [{ ods_code: 'NOPE1', roles: ['claim_submitter'] }, 'unknown organisation'],
    [{ organisation_id: 'not-a-uuid', roles: ['claim_submitter'] }, 'malformed organisation or role'],
    [{ ods_code: 'ZP1002', roles: ['claim_submitter', 'emperor'] }, 'malformed organisation or role'],
    [{ ods_code: 'ZP1002', roles: ['approver_tier_1'] }, 'approver_tier_1 is a commissioner role; ZP1002 (practice) is a provider organisation'],
    [{ ods_code: 'ZN1', roles: ['approver_tier_1', 'approver_tier_2'] }, 'segregation of duties: Approver Tier 1 and Approver Tier 2 cannot be held together at one organisation'],
    [{ ods_code: 'ZN1', roles: ['support_desk'] }, 'support_desk is a platform role, not granted through an organisation'],
    [{ ods_code: 'ZN1', roles: [] }, 'no roles asked for'],
  ])('a sign-up with an unusable request (%j) still succeeds, without a membership; the audit says why', async (meta, why) => {
    await inTx(async (tx) => {
      const id = await signUp(tx, `x.${randomUUID().slice(0, 8)}@example.nhs.uk`, { full_name: 'X Y', ...meta });
      const [profile] = await tx`select status from public.profiles where id = ${id}`;
      expect(profile).toEqual({ status: 'pending' });
      const [count] = await tx`select count(*)::int as n from public.memberships where profile_id = ${id}`;
      expect(count).toEqual({ n: 0 });
      const [audit] = await tx`select after ->> 'request_ignored' as why from public.audit_log where entity_id = ${id}`;
      expect(audit).toEqual({ why });
    });
  });

  it('flags a generic mailbox at sign-up (the demo reception@ registration included)', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, 'Info@Bridgestreet.example', { full_name: 'Front Desk' });
      const [profile] = await tx`select generic_mailbox from public.profiles where id = ${id}`;
      expect(profile).toEqual({ generic_mailbox: true });
      const [reception] = await tx`select generic_mailbox, status from public.profiles where id = ${PERSON.reception}`;
      expect(reception).toEqual({ generic_mailbox: true, status: 'pending' });
      const told = await tx`select body from public.notifications where link = ${`/registrations/${PERSON.reception}`}`;
      expect(told[0]!.body).toContain('generic or shared mailbox');
    });
  });

  it('an invited auth user starts invited and becomes active when the address is confirmed (accepting)', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, 'invitee@example.nhs.uk', { full_name: 'Ivy Invitee' }, true);
      expect(await tx`select status from public.profiles where id = ${id}`).toEqual([{ status: 'invited' }]);
      await tx`update auth.users set email_confirmed_at = now() where id = ${id}`;
      expect(await tx`select status from public.profiles where id = ${id}`).toEqual([{ status: 'active' }]);
      const audit = await tx`select action, actor_id from public.audit_log where entity_id = ${id} order by id`;
      expect(audit).toEqual([{ action: 'invitation.accept', actor_id: null }]);
    });
  });

  it('confirming a pending sign-up does not approve it', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, 'pending@example.nhs.uk', { full_name: 'Pen Ding' });
      await tx`update auth.users set email_confirmed_at = now() where id = ${id}`;
      expect(await tx`select status from public.profiles where id = ${id}`).toEqual([{ status: 'pending' }]);
    });
  });

  it('follows an email change, and forgets the address of a soft-deleted auth user', async () => {
    await inTx(async (tx) => {
      await tx`update auth.users set email = 'Pat.Practice@Riverside.example' where id = ${PERSON.pat}`;
      expect(await tx`select email from public.profiles where id = ${PERSON.pat}`).toEqual([{ email: 'pat.practice@riverside.example' }]);
      await tx`update auth.users set email = 'b64hashWithoutAnAtSign', deleted_at = now() where id = ${PERSON.pat}`;
      expect(await tx`select email, status from public.profiles where id = ${PERSON.pat}`).toEqual([{ email: null, status: 'active' }]);
    });
  });

  it('deleting the auth user deletes the profile and memberships; the audit trail stays', async () => {
    await inTx(async (tx) => {
      const [before] = await tx`select count(*)::int as n from public.audit_log where subject_profile_id = ${PERSON.harper}`;
      await tx`delete from auth.users where id = ${PERSON.harper}`;
      expect(await tx`select id from public.profiles where id = ${PERSON.harper}`).toEqual([]);
      expect(await tx`select id from public.memberships where profile_id = ${PERSON.harper}`).toEqual([]);
      const [after] = await tx`select count(*)::int as n from public.audit_log where subject_profile_id = ${PERSON.harper}`;
      expect(after).toEqual(before);
    });
  });
});

describe('generic mailbox detection', () => {
  it.each([
    'reception@milllane.example',
    'RECEPTION@milllane.example',
    'reception2@milllane.example',
    'reception+claims@milllane.example',
    'reception.team@milllane.example',
    'admin@practice.example',
    'info@practice.example',
    'enquiries@practice.example',
    'office@practice.example',
    'practice@practice.example',
    'practice.manager@practice.example',
    'team@practice.example',
    'surgery@practice.example',
    'no-reply@practice.example',
    'front_desk@practice.example',
  ])('flags %s', async (email) => {
    await inTx(async (tx) => {
      expect(await tx`select public.is_generic_mailbox(${email}) as generic`).toEqual([{ generic: true }]);
    });
  });

  it.each([...Object.values(EMAIL).filter((e) => !e.startsWith('reception@')), 'jo.bloggs@nhs.example', 'admin.smith@nhs.example', 'receptionist.jane@x.example'])(
    'does not flag %s',
    async (email) => {
      await inTx(async (tx) => {
        expect(await tx`select public.is_generic_mailbox(${email}) as generic`).toEqual([{ generic: false }]);
      });
    },
  );

  it('signed-in people may call it (the invite form checks addresses early); anon may not', async () => {
    await inTx(async (tx) => {
      const allowed = await as(tx, 'alex', (sp) => sp`select public.is_generic_mailbox('office@x.example') as generic`);
      expect(allowed).toEqual({ ok: true, value: [{ generic: true }] });
      const anon = await as(tx, 'anon', (sp) => sp`select public.is_generic_mailbox('office@x.example')`);
      expect(anon.ok ? 'ran' : anon.error.code).toBe('42501');
    });
  });

  it('docs/security-model.md lists every refused local part', async () => {
    const doc = await fs.readFile(path.join(projectRoot, 'docs', 'security-model.md'), 'utf8');
    await inTx(async (tx) => {
      const [row] = await tx<{ parts: string[] }[]>`select private.generic_mailbox_local_parts() as parts`;
      const missing = row!.parts.filter((part) => !doc.includes(`\`${part}\``));
      expect(missing).toEqual([]);
    });
  });
});

describe('memberships', () => {
  async function insertMembership(tx: Tx, roles: string[], org: string, person: string = PERSON.nina) {
    await tx`select set_config('app.action', 'test', true)`;
    try {
      await tx`insert into public.memberships (profile_id, organisation_id, roles, status) values (${person}, ${org}, ${roles}::public.app_role[], 'active')`;
    } finally {
      await tx`select set_config('app.action', '', true)`;
    }
  }

  it('segregation of duties: Approver Tier 1 and Tier 2 never together at one organisation, whoever writes', async () => {
    await inTx(async (tx) => {
      const error = await failure(tx, (sp) => insertMembership(sp, ['approver_tier_1', 'approver_tier_2'], ORG.ZN1));
      expect(error).toMatchObject({ code: '23514', constraint_name: 'memberships_segregation_of_duties' });
      await tx`select set_config('app.action', 'test', true)`;
      const widened = await failure(tx, (sp) => sp`update public.memberships set roles = roles || '{approver_tier_2}' where id = ${MEMBERSHIP.taylor}`);
      expect(widened.constraint_name).toBe('memberships_segregation_of_duties');
    });
  });

  it('holds commissioner roles at commissioners and provider roles at providers; never Support Desk', async () => {
    await inTx(async (tx) => {
      const wrongSide = await failure(tx, (sp) => insertMembership(sp, ['claim_submitter'], ORG.ZN1E));
      expect(wrongSide).toMatchObject({
        code: '23514',
        message: 'claim_submitter is a provider role; ZN1E (sub_icb) is a commissioning organisation.',
      });
      const otherSide = await failure(tx, (sp) => insertMembership(sp, ['finance'], ORG.ZU101));
      expect(otherSide.message).toBe('finance is a commissioner role; ZU101 (pcn) is a provider organisation.');
      const platform = await failure(tx, (sp) => insertMembership(sp, ['support_desk'], ORG.ZN1));
      expect(platform).toMatchObject({ code: '23514', message: 'support_desk is a platform role; ZN1 (icb) is a commissioning organisation.' });
      const none = await failure(tx, (sp) => insertMembership(sp, [], ORG.ZN1));
      expect(none.constraint_name).toBe('memberships_has_roles');
    });
  });

  it('one membership per person and organisation; roles are kept sorted and without duplicates', async () => {
    await inTx(async (tx) => {
      const twice = await failure(tx, (sp) => insertMembership(sp, ['view'], ORG.ZP1002));
      expect(twice.constraint_name).toBe('memberships_one_per_organisation');
      await insertMembership(tx, ['view', 'claim_submitter', 'view'], ORG.ZP2002);
      const [row] = await tx`select roles::text[] as roles from public.memberships where profile_id = ${PERSON.nina} and organisation_id = ${ORG.ZP2002}`;
      expect(row).toEqual({ roles: ['claim_submitter', 'view'] });
    });
  });
});

describe('guards: status and roles change only through the action functions', () => {
  it.each(['postgres', 'service_role'])('%s cannot update a membership status or roles directly', async (role) => {
    await inTx(async (tx) => {
      if (role !== 'postgres') await tx.unsafe(`set local role ${role}`);
      const status = await failure(tx, (sp) => sp`update public.memberships set status = 'revoked' where id = ${MEMBERSHIP.pat}`);
      expect(status).toMatchObject({ code: '42501', message: "Membership status and roles change only through the portal's actions." });
      const roles = await failure(tx, (sp) => sp`update public.memberships set roles = '{claim_submitter}' where id = ${MEMBERSHIP.pat}`);
      expect(roles.code).toBe('42501');
      const active = await failure(
        tx,
        (sp) => sp`insert into public.memberships (profile_id, organisation_id, roles, status) values (${PERSON.nina}, ${ORG.ZP2002}, '{view}', 'active')`,
      );
      expect(active).toMatchObject({ code: '42501', message: 'A new membership starts as requested, not active.' });
      // A request (the initial state) is an ordinary insert.
      await tx`insert into public.memberships (profile_id, organisation_id, roles) values (${PERSON.nina}, ${ORG.ZP2002}, '{view}')`;
    });
  });

  it.each(['postgres', 'service_role'])('%s cannot change an account status directly', async (role) => {
    await inTx(async (tx) => {
      if (role !== 'postgres') await tx.unsafe(`set local role ${role}`);
      const approve = await failure(tx, (sp) => sp`update public.profiles set status = 'active' where id = ${PERSON.nina}`);
      expect(approve).toMatchObject({ code: '42501', message: "Account status and email change only through the portal's actions." });
      const email = await failure(tx, (sp) => sp`update public.profiles set email = 'other@x.example' where id = ${PERSON.pat}`);
      expect(email.code).toBe('42501');
      // The name is not guarded.
      await tx`update public.profiles set full_name = 'Patricia Practice' where id = ${PERSON.pat}`;
      expect(await tx`select full_name from public.profiles where id = ${PERSON.pat}`).toEqual([{ full_name: 'Patricia Practice' }]);
    });
  });

  it('a signed-in person cannot touch status columns even of their own row (no column privilege)', async () => {
    await inTx(async (tx) => {
      const outcome = await as(tx, 'pat', (sp) => sp`update public.profiles set status = 'disabled' where id = ${PERSON.pat}`);
      expect(outcome.ok ? 'updated' : outcome.error.code).toBe('42501');
    });
  });
});

describe('platform roles', () => {
  it('hold only the Support Desk role, and every grant is audited', async () => {
    await inTx(async (tx) => {
      const wrong = await failure(tx, (sp) => sp`insert into public.platform_roles (profile_id, role) values (${PERSON.alex}, 'user_administrator')`);
      expect(wrong.constraint_name).toBe('platform_roles_platform_only');
      await tx`insert into public.platform_roles (profile_id, role) values (${PERSON.alex}, 'support_desk')`;
      const audit = await tx`select action, subject_profile_id from public.audit_log where action = 'platform_roles.insert' and subject_profile_id = ${PERSON.alex}`;
      expect(audit).toEqual([{ action: 'platform_roles.insert', subject_profile_id: PERSON.alex }]);
    });
  });
});
