// Message validation (stack/mail/validate.ts).
import { describe, expect, it } from 'vitest';
import { isPlausibleEmail, MAIL_LIMITS, MailValidationError, validateMessage } from '../../../stack/mail/validate.ts';

const ok = { to: 'practice.user@riverside.example', subject: 'Your claim was approved', text: 'Hello', kind: 'claim_approved' };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof MailValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('isPlausibleEmail', () => {
  it.each(['a@b.example', 'first.last+tag@nhs.net', "o'brien@practice.nhs.uk", 'X_Y-Z@sub.domain.example'])('accepts %s', (address) => {
    expect(isPlausibleEmail(address)).toBe(true);
  });

  it.each([
    '',
    'plain',
    '@example.com',
    'a@',
    'a@localhost',
    'a@@b.example',
    'a b@c.example',
    'a@b.example, c@d.example',
    'Name <a@b.example>',
    'a..b@c.example',
    '.a@b.example',
    'a@-b.example',
    'a@b.123',
    'a@b.example\r\nBcc: victim@x.example',
    `${'x'.repeat(65)}@b.example`,
    `a@${'b'.repeat(250)}.example`,
  ])('refuses %j', (address) => {
    expect(isPlausibleEmail(address)).toBe(false);
  });
});

describe('validateMessage', () => {
  it('returns a trimmed copy without unknown fields', () => {
    expect(validateMessage({ ...ok, to: '  practice.user@riverside.example ', subject: ' Hi ', kind: ' invite ', extra: 1 })).toEqual({
      to: 'practice.user@riverside.example',
      subject: 'Hi',
      text: 'Hello',
      kind: 'invite',
    });
    expect(validateMessage({ ...ok, html: '<p>Hello</p>' }).html).toBe('<p>Hello</p>');
  });

  it('names the bad field', () => {
    expect(fieldOf(() => validateMessage(null))).toBe('message');
    expect(fieldOf(() => validateMessage({ ...ok, to: 'nobody' }))).toBe('to');
    expect(fieldOf(() => validateMessage({ ...ok, to: undefined }))).toBe('to');
    expect(fieldOf(() => validateMessage({ ...ok, subject: '   ' }))).toBe('subject');
    expect(fieldOf(() => validateMessage({ ...ok, subject: 'Hi\r\nBcc: x@y.example' }))).toBe('subject');
    expect(fieldOf(() => validateMessage({ ...ok, subject: 's'.repeat(MAIL_LIMITS.subject + 1) }))).toBe('subject');
    expect(fieldOf(() => validateMessage({ ...ok, text: '' }))).toBe('text');
    expect(fieldOf(() => validateMessage({ ...ok, text: 't'.repeat(MAIL_LIMITS.text + 1) }))).toBe('text');
    expect(fieldOf(() => validateMessage({ ...ok, text: 'bell\u0007' }))).toBe('text');
    expect(fieldOf(() => validateMessage({ ...ok, html: 42 }))).toBe('html');
    expect(fieldOf(() => validateMessage({ ...ok, html: 'h'.repeat(MAIL_LIMITS.html + 1) }))).toBe('html');
    expect(fieldOf(() => validateMessage({ ...ok, kind: '' }))).toBe('kind');
    expect(fieldOf(() => validateMessage({ ...ok, kind: 'Offer Made' }))).toBe('kind');
  });

  it('accepts bodies at the limits and multi-line text', () => {
    expect(() => validateMessage({ ...ok, subject: 's'.repeat(MAIL_LIMITS.subject), text: 'line 1\r\nline 2\n\tend' })).not.toThrow();
  });
});
