// The pure parts of the payment run pages: run names, what each status
// offers, the payment file's name from Content-Disposition, and the
// practice's totals per payment date (summed in pence).
import { describe, expect, it } from 'vitest';
import { answeredAt, fileNameFromDisposition, paymentFileName, runActions, runName } from '../../src/resources/payment-runs/model.ts';

describe('payment run model', () => {
  it('names runs and their files by run number', () => {
    expect(runName(9001)).toBe('Run 9001');
    expect(paymentFileName(9001, 'xlsx')).toBe('payment-run-9001.xlsx');
    expect(paymentFileName('9002', 'csv')).toBe('payment-run-9002.csv');
  });

  it('offers Send and Cancel on a draft, Send Again on a flagged run, nothing on the rest', () => {
    expect(runActions('draft')).toEqual({ send: true, cancel: true, resend: false });
    expect(runActions('flagged')).toEqual({ send: false, cancel: false, resend: true });
    for (const status of ['sent', 'acknowledged', 'rejected', 'cancelled'] as const) {
      expect(runActions(status), status).toEqual({ send: false, cancel: false, resend: false });
    }
  });

  it('answered is the acknowledgement or the rejection, whichever there is', () => {
    expect(answeredAt({ acknowledged_at: '2026-12-01T10:00:00Z', rejected_at: null })).toBe('2026-12-01T10:00:00Z');
    expect(answeredAt({ acknowledged_at: null, rejected_at: '2026-12-02T10:00:00Z' })).toBe('2026-12-02T10:00:00Z');
    expect(answeredAt({ acknowledged_at: null, rejected_at: null })).toBeNull();
  });

  it('reads the file name of Content-Disposition (filename* first), never a path', () => {
    expect(fileNameFromDisposition('attachment; filename="payment-run-9001.xlsx"')).toBe('payment-run-9001.xlsx');
    expect(fileNameFromDisposition('attachment; filename=payment-run-9001.csv')).toBe('payment-run-9001.csv');
    expect(fileNameFromDisposition(`attachment; filename="run.csv"; filename*=UTF-8''Run%209001%20%C2%A3.csv`)).toBe('Run 9001 £.csv');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(fileNameFromDisposition('attachment')).toBeUndefined();
    expect(fileNameFromDisposition(null)).toBeUndefined();
  });
});

describe('the payment-file function’s refusals', () => {
  it('carry the function’s own code, message and hint', async () => {
    const { refusalOf } = await import('../../src/resources/payment-runs/api.ts');
    const refused = await refusalOf(
      new Response(JSON.stringify({ error: { code: 'file_does_not_add_up', message: 'The lines do not add up to the run’s total.', hint: 'Tell the support desk.' } }), { status: 409 }),
    );
    expect({ code: refused.code, message: refused.message, hint: refused.hint, status: refused.status }).toEqual({
      code: 'file_does_not_add_up',
      message: 'The lines do not add up to the run’s total.',
      hint: 'Tell the support desk.',
      status: 409,
    });
  });

  it('say what the status means when the body is not the function’s', async () => {
    const { refusalOf } = await import('../../src/resources/payment-runs/api.ts');
    const notFound = await refusalOf(new Response('Not Found', { status: 404 }));
    expect([notFound.code, notFound.message]).toEqual(['PT404', 'The payment file could not be made (status 404).']);
    expect((await refusalOf(new Response('', { status: 401 }))).code).toBe('42501');
    expect((await refusalOf(new Response(JSON.stringify({ message: 'boom' }), { status: 502 }))).message).toBe('boom');
  });
});
