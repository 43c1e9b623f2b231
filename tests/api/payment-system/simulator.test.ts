// The payment-system SIMULATOR (stack/payment-system/) — a stand-in for the
// real payment system, which cannot run here — over HTTP: it receives runs
// only when the portal's signature is right and fresh, keeps their files,
// lists them, answers them (signed) to the portal's answer function, refuses
// answers without the service-role key or the page's form token, and
// acknowledges by itself when automatic acknowledgement is on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '../../../stack/config.ts';
import { projectKeys } from '../../../stack/jwt.ts';
import { receivedId } from '../../../stack/payment-system/store.ts';
import { signBody, SIGNATURE_HEADER } from '../../../supabase/functions/_shared/payment-system.ts';
import { sampleFiles, sampleRun, SECRET, startSimulator, type SimulatorHarness } from './helpers.ts';

let harness: SimulatorHarness;
let serviceRoleKey: string;
let anonKey: string;

beforeAll(async () => {
  harness = await startSimulator();
  ({ serviceRoleKey, anonKey } = await projectKeys(loadStackConfig().jwtSecret));
});

afterEach(async () => {
  harness.answers.length = 0;
  harness.refuseAnswers = undefined;
});

afterAll(async () => {
  await harness?.close();
});

async function deliver(overrides = {}) {
  const run = sampleRun(overrides);
  const result = await harness.paymentSystem.sendRun(run, sampleFiles(run.run_number));
  return { run, result, id: receivedId(run.run_id, run.try_number) };
}

