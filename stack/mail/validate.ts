// Checks a message before it is stored or sent. Pure: no I/O.
//
// The limits are generous for what Auth and the product send (short notices
// with a link) and tight enough that a mistake (a body pasted twice, a header
// with a line break in it) is refused loudly instead of going out.
import type { MailMessage } from './types.ts';

export const MAIL_LIMITS = {
  /** RFC 5321: a path is at most 256 octets including the angle brackets. */
  address: 254,
  localPart: 64,
  subject: 255,
  text: 100_000,
  html: 500_000,
  kind: 64,
} as const;

export class MailValidationError extends Error {
  override readonly name = 'MailValidationError';
  constructor(
    /** Which field of the message is wrong. */
    readonly field: keyof MailMessage | 'message',
    message: string,
  ) {
    super(message);
  }
}

// RFC 5322 atext for the local part (dot-atom), LDH labels for the domain.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const KIND = /^[a-z][a-z0-9_.-]*$/;
// Control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const BODY_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Anything that would let a subject break out of its header line.
// eslint-disable-next-line no-control-regex
const HEADER_CONTROL = /[\u0000-\u001F\u007F\u2028\u2029]/;

/** A single, plausible mailbox address: `local@domain.tld`, no display name, no list. */
export function isPlausibleEmail(address: string): boolean {
  if (address.length === 0 || address.length > MAIL_LIMITS.address) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > MAIL_LIMITS.localPart || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  // The top-level label is never all digits (that would be an IP address, not a domain).
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

function requireString(value: unknown, field: keyof MailMessage): string {
  if (typeof value !== 'string') throw new MailValidationError(field, `${field} must be a string`);
  return value;
}

/**
 * Returns a clean copy of the message (trimmed `to`, `subject`, `kind`; unknown
 * fields dropped) or throws MailValidationError naming the first bad field.
 */
export function validateMessage(input: unknown): MailMessage {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new MailValidationError('message', 'A mail message must be an object');
  }
  const raw = input as Record<string, unknown>;

  const to = requireString(raw.to, 'to').trim();
  if (!isPlausibleEmail(to)) {
    throw new MailValidationError('to', 'to must be a single email address such as name@example.nhs.uk');
  }

  const subject = requireString(raw.subject, 'subject').trim();
  if (subject === '') throw new MailValidationError('subject', 'subject must not be empty');
  if (subject.length > MAIL_LIMITS.subject) {
    throw new MailValidationError('subject', `subject must be at most ${MAIL_LIMITS.subject} characters`);
  }
  if (HEADER_CONTROL.test(subject)) {
    throw new MailValidationError('subject', 'subject must be one line without control characters');
  }

  const text = requireString(raw.text, 'text');
  if (text.trim() === '') throw new MailValidationError('text', 'text must not be empty');
  if (text.length > MAIL_LIMITS.text) {
    throw new MailValidationError('text', `text must be at most ${MAIL_LIMITS.text} characters`);
  }
  if (BODY_CONTROL.test(text)) throw new MailValidationError('text', 'text must not contain control characters');

  let html: string | undefined;
  if (raw.html !== undefined && raw.html !== null) {
    html = requireString(raw.html, 'html');
    if (html.length > MAIL_LIMITS.html) {
      throw new MailValidationError('html', `html must be at most ${MAIL_LIMITS.html} characters`);
    }
    if (BODY_CONTROL.test(html)) throw new MailValidationError('html', 'html must not contain control characters');
    if (html.trim() === '') html = undefined;
  }

  const kind = requireString(raw.kind, 'kind').trim();
  if (kind.length === 0 || kind.length > MAIL_LIMITS.kind || !KIND.test(kind)) {
    throw new MailValidationError(
      'kind',
      `kind must be 1 to ${MAIL_LIMITS.kind} characters of a-z, 0-9, '_', '.', '-', starting with a letter (e.g. invite, offer_made)`,
    );
  }

  return html === undefined ? { to, subject, text, kind } : { to, subject, text, html, kind };
}
