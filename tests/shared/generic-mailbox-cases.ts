// Addresses run through both copies of the generic-mailbox rule: the browser's
// (tests/unit/generic-mailbox.test.ts) and the database's
// (tests/db/tenancy/generic-mailbox-lookalikes.test.ts). Both must give the
// same answer for every case, so the two normalisations cannot drift.
// Written with \u escapes: the look-alike letters are the point.

/** Shared or team mailboxes, however they are spelt: refused by both. */
export const GENERIC_MAILBOX_CASES: readonly string[] = [
  'reception@milllane.example',
  'RECEPTION@milllane.example',
  'reception2@milllane.example',
  'reception+claims@milllane.example',
  'reception.team@milllane.example',
  'admin@practice.example',
  'info@practice.example',
  'practice.manager@practice.example',
  'no-reply@practice.example',
  'front_desk@practice.example',
  // Cyrillic е (U+0435) in "reception"
  'r\u0435ception@milllane.example',
  // full-width a (U+FF41) in "admin"
  '\uFF41dmin@practice.example',
  // full-width capital A (U+FF21)
  '\uFF21DMIN@practice.example',
  // Cyrillic а, о, р, с, х, у, і, ј, ѕ, ԁ and Latin script ɡ
  '\u0430dmin@x.example',
  'inf\u043E@x.example',
  '\u0440ractice@x.example',
  're\u0441eption@x.example',
  'inbo\u0445@x.example',
  'enquir\u0443@x.example',
  '\u0456nfo@x.example',
  '\u0455taff@x.example',
  '\u0501uty@x.example',
  '\u0261eneral@x.example',
  // Greek ο, α, ν, ι, κ, τ
  'inf\u03BF@x.example',
  '\u03B1dmin@x.example',
  'ser\u03BDicedesk@x.example',
  'adm\u03B9n@x.example',
  'boo\u03BAing@x.example',
  'con\u03C4act@x.example',
  // Cyrillic capitals (look like Latin capitals): АDMIN, ВILLING, НELP, МAIL
  '\u0410DMIN@x.example',
  '\u0412ILLING@x.example',
  '\u041DELP@x.example',
  '\u041CAIL@x.example',
  // Greek capitals: ΑDMIN, ΤEAM
  '\u0391DMIN@x.example',
  '\u03A4EAM@x.example',
  // zero-width space, joiner, non-joiner, word joiner, BOM, soft hyphen inside
  'rec\u200Beption@x.example',
  'ad\u200Dmin@x.example',
  'in\u200Cfo@x.example',
  'off\u2060ice@x.example',
  '\uFEFFadmin@x.example',
  'recep\u00ADtion@x.example',
  // compatibility forms: ligature ﬁ, mathematical bold, circled letters
  'o\uFB03ce@x.example',
  '\uD835\uDC1A\uD835\uDC1D\uD835\uDC26\uD835\uDC22\uD835\uDC27@x.example',
  // dotless i
  '\u0131nfo@x.example',
];

/** Personal addresses: accepted by both, look-alike letters or not. */
export const PERSONAL_MAILBOX_CASES: readonly string[] = [
  'new.manager@bridgestreet.example',
  'new.admin@southvale.example',
  'support.desk@cqrs-demo.example',
  'icb.admin@northshire.example',
  'practice.user@riverside.example',
  'finance@northshire.example',
  'tier1@northshire.example',
  'jo.bloggs@nhs.example',
  'admin.smith@nhs.example',
  'receptionist.jane@x.example',
  // a personal name in Cyrillic stays a personal name
  '\u0438\u0432\u0430\u043D.\u043F\u0435\u0442\u0440\u043E\u0432@x.example',
  // look-alikes that spell a personal name
  'j\u043E.bl\u043Eggs@x.example',
  '\uFF4A\uFF4F.bloggs@x.example',
  'ad\u200Bmin.smith@x.example',
];
