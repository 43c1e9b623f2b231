-- Issue 11: generic mailboxes spelt with look-alike letters.
--
-- 'rеception@…' (Cyrillic е), 'ａdmin@…' (full-width a) or 'in<zero-width
-- space>fo@…' passed public.is_generic_mailbox, so shared mailboxes could be
-- invited or approved. The address is now reduced to a skeleton before the
-- comparison: Unicode NFKC (full-width, ligatures, mathematical letters,
-- full-width @ and digits), Cyrillic, Greek and Latin-extension letters that
-- look like Latin ones mapped to them, lower case, and invisible characters
-- (soft hyphen, zero-width, bidirectional controls, word joiners, BOM) removed.
-- src/lib/generic-mailbox.ts repeats the skeleton for the browser;
-- tests/unit/generic-mailbox.test.ts compares the two spellings and runs the
-- cases of tests/shared/generic-mailbox-cases.ts, which
-- tests/db/tenancy/generic-mailbox-lookalikes.test.ts runs through this SQL.

create function private.mailbox_skeleton(p_text text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select regexp_replace(
           lower(translate(normalize(p_text, nfkc),
             E'\u0430\u0435\u043E\u0440\u0441\u0445\u0443\u0456\u0458\u0455\u0501\u04BB\u04CF\u051B\u051D\u043A\u0475\u04AF\u0410\u0412\u0415\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0425\u0423\u0405\u0406\u0408\u04AE\u04C0\u03B1\u03BF\u03BD\u03B9\u03BA\u03C4\u03C1\u03C5\u03C7\u03B5\u03B7\u03B3\u03F3\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7\u0261\u0131\u0251\u0237\u0269',
             'aeopcxyijsdhlqwkvyabekmhopctxysijylaoviktpuxenyjabezhikmnoptyxgiaji')),
           E'[\\u00AD\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]', '', 'g')
$$;
comment on function private.mailbox_skeleton(text) is
  'An address (or any text) as the generic-mailbox rule compares it: NFKC, Cyrillic/Greek look-alikes of Latin letters mapped to them, lower case, invisible characters removed.';

create or replace function public.is_generic_mailbox(email text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select regexp_replace(
           regexp_replace(split_part(split_part(private.mailbox_skeleton(btrim(email)), '@', 1), '+', 1), '[._-]', '', 'g'),
           '[0-9]+$', '')
         = any (private.generic_mailbox_local_parts())
$$;
comment on function public.is_generic_mailbox(text) is
  'True when the address is a generic or shared mailbox (reception@, admin@, info@, practice.team@ …) rather than a person''s own, whatever letters spell it. Compares the local part of private.mailbox_skeleton(address), without separators, a +tag or trailing digits, with private.generic_mailbox_local_parts().';

revoke all on function private.mailbox_skeleton(text) from public;
-- public.is_generic_mailbox runs as its caller.
grant execute on function private.mailbox_skeleton(text) to authenticated, service_role;

-- Accounts registered earlier with a look-alike address: flag them now
-- (profiles_before_write recomputes the flag on every write).
-- (One statement, so the transaction-local app.action holds however the
-- migration runner groups statements into transactions.)
do $$
begin
  perform private.begin_action('profile.generic_mailbox_recheck');
  update public.profiles p set email = p.email
  where not p.generic_mailbox and coalesce(public.is_generic_mailbox(p.email), false);
  perform private.end_action();
end;
$$;
