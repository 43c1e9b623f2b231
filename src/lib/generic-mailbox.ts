// The browser's copy of the database rule for generic or shared mailboxes
// (public.is_generic_mailbox and private.generic_mailbox_local_parts() in
// supabase/migrations/*_tenancy_people.sql). The database is the authority: it
// flags such registrations and refuses to approve them. This copy lets the
// registration page explain the rule before anyone signs up, because anon may
// not call public.is_generic_mailbox. tests/unit/generic-mailbox.test.ts keeps
// the list and the normalisation in step with the migration.

/** Local parts (lower case, without ".", "_", "-", a "+tag" or trailing digits) of team or function mailboxes. */
export const GENERIC_MAILBOX_LOCAL_PARTS: readonly string[] = [
  'reception', 'receptionist', 'receptionists', 'receptionteam', 'frontdesk', 'frontoffice',
  'admin', 'admins', 'administrator', 'administrators', 'administration', 'adminteam', 'adminoffice',
  'info', 'information', 'enquiries', 'enquiry', 'enquires', 'general', 'generalenquiries',
  'contact', 'contactus', 'hello', 'mail', 'mailbox', 'email', 'inbox', 'post',
  'office', 'officemanager', 'officeteam',
  'practice', 'practicemanager', 'practicemanagers', 'practiceteam', 'practiceoffice', 'practiceadmin', 'practicemail',
  'team', 'staff', 'allstaff', 'everyone', 'all', 'shared', 'group', 'generic',
  'surgery', 'surgeryteam', 'clinic', 'healthcentre', 'medicalcentre',
  'secretary', 'secretaries', 'secretarial',
  'appointments', 'bookings', 'booking', 'prescriptions', 'repeats', 'repeatprescriptions', 'referrals', 'results',
  'dispensary', 'pharmacy',
  'nurses', 'nursing', 'nurseteam', 'doctors', 'gps', 'clinicians', 'clinical', 'duty', 'dutydoctor',
  'accounts', 'payroll', 'billing', 'invoices', 'claims',
  'hr', 'it', 'ithelpdesk', 'helpdesk', 'help', 'servicedesk', 'support',
  'noreply', 'donotreply', 'postmaster', 'webmaster', 'hostmaster', 'abuse',
  'manager', 'management', 'pcn', 'icb', 'ccg', 'commissioning', 'contracts',
  'patients', 'feedback', 'complaints', 'pals', 'queries', 'query',
];

const LOCAL_PARTS = new Set(GENERIC_MAILBOX_LOCAL_PARTS);

/**
 * Letters that look like Latin ones (Cyrillic, Greek, Latin extensions), each mapped to the Latin
 * letter at the same position of CONFUSABLE_LATIN: the `translate` of private.mailbox_skeleton.
 */
export const CONFUSABLE_LETTERS =
  '\u0430\u0435\u043E\u0440\u0441\u0445\u0443\u0456\u0458\u0455\u0501\u04BB\u04CF\u051B\u051D\u043A\u0475\u04AF\u0410\u0412\u0415\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0425\u0423\u0405\u0406\u0408\u04AE\u04C0\u03B1\u03BF\u03BD\u03B9\u03BA\u03C4\u03C1\u03C5\u03C7\u03B5\u03B7\u03B3\u03F3\u0391\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7\u0261\u0131\u0251\u0237\u0269';
export const CONFUSABLE_LATIN = 'aeopcxyijsdhlqwkvyabekmhopctxysijylaoviktpuxenyjabezhikmnoptyxgiaji';

/** Invisible characters removed before the comparison (the regular expression of private.mailbox_skeleton). */
export const INVISIBLE_CHARACTERS = '[\\u00AD\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]';
const INVISIBLE = new RegExp(INVISIBLE_CHARACTERS, 'g');

/**
 * Text as the generic-mailbox rule compares it (private.mailbox_skeleton): Unicode NFKC, look-alike
 * letters mapped to Latin ones, lower case, invisible characters removed ("rеception" with a
 * Cyrillic е → "reception", full-width "ａdmin" → "admin").
 */
export function mailboxSkeleton(text: string): string {
  let mapped = '';
  for (const char of text.normalize('NFKC')) {
    const at = CONFUSABLE_LETTERS.indexOf(char);
    mapped += at >= 0 ? CONFUSABLE_LATIN[at] : char;
  }
  return mapped.toLowerCase().replace(INVISIBLE, '');
}

/**
 * The local part as the database compares it: without surrounding spaces, as its skeleton
 * (mailboxSkeleton), up to the first "+", without ".", "_" and "-", and without trailing digits
 * ("Reception.Team2+claims@x" → "receptionteam").
 */
export function normaliseMailboxLocalPart(email: string): string {
  // btrim() in SQL strips spaces only.
  const local = mailboxSkeleton(email.replace(/^ +| +$/g, '')).split('@')[0] ?? '';
  return (local.split('+')[0] ?? '').replace(/[._-]/g, '').replace(/[0-9]+$/, '');
}

/** True when the address names a team or a function (reception@, admin@, info@ …) rather than a person. */
export function isGenericMailbox(email: string): boolean {
  return LOCAL_PARTS.has(normaliseMailboxLocalPart(email));
}
