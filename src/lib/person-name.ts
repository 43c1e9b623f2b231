// The browser's copy of the database rule for full names
// (private.person_name_problem in supabase/migrations/*_person_names.sql): not
// empty or only spaces, no direction-changing, invisible or control
// characters, at most 200 characters. The database is the authority (every
// path: registration, invitation, profile); the forms repeat the rule for a
// friendlier message. tests/unit/person-name.test.ts keeps the patterns and
// messages in step with the migration and runs tests/shared/person-name-cases.ts.

export const PERSON_NAME_MAX = 200;

/** The rules, in the order the database checks them: regular expression (as the SQL writes it) and message. */
export const PERSON_NAME_RULES = [
  {
    rule: 'empty',
    pattern: '^[[:space:]\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]*$',
    message: 'A full name cannot be empty or only spaces.',
  },
  {
    rule: 'direction',
    pattern: '[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]',
    message:
      'A full name cannot contain characters that change the direction of text (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).',
  },
  {
    rule: 'invisible',
    pattern: '[\\u200B-\\u200D\\u2060\\uFEFF]',
    message: 'A full name cannot contain invisible characters (U+200B–U+200D, U+2060, U+FEFF).',
  },
  {
    rule: 'control',
    pattern: '[\\u0001-\\u001F\\u007F-\\u009F\\u2028\\u2029]',
    message: 'A full name cannot contain control characters (line breaks, tabs and the like).',
  },
] as const;

export type PersonNameRule = (typeof PERSON_NAME_RULES)[number]['rule'] | 'length';

// POSIX [[:space:]] (Postgres, C locale: ASCII white space) in JavaScript terms.
const compiled = PERSON_NAME_RULES.map((r) => ({ ...r, regexp: new RegExp(r.pattern.replace('[:space:]', ' \\t\\n\\v\\f\\r')) }));

/** The rule a name breaks (null when it is fine), with the database's message. */
export function personNameProblem(name: string | null | undefined): { rule: PersonNameRule; message: string } | null {
  const value = name ?? '';
  for (const r of compiled) if (r.regexp.test(value)) return { rule: r.rule, message: r.message };
  if (value.replace(/^ +| +$/g, '').length > PERSON_NAME_MAX) {
    return { rule: 'length', message: `A full name has at most ${PERSON_NAME_MAX} characters.` };
  }
  return null;
}
