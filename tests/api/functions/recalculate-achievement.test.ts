// recalculate-achievement: the scheduler's call (service-role key only) runs
// public.run_achievement_recalculation and reports what it recalculated; the
// stack's timer (stack/achievement-recalculation.ts) is what calls it locally.
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startAchievementRecalculation } from '../../../stack/achievement-recalculation.ts';
import { stack } from './helpers.ts';

const sql = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
// Mill Lane's seeded achievement on 30/06/2025 (not a payment date: no declaration moves).
const MILL_LANE_Q1 = '4a000000-0000-4000-8000-000000010031';

afterAll(async () => {
  await sql.end({ timeout: 5 });
});

async function call(body: unknown = {}, key = stack.serviceRoleKey) {
  const response = await fetch(`${stack.apiUrl}/functions/v1/recalculate-achievement`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function flag(): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'test', true)`;
    await tx`update public.achievements set recalculation_requested_at = now(), recalculation_reason = 'test' where id = ${MILL_LANE_Q1}`;
  });
}

async function millLane() {
  const [row] = await sql`select payment::text, recalculation_requested_at, recalculation_reason from public.achievements where id = ${MILL_LANE_Q1}`;
  return row!;
}

describe('recalculate-achievement', () => {
  it('refuses anyone but the scheduler, and a bad limit', async () => {
    expect(await call({}, stack.anonKey)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await call({ limit: 0 })).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'limit must be a whole number from 1 to 100,000.' } } });
    expect(await call('not json')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('recalculates flagged achievement and clears the flag; the figures are the calculation\'s', async () => {
    const before = await millLane();
    await flag();
    expect(await millLane()).toMatchObject({ recalculation_reason: 'test' });
    const { status, body } = await call({ limit: 20000 });
    expect(status).toBe(200);
    expect(body.achievements).toBeGreaterThanOrEqual(1);
    expect(typeof body.network_achievements).toBe('number');
    expect(await millLane()).toEqual({ payment: before.payment, recalculation_requested_at: null, recalculation_reason: null });
  });

  it('the stack\'s timer calls it and reads its answer', async () => {
    await flag();
    const lines: string[] = [];
    const timer = startAchievementRecalculation({
      apiUrl: stack.apiUrl,
      serviceRoleKey: stack.serviceRoleKey,
      intervalMs: 60_000,
      log: { info: (line) => lines.push(line), error: (line) => lines.push(`error: ${line}`) },
    });
    try {
      const outcome = await timer.runNow();
      expect(outcome.achievements).toBeGreaterThanOrEqual(1);
      expect(lines.some((line) => /^recalculated \d+ achievement\(s\) and \d+ PCN network achievement\(s\)$/.test(line))).toBe(true);
    } finally {
      await timer.stop();
    }
    expect((await millLane()).recalculation_requested_at).toBeNull();
  });
});
