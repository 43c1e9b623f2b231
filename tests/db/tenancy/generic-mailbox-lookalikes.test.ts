// Issue 11: generic mailboxes spelt with look-alike letters (Cyrillic е in
// "rеception", full-width ａ in "ａdmin", zero-width characters …) are still
// generic mailboxes. The same cases run through the browser's copy in
// tests/unit/generic-mailbox.test.ts (tests/shared/generic-mailbox-cases.ts).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENERIC_MAILBOX_CASES, PERSONAL_MAILBOX_CASES } from '../../shared/generic-mailbox-cases.ts';
import { expectRefused, inTx, ORG, PERSON, type Tx } from './fixtures.ts';

async function generic(tx: Tx, emails: readonly string[]): Promise<Record<string, boolean>> {
  const rows = await tx<{ email: string; generic: boolean }[]>`
    select e as email, public.is_generic_mailbox(e) as generic from unnest(${emails as string[]}::text[]) as e`;
  return Object.fromEntries(rows.map((r) => [r.email, r.generic]));
}

describe('public.is_generic_mailbox with look-alike letters', () => {
  it('flags every shared case (NFKC, lower case, Latin skeleton, no zero-width characters)', async () => {
    await inTx(async (tx) => {
      const answers = await generic(tx, GENERIC_MAILBOX_CASES);
      expect(Object.entries(answers).filter(([, g]) => !g).map(([e]) => e)).toEqual([]);
    });
  });

  it('does not flag the personal cases', async () => {
    await inTx(async (tx) => {
      const answers = await generic(tx, PERSONAL_MAILBOX_CASES);
      expect(Object.entries(answers).filter(([, g]) => g).map(([e]) => e)).toEqual([]);
    });
  });

  it('private.mailbox_skeleton spells the examples of the issue in plain Latin letters', async () => {
    await inTx(async (tx) => {
      const [row] = await tx`
        select private.mailbox_skeleton(${'r\u0435ception'}) as cyrillic, private.mailbox_skeleton(${'\uFF41dmin'}) as fullwidth,
               private.mailbox_skeleton(${'re\u200Bc\u0435pti\u03BFn'}) as mixed`;
      expect(row).toEqual({ cyrillic: 'reception', fullwidth: 'admin', mixed: 'reception' });
    });
  });
});

describe('registration and invitation refuse look-alike shared mailboxes', () => {
  const lookalikes = ['r\u0435ception@milllane.example', '\uFF41dmin@milllane.example', 'in\u200Bfo@milllane.example'];

  it.each(lookalikes)('a sign-up from %s is flagged and cannot be approved', async (email) => {
    await inTx(async (tx) => {
      const id = randomUUID();
      await tx`
        insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data, raw_user_meta_data,
                                created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
        values ('00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated', ${email}, '',
                '{"provider":"email","providers":["email"]}',
                ${tx.json({ full_name: 'Front Desk', ods_code: 'ZP1003', roles: ['claim_submitter'] })}, now(), now(), '', '', '', '')`;
      const [profile] = await tx`select generic_mailbox from public.profiles where id = ${id}`;
      expect(profile).toEqual({ generic_mailbox: true });
      const refused = await expectRefused(tx, 'sam', (sp) => sp`select public.approve_registration(${id}::uuid)`);
      expect(refused).toMatchObject({ code: '23514', unchanged: true });
      expect(refused.message).toContain('generic or shared mailbox');
    });
  });

  it.each(lookalikes)('invite_user refuses %s', async (email) => {
    await inTx(async (tx) => {
      const refused = await expectRefused(tx, 'alex', (sp) =>
        sp`select public.invite_user(${email}::text, 'Front Desk'::text, ${ORG.ZP1001}::uuid, '{claim_submitter}'::public.app_role[])`);
      expect(refused).toMatchObject({ code: '23514', unchanged: true });
      expect(refused.message).toContain('generic or shared mailbox');
    });
  });

  it('an existing profile whose address changes to a look-alike is flagged', async () => {
    await inTx(async (tx) => {
      await tx`update auth.users set email = ${'\u0430dmin@riverside.example'} where id = ${PERSON.pat}`;
      const [profile] = await tx`select generic_mailbox from public.profiles where id = ${PERSON.pat}`;
      expect(profile).toEqual({ generic_mailbox: true });
    });
  });
});
