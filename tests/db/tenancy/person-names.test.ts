// Issue 11: a full name can be neither blanked nor spoofed. Refused on every
// path — registration (auth.users metadata → private.handle_new_auth_user),
// invitation (public.invite_user) and the person's own update of
// profiles.full_name: empty or only spaces, direction-changing characters
// (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), zero-width
// characters (U+200B–U+200D, U+2060, U+FEFF) and other control characters.
// The browser repeats the rule (src/lib/person-name.ts); tests/unit/person-name.test.ts
// runs the same cases (tests/shared/person-name-cases.ts).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BAD_NAME_CASES, GOOD_NAME_CASES } from '../../shared/person-name-cases.ts';
import { as, asOk, expectRefused, inTx, ORG, PERSON, type Tx } from './fixtures.ts';

async function signUp(tx: Tx, meta: Record<string, unknown>): Promise<string> {
  const id = randomUUID();
  await tx`
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
                            created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
    values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${`n.${id.slice(0, 8)}@example.nhs.uk`}, '',
            '{"provider":"email","providers":["email"]}', ${tx.json(meta as never)}, now(), now(), '', '', '', '')`;
  return id;
}

async function refusedSignUp(tx: Tx, meta: Record<string, unknown>) {
  try {
    await tx.savepoint((sp) => signUp(sp as Tx, meta));
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error(`sign-up with ${JSON.stringify(meta)} succeeded`);
}

describe('full names: the rule', () => {
  it('every name in the demo data passes it', async () => {
    await inTx(async (tx) => {
      const rows = await tx`select full_name from public.profiles where full_name is not null and private.person_name_problem(full_name) is not null`;
      expect(rows).toEqual([]);
      const [{ n }] = (await tx`select count(*)::int as n from public.profiles where full_name is not null`) as unknown as [{ n: number }];
      expect(n).toBeGreaterThan(10);
    });
  });

  it.each(BAD_NAME_CASES.map((c) => [c.label, c]))('private.person_name_problem names the rule: %s', async (_, c) => {
    await inTx(async (tx) => {
      const [row] = await tx`select private.person_name_problem(${c.name}) as problem`;
      expect(row!.problem).toBe(c.message);
    });
  });

  it.each(GOOD_NAME_CASES.map((n) => [JSON.stringify(n), n]))('accepts %s', async (_, name) => {
    await inTx(async (tx) => {
      const [row] = await tx`select private.person_name_problem(${name}) as problem`;
      expect(row!.problem).toBeNull();
    });
  });
});

describe('full names: every path', () => {
  it.each(BAD_NAME_CASES.map((c) => [c.label, c]))('registration refuses %s', async (_, c) => {
    await inTx(async (tx) => {
      const before = await tx`select count(*)::int as n from public.profiles`;
      const error = await refusedSignUp(tx, { full_name: c.name, ods_code: 'ZP1002', roles: ['claim_submitter'] });
      expect(error).toMatchObject({ code: '23514', message: c.message });
      expect(await tx`select count(*)::int as n from public.profiles`).toEqual(before);
    });
  });

  it('registration without any name is still recorded (it cannot be approved until it has one)', async () => {
    await inTx(async (tx) => {
      const id = await signUp(tx, {});
      expect(await tx`select full_name, status from public.profiles where id = ${id}`).toEqual([{ full_name: null, status: 'pending' }]);
    });
  });

  it.each(BAD_NAME_CASES.map((c) => [c.label, c]))('invite_user refuses %s, changing nothing', async (_, c) => {
    await inTx(async (tx) => {
      const refused = await expectRefused(tx, 'alex', (sp) =>
        sp`select public.invite_user(${`new.${randomUUID().slice(0, 8)}@example.nhs.uk`}::text, ${c.name}::text, ${ORG.ZP1001}::uuid, '{claim_submitter}'::public.app_role[])`);
      expect(refused).toMatchObject({ code: c.inviteCode, unchanged: true });
      if (c.inviteCode === '23514') expect(refused.message).toBe(c.message);
    });
  });

  it('invite_user refuses a spoofed name for an address that already has an account too', async () => {
    await inTx(async (tx) => {
      const refused = await expectRefused(tx, 'alex', (sp) =>
        sp`select public.invite_user('tier1@northshire.example'::text, ${'Taylor\u202Eevil'}::text, ${ORG.ZN1E}::uuid, '{approver_tier_1}'::public.app_role[])`);
      expect(refused).toMatchObject({ code: '23514', unchanged: true });
    });
  });

  it.each(BAD_NAME_CASES.map((c) => [c.label, c]))('your own update refuses %s', async (_, c) => {
    await inTx(async (tx) => {
      const outcome = await as(tx, 'pat', (sp) => sp`update public.profiles set full_name = ${c.name} where id = ${PERSON.pat} returning id`);
      expect(outcome.ok ? 'updated' : outcome.error).toMatchObject({ code: '23514', message: c.message });
      expect(await tx`select full_name from public.profiles where id = ${PERSON.pat}`).toEqual([{ full_name: 'Pat Practice' }]);
    });
  });

  it('your own update cannot blank the name with null either', async () => {
    await inTx(async (tx) => {
      const outcome = await as(tx, 'pat', (sp) => sp`update public.profiles set full_name = null where id = ${PERSON.pat} returning id`);
      expect(outcome.ok ? 'updated' : outcome.error).toMatchObject({ code: '23514', message: 'A full name cannot be empty or only spaces.' });
    });
  });

  it('a proper name with accents, apostrophes, hyphens or another script is saved', async () => {
    await inTx(async (tx) => {
      for (const name of GOOD_NAME_CASES) {
        await asOk(tx, 'pat', (sp) => sp`update public.profiles set full_name = ${name} where id = ${PERSON.pat} returning id`);
        expect(await tx`select full_name from public.profiles where id = ${PERSON.pat}`).toEqual([{ full_name: name.trim() }]);
      }
    });
  });
});
