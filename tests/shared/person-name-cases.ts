// Names run through both copies of the full-name rule: the database's
// (private.person_name_problem, tests/db/tenancy/person-names.test.ts) and the
// browser's (src/lib/person-name.ts, tests/unit/person-name.test.ts).
// Written with \u escapes: the invisible characters are the point.

export interface BadNameCase {
  label: string;
  name: string;
  /** The database's message (and the browser's). */
  message: string;
  /** invite_user's code: a missing name is invalid input (22023), a spoofed one a broken rule (23514). */
  inviteCode: '22023' | '23514';
}

const EMPTY = 'A full name cannot be empty or only spaces.';
const DIRECTION =
  'A full name cannot contain characters that change the direction of text (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).';
const INVISIBLE = 'A full name cannot contain invisible characters (U+200B–U+200D, U+2060, U+FEFF).';
const CONTROL = 'A full name cannot contain control characters (line breaks, tabs and the like).';

export const BAD_NAME_CASES: readonly BadNameCase[] = [
  { label: 'empty', name: '', message: EMPTY, inviteCode: '22023' },
  { label: 'spaces only', name: '   ', message: EMPTY, inviteCode: '22023' },
  { label: 'no-break and ideographic spaces only', name: '\u00A0\u3000\u2003', message: EMPTY, inviteCode: '23514' },
  { label: 'right-to-left override U+202E', name: 'Pat \u202EreciTcarP', message: DIRECTION, inviteCode: '23514' },
  { label: 'left-to-right embedding U+202A', name: '\u202APat Practice', message: DIRECTION, inviteCode: '23514' },
  { label: 'pop directional formatting U+202C', name: 'Pat Practice\u202C', message: DIRECTION, inviteCode: '23514' },
  { label: 'first strong isolate U+2068', name: 'Pat \u2068Practice\u2069', message: DIRECTION, inviteCode: '23514' },
  { label: 'right-to-left isolate U+2067', name: 'Pat\u2067 Practice', message: DIRECTION, inviteCode: '23514' },
  { label: 'right-to-left mark U+200F', name: 'Pat\u200F Practice', message: DIRECTION, inviteCode: '23514' },
  { label: 'zero-width space U+200B', name: 'Pat\u200BPractice', message: INVISIBLE, inviteCode: '23514' },
  { label: 'zero-width joiner U+200D', name: 'Pa\u200Dt Practice', message: INVISIBLE, inviteCode: '23514' },
  { label: 'word joiner U+2060', name: 'Pat\u2060 Practice', message: INVISIBLE, inviteCode: '23514' },
  { label: 'byte order mark U+FEFF', name: '\uFEFFPat Practice', message: INVISIBLE, inviteCode: '23514' },
  { label: 'only a zero-width space', name: '\u200B', message: INVISIBLE, inviteCode: '23514' },
  { label: 'line break', name: 'Pat\nPractice', message: CONTROL, inviteCode: '23514' },
  { label: 'tab', name: 'Pat\tPractice', message: CONTROL, inviteCode: '23514' },
  { label: 'escape', name: 'Pat\u001B[31mPractice', message: CONTROL, inviteCode: '23514' },
  { label: 'C1 control U+0085', name: 'Pat\u0085Practice', message: CONTROL, inviteCode: '23514' },
];

export const GOOD_NAME_CASES: readonly string[] = [
  'Pat Practice',
  'Siobhán O\u2019Neill',
  'Anne-Marie D\'Souza',
  'José Álvarez-García',
  'Zoë Brontë',
  '\u0645\u062D\u0645\u062F \u0639\u0644\u064A', // Arabic letters (right-to-left by nature, no control characters)
  '\u674E\u534E',
  'Dr Ngozi Okonkwo-Adebayo',
];
