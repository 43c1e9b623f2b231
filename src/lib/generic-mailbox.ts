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
 * The local part as the database compares it: without surrounding spaces, lower-cased, up to the
 * first "+", without ".", "_" and "-", and without trailing digits
 * ("Reception.Team2+claims@x" → "receptionteam").
 */
export function normaliseMailboxLocalPart(email: string): string {
  // btrim() in SQL strips spaces only.
  const local = email.replace(/^ +| +$/g, '').toLowerCase().split('@')[0] ?? '';
  return (local.split('+')[0] ?? '').replace(/[._-]/g, '').replace(/[0-9]+$/, '');
}

/** True when the address names a team or a function (reception@, admin@, info@ …) rather than a person. */
export function isGenericMailbox(email: string): boolean {
  return LOCAL_PARTS.has(normaliseMailboxLocalPart(email));
}
