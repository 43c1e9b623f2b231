// A payment-system SIMULATOR of the tests' own (the real stack module, in a
// temporary data directory) on a loopback server, with a stand-in for the
// portal's `payment-system-answer` function beside it that checks each
// answer's signature and records it. No database is involved: these tests are
// about the simulator itself; tests/api/functions/payment-runs.test.ts runs
// the whole chain through the real stack.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { DEFAULT_PAYMENT_SYSTEM_SECRET, loadStackConfig } from '../../../stack/config.ts';
import { createPaymentSystemSimulator, type PaymentSystemSimulator } from '../../../stack/payment-system/index.ts';
import {
  httpPaymentSystem,
  SIGNATURE_HEADER,
  verifySignature,
  type PaymentAnswer,
  type PaymentRunDelivery,
  type PaymentSystem,
} from '../../../supabase/functions/_shared/payment-system.ts';

export const SECRET = DEFAULT_PAYMENT_SYSTEM_SECRET;

export interface SimulatorHarness {
  url: string;
  simulator: PaymentSystemSimulator;
  /** The portal side of the interface, pointed at the simulator. */
  paymentSystem: PaymentSystem;
  /** Answers the stand-in portal function accepted (signature checked). */
  answers: PaymentAnswer[];
  /** Make the stand-in portal refuse answers with this status and message (undefined: accept). */
  refuseAnswers: { status: 409 | 500; message: string } | undefined;
  logs: string[];
  close(): Promise<void>;
}

export async function startSimulator(options: { autoAck?: boolean; autoAckDelayMs?: number } = {}): Promise<SimulatorHarness> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'payment-system-simulator-test-'));
  const app = new Hono();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (request) => app.fetch(request), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const logs: string[] = [];
  const simulator = await createPaymentSystemSimulator(
    { ...loadStackConfig({ dataDir }), paymentSystemSecret: SECRET, paymentAutoAck: false },
    {
      answerUrl: `${url}/functions/v1/payment-system-answer`,
      ...options,
      log: { info: (line) => logs.push(line), error: (line) => logs.push(`ERROR ${line}`) },
    },
  );
  const harness: SimulatorHarness = {
    url,
    simulator,
    paymentSystem: httpPaymentSystem({ url: `${url}/payment-system/v1/runs`, secret: SECRET }),
    answers: [],
    refuseAnswers: undefined,
    logs,
    async close() {
      await simulator.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  app.post('/functions/v1/payment-system-answer', async (c) => {
    const body = await c.req.text();
    if (!(await verifySignature(SECRET, body, c.req.header(SIGNATURE_HEADER)))) return c.json({ error: { message: 'bad signature' } }, 401);
    if (harness.refuseAnswers) return c.json({ error: { message: harness.refuseAnswers.message } }, harness.refuseAnswers.status);
    harness.answers.push(JSON.parse(body) as PaymentAnswer);
    return c.json({ status: 'ok' });
  });
  app.route('/', simulator.routes);
  return harness;
}

let runCounter = 0;

/** A run's try as the portal sends it (a fresh run id each time). */
export function sampleRun(overrides: Partial<PaymentRunDelivery> = {}): PaymentRunDelivery {
  runCounter += 1;
  return {
    run_id: `9a000000-0000-4000-8000-${String(runCounter).padStart(12, '0')}`,
    run_number: 9000 + runCounter,
    try_number: 1,
    commissioner: { id: '0a000000-0000-4000-8000-000000000010', ods_code: 'ZN1', name: 'NHS Northshire ICB' },
    payment_date: '2026-12-15',
    claim_count: 2,
    total: '2167.76',
    ...overrides,
  };
}

export const sampleFiles = (runNumber: number) => [
  { name: `payment-run-${runNumber}-2026-12-15.csv`, content_type: 'text/csv; charset=utf-8', bytes: new TextEncoder().encode('Provider ODS code\r\n') },
  { name: `payment-run-${runNumber}-2026-12-15.xlsx`, content_type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: new Uint8Array([80, 75, 3, 4]) },
];