async function api(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('Authorization', `Bearer ${init.key}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const response = await fetch(`${harness.url}${path}`, { ...init, headers, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: json as Record<string, unknown> };
}

describe('receiving a run (the simulated payment system)', () => {
  it('accepts a signed run from the portal interface and keeps it with its files', async () => {
    const { run, result, id } = await deliver();
    expect(result).toEqual({ accepted: true });
    const listed = await api(`/payment-system/v1/runs?run_id=${run.run_id}`);
    expect(listed.json).toEqual([
      expect.objectContaining({
        id,
        runId: run.run_id,
        runNumber: run.run_number,
        tryNumber: 1,
        commissioner: { id: run.commissioner.id, odsCode: 'ZN1', name: 'NHS Northshire ICB' },
        paymentDate: '2026-12-15',
        claimCount: 2,
        total: '2167.76',
        state: 'received',
        files: [
          { name: `payment-run-${run.run_number}-2026-12-15.csv`, contentType: 'text/csv; charset=utf-8', size: 19 },
          { name: `payment-run-${run.run_number}-2026-12-15.xlsx`, contentType: expect.stringContaining('spreadsheetml'), size: 4 },
        ],
      }),
    ]);
    const csv = await fetch(`${harness.url}/payment-system/v1/runs/${id}/files/payment-run-${run.run_number}-2026-12-15.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="payment-run-${run.run_number}-2026-12-15.csv"`);
    expect(await csv.text()).toBe('Provider ODS code\r\n');
  });

  it('keeps one copy of a try sent twice, and a second try beside the first', async () => {
    const { run } = await deliver();
    await harness.paymentSystem.sendRun(run, sampleFiles(run.run_number));
    await harness.paymentSystem.sendRun({ ...run, try_number: 2 }, sampleFiles(run.run_number));
    const listed = (await api(`/payment-system/v1/runs?run_id=${run.run_id}`)).json as unknown as Array<{ tryNumber: number }>;
    expect(listed.map((r) => r.tryNumber)).toEqual([2, 1]);
  });

  it('refuses a run without a signature or with a wrong one', async () => {
    const body = JSON.stringify({ ...sampleRun(), sent_at: new Date().toISOString(), files: [] });
    const unsigned = await api('/payment-system/v1/runs', { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    const wrong = await api('/payment-system/v1/runs', { method: 'POST', body, headers: { [SIGNATURE_HEADER]: await signBody('another secret', body) } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.message).toMatch(/does not match/);
    // Through the interface with the wrong secret: the portal sees a failed delivery, never an exception.
    const { httpPaymentSystem } = await import('../../../supabase/functions/_shared/payment-system.ts');
    const impostor = httpPaymentSystem({ url: `${harness.url}/payment-system/v1/runs`, secret: 'wrong' });
    const run = sampleRun();
    expect(await impostor.sendRun(run, sampleFiles(run.run_number))).toEqual({ accepted: false, error: expect.stringContaining('answered 401') });
  });

  it('refuses a correctly signed run sent more than five minutes ago (a replay)', async () => {
    const run = sampleRun();
    const body = JSON.stringify({ ...run, sent_at: new Date(Date.now() - 6 * 60_000).toISOString(), files: sampleFiles(run.run_number).map((f) => ({ name: f.name, content_type: f.content_type, base64: '' })) });
    const response = await api('/payment-system/v1/runs', { method: 'POST', body, headers: { [SIGNATURE_HEADER]: await signBody(SECRET, body) } });
    expect(response.status).toBe(401);
    expect(response.json.message).toMatch(/more than 5 minutes old/);
  });

  it('refuses file names that could leave its folder', async () => {
    const run = sampleRun();
    const body = JSON.stringify({ ...run, sent_at: new Date().toISOString(), files: [{ name: '../escape.csv', content_type: 'text/csv', base64: '' }] });
    const response = await api('/payment-system/v1/runs', { method: 'POST', body, headers: { [SIGNATURE_HEADER]: await signBody(SECRET, body) } });
    expect(response.status).toBe(400);
  });

  it('reports a payment system that cannot be reached as a failed delivery', async () => {
    const { httpPaymentSystem } = await import('../../../supabase/functions/_shared/payment-system.ts');
    const nowhere = httpPaymentSystem({ url: 'http://127.0.0.1:9/payment-system/v1/runs', secret: SECRET, timeoutMs: 2000 });
    const run = sampleRun();
    expect(await nowhere.sendRun(run, sampleFiles(run.run_number))).toEqual({ accepted: false, error: expect.stringContaining('could not be reached') });
  });
});

describe('answering through the JSON API', () => {
  it('needs the service-role key', async () => {
    const { id } = await deliver();
    expect((await api(`/payment-system/v1/runs/${id}/acknowledge`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await api(`/payment-system/v1/runs/${id}/acknowledge`, { method: 'POST', body: '{}', key: anonKey })).status).toBe(401);
    expect(harness.answers).toEqual([]);
  });

  it('acknowledges: a signed answer reaches the portal, and every try of the run shows it', async () => {
    const { run, id } = await deliver();
    await harness.paymentSystem.sendRun({ ...run, try_number: 2 }, sampleFiles(run.run_number));
    const answered = await api(`/payment-system/v1/runs/${id}/acknowledge`, { method: 'POST', body: JSON.stringify({ reference: 'BACS-77' }), key: serviceRoleKey });
    expect(answered.status).toBe(200);
    expect(answered.json).toMatchObject({ state: 'acknowledged', reference: 'BACS-77' });
    expect(harness.answers).toEqual([
      { run_id: run.run_id, run_number: run.run_number, acknowledged: true, reason: null, reference: 'BACS-77', answered_at: expect.any(String) },
    ]);
    const tries = (await api(`/payment-system/v1/runs?run_id=${run.run_id}`)).json as unknown as Array<{ state: string }>;
    expect(tries.map((t) => t.state)).toEqual(['acknowledged', 'acknowledged']);
  });

  it('rejects with a reason, and refuses a rejection without one', async () => {
    const { run, id } = await deliver();
    const noReason = await api(`/payment-system/v1/runs/${id}/reject`, { method: 'POST', body: JSON.stringify({ reason: '  ' }), key: serviceRoleKey });
    expect(noReason.status).toBe(400);
    const rejected = await api(`/payment-system/v1/runs/${id}/reject`, { method: 'POST', body: JSON.stringify({ reason: 'Bank details missing for ZP1002' }), key: serviceRoleKey });
    expect(rejected.json).toMatchObject({ state: 'rejected', reason: 'Bank details missing for ZP1002' });
    expect(harness.answers).toEqual([expect.objectContaining({ run_id: run.run_id, acknowledged: false, reason: 'Bank details missing for ZP1002' })]);
  });

  it('keeps the run waiting and says why when the portal refuses the answer', async () => {
    const { id } = await deliver();
    harness.refuseAnswers = { status: 409, message: 'Run 9001 was not sent' };
    const refused = await api(`/payment-system/v1/runs/${id}/acknowledge`, { method: 'POST', body: '{}', key: serviceRoleKey });
    expect(refused.status).toBe(409);
    expect(refused.json.message).toBe('payment-system-answer answered 409: Run 9001 was not sent');
    expect((await api(`/payment-system/v1/runs/${id}`)).json).toMatchObject({ state: 'received', answerError: refused.json.message });
  });
});

describe('answering from the page forms', () => {
  async function formToken(id: string): Promise<string> {
    const page = await fetch(`${harness.url}/payment-system/`).then((r) => r.text());
    const form = new RegExp(`action="/payment-system/runs/${id}/acknowledge">\\s*<input type="hidden" name="token" value="([0-9a-f]{64})"`).exec(page);
    expect(form).not.toBeNull();
    return form![1]!;
  }

  it('refuses a form without the page token, or from another site', async () => {
    const { id } = await deliver();
    const token = await formToken(id);
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${harness.url}/payment-system/runs/${id}/acknowledge`, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        redirect: 'manual',
      });
    expect((await post('token=')).status).toBe(403);
    expect((await post(`token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await post(`token=${token}`, { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(harness.answers).toEqual([]);
  });

  it('Reject with reason answers the portal and the page then says so', async () => {
    const { run, id } = await deliver();
    const token = await formToken(id);
    const response = await fetch(`${harness.url}/payment-system/runs/${id}/reject`, {
      method: 'POST',
      body: new URLSearchParams({ token, reason: 'Duplicate of Run 9000' }),
      headers: { Origin: harness.url, 'Sec-Fetch-Site': 'same-origin' },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toBe(`/payment-system/?answered=${id}#run-${id}`);
    expect(harness.answers).toEqual([expect.objectContaining({ run_id: run.run_id, acknowledged: false, reason: 'Duplicate of Run 9000' })]);
    const page = await fetch(`${harness.url}${location}`).then((r) => r.text());
    expect(page).toContain(`Run ${run.run_number} rejected; the portal recorded the answer.`);
  });
});

describe('automatic acknowledgement (demos)', () => {
  it('acknowledges a run by itself shortly after it arrives', async () => {
    const auto = await startSimulator({ autoAck: true, autoAckDelayMs: 50 });
    try {
      const run = sampleRun();
      expect(await auto.paymentSystem.sendRun(run, sampleFiles(run.run_number))).toEqual({ accepted: true });
      await expect.poll(() => auto.answers.length, { timeout: 5000 }).toBe(1);
      expect(auto.answers[0]).toMatchObject({ run_id: run.run_id, acknowledged: true, reference: `SIM-${run.run_number}-1` });
      await expect
        .poll(async () => (await auto.simulator.store.get(receivedId(run.run_id, 1)))?.state, { timeout: 5000 })
        .toBe('acknowledged');
    } finally {
      await auto.close();
    }
  });

  it('is off unless asked for: a run waits for an answer', async () => {
    const { id } = await deliver();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await harness.simulator.store.get(id))?.state).toBe('received');
    expect(harness.answers).toEqual([]);
  });
});
