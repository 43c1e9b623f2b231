// What every benchmark shares: a throw-away stack on free ports, percentiles,
// and stopping cleanly when interrupted. Benchmarks never run in `npm test`.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startStack, type RunningStack } from '../../stack/index.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Nearest-rank percentile of samples sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summary(samples: number[]): { p50: number; p95: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: samples.reduce((sum, value) => sum + value, 0) / samples.length,
  };
}

/** Ctrl-C / SIGTERM ask the benchmark to finish the current request and clean up; `interrupted()` tells it to. */
export function watchInterrupts(): () => boolean {
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    console.log('\nInterrupted: finishing the current request and stopping the stack…');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => interrupted;
}

export interface BenchStack {
  stack: RunningStack;
  dataDir: string;
  /** Stops the stack and deletes its data directory. */
  dispose(): Promise<void>;
}

/** A fresh stack in a new temporary directory on free ports. */
export async function startBenchStack(prefix: string): Promise<BenchStack> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  try {
    const [apiPort, dbPort] = [await freePort(), await freePort()];
    console.log(`Starting a fresh stack (API ${apiPort}, Postgres ${dbPort}, data ${dataDir})…`);
    const stack = await startStack({ dataDir, apiPort, dbPort, fresh: true });
    return {
      stack,
      dataDir,
      async dispose() {
        await stack.stop().catch((error: unknown) => console.error('Stopping the stack failed:', error));
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The four ways one page is read: through the gateway and over SQL, each as the user (RLS) and as service_role with an explicit filter. */
export interface RlsAndExplicitPaths {
  gatewayRls: () => Promise<unknown>;
  gatewayExplicit: () => Promise<unknown>;
  sqlRls: () => Promise<unknown>;
  sqlExplicit: () => Promise<unknown>;
}

export interface RlsComparisonOptions {
  /** What is measured, for the printed lines ("claims list"). */
  label: string;
  warmUp: number;
  measured: number;
  targetRatio: number;
  interrupted: () => boolean;
  deadline: number;
}

/**
 * Warms the four paths up, then times them alternately and prints p50/p95 and
 * RLS ÷ explicit for the gateway and for SQL. True when both ratios are within
 * the target (false also when nothing could be measured).
 */
export async function compareRlsWithExplicit(paths: RlsAndExplicitPaths, options: RlsComparisonOptions): Promise<boolean> {
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  for (let i = 0; i < options.warmUp && !options.interrupted(); i++) {
    for (const run of Object.values(paths)) await run();
  }
  const times = { gatewayRls: [] as number[], gatewayExplicit: [] as number[], sqlRls: [] as number[], sqlExplicit: [] as number[] };
  for (let i = 0; i < options.measured && !options.interrupted() && Date.now() < options.deadline; i++) {
    for (const key of Object.keys(times) as Array<keyof typeof times>) {
      const t = performance.now();
      await paths[key]();
      times[key].push(performance.now() - t);
    }
  }
  if (times.gatewayRls.length === 0) return false;
  let allWithin = true;
  for (const [path, rls, explicit] of [
    ['gateway', times.gatewayRls, times.gatewayExplicit],
    ['direct SQL', times.sqlRls, times.sqlExplicit],
  ] as const) {
    const [r, e] = [summary(rls), summary(explicit)];
    const ratio = r.p50 / e.p50;
    allWithin &&= ratio <= options.targetRatio;
    console.log(
      `${options.label}, ${path.padEnd(10)} p50 RLS ${ms(r.p50).padStart(9)} (p95 ${ms(r.p95)})  ` +
        `p50 explicit ${ms(e.p50).padStart(9)} (p95 ${ms(e.p95)})  ratio ${ratio.toFixed(2)}x  (${rls.length} pairs)` +
        (ratio > options.targetRatio ? `  ABOVE ${options.targetRatio}x` : ''),
    );
  }
  return allWithin;
}
