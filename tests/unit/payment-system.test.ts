// The one interface to the payment system (supabase/functions/_shared/payment-system.ts):
// signatures over the exact body, the replay window, answers checked before
// they reach the database, and a payment system that is not configured.
// (The payment system itself is simulated in the stack: tests/api/payment-system/.)
import { describe, expect, it } from 'vitest';
import {
  MAX_AGE_MS,
  parseAnswer,
  paymentSystemFromEnv,
  signBody,
  staleness,
  verifySignature,
} from '../../supabase/functions/_shared/payment-system.ts';

const RUN_ID = '3e000000-0000-4000-8000-000000000002';

describe('signatures', () => {
  it('verify with the same secret and body only', async () => {
    const body = JSON.stringify({ run_id: RUN_ID, acknowledged: true });
    const signature = await signBody('shared secret', body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await expect(verifySignature('shared secret', body, signature)).resolves.toBe(true);
    await expect(verifySignature('shared secret', body, signature.toUpperCase().replace('SHA256', 'sha256'))).resolves.toBe(true);
    await expect(verifySignature('another secret', body, signature)).resolves.toBe(false);
    await expect(verifySignature('shared secret', `${body} `, signature)).resolves.toBe(false);
    await expect(verifySignature('shared secret', body, null)).resolves.toBe(false);
    await expect(verifySignature('shared secret', body, 'sha256=abc')).resolves.toBe(false);
    await expect(verifySignature('', body, signature)).resolves.toBe(false);
  });

  it('refuse to sign with an empty secret', async () => {
    await expect(signBody('', '{}')).rejects.toThrow('empty');
  });
});

describe('replay window', () => {
  const now = new Date('2026-12-10T09:00:00Z');
  it('accepts a timestamp from the last five minutes, refuses older, future and missing ones', () => {
    expect(staleness(new Date(now.getTime() - MAX_AGE_MS + 1000).toISOString(), now)).toBeNull();
    expect(staleness(new Date(now.getTime() - MAX_AGE_MS - 1000).toISOString(), now)).toMatch(/more than 5 minutes old/);
    expect(staleness(new Date(now.getTime() + 5 * 60_000).toISOString(), now)).toMatch(/future/);
    expect(staleness(undefined, now)).toMatch(/no timestamp/);
    expect(staleness('soon', now)).toMatch(/not a date/);
  });
});

describe('answers', () => {
  const at = '2026-12-10T09:00:00Z';
  it('accept an acknowledgement and a rejection with a reason', () => {
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: true, reference: 'BACS-1', answered_at: at })).toEqual({
      run_id: RUN_ID, acknowledged: true, reason: null, reference: 'BACS-1', answered_at: at,
    });
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: false, reason: 'Bank details missing', answered_at: at })).toMatchObject({ acknowledged: false, reason: 'Bank details missing' });
  });

  it('refuse a rejection without a reason, and malformed answers', () => {
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: false, reason: ' ', answered_at: at })).toBe('A rejection needs a reason.');
    expect(parseAnswer({ run_id: 'run 9001', acknowledged: true, answered_at: at })).toMatch(/run_id/);
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: 'yes', answered_at: at })).toMatch(/acknowledged/);
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: true })).toMatch(/answered_at/);
    expect(parseAnswer({ run_id: RUN_ID, acknowledged: true, reference: 'x'.repeat(101), answered_at: at })).toMatch(/reference/);
    expect(parseAnswer([])).toMatch(/JSON object/);
  });
});

describe('paymentSystemFromEnv', () => {
  it('without its secrets, fails every delivery saying what to set (the run stays queued)', async () => {
    const system = paymentSystemFromEnv(() => undefined);
    const result = await system.sendRun(
      { run_id: RUN_ID, run_number: 9002, try_number: 1, commissioner: { id: RUN_ID, ods_code: 'ZN1', name: 'N' }, payment_date: '2026-12-15', claim_count: 1, total: '1.00' },
      [],
    );
    expect(result).toEqual({ accepted: false, error: 'the payment system is not configured: set PAYMENT_SYSTEM_URL and PAYMENT_SYSTEM_SECRET' });
  });
});
