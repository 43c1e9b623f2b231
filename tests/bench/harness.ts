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
