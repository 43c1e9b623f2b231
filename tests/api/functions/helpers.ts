// A functions service of the tests' own (the real createFunctionsService, real
// Deno) over tests/api/functions/fixtures, mounted at /functions/v1 on its own
// loopback HTTP server — so test-only functions never live in supabase/functions.
// It shares the stack's keys, JWT secret and database with the global test stack.
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { Hono } from 'hono';
import { inject } from 'vitest';
import { loadStackConfig, projectRoot } from '../../../stack/config.ts';
import { createFunctionsService, type FunctionsService, type FunctionsServiceOptions } from '../../../stack/gateway/functions/index.ts';
import { identify } from '../../../stack/gateway/server.ts';
import type { TestStack } from '../../setup/stack-env.ts';

export const stack: TestStack = inject('stack');
export const FIXTURES_DIR = path.join(projectRoot, 'tests', 'api', 'functions', 'fixtures');

export interface FunctionsServer {
  /** http://127.0.0.1:<port>, the "project URL" for supabase-js. */
  url: string;
  service: FunctionsService;
  logs: string[];
  /** Milliseconds createFunctionsService took (Deno start + boot of every function). */
  startMs: number;
  close(): Promise<void>;
}

export async function startFunctionsServer(options: FunctionsServiceOptions = {}): Promise<FunctionsServer> {
  const app = new Hono();
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: (request) => app.fetch(request), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no server address');
  const url = `http://127.0.0.1:${address.port}`;

  const logs: string[] = [];
  const started = Date.now();
  const service = await createFunctionsService(
    {
      config: loadStackConfig({ jwtSecret: stack.jwtSecret, dbPort: Number(new URL(stack.dbUrl).port) }),
      keys: { anonKey: stack.anonKey, serviceRoleKey: stack.serviceRoleKey },
      identify: (authorization) => identify(authorization, stack.jwtSecret),
      publicUrl: url,
    },
    {
      functionsDir: FIXTURES_DIR,
      configFile: path.join(FIXTURES_DIR, 'config.toml'),
      watch: false,
      // The cors fixture imports the product's shared CORS helper.
      allowRead: [path.join(projectRoot, 'supabase', 'functions', '_shared')],
      log: (line) => logs.push(line),
      ...options,
    },
  );
  const startMs = Date.now() - started;
  app.route('/functions/v1', service.routes);

  return {
    url,
    service,
    logs,
    startMs,
    async close() {
      await service.stop();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closing;
    },
  };
}

// supabase-js builds a RealtimeClient eagerly and, on Node 20 (no global
// WebSocket), refuses to without a transport. Realtime is not used here.
class NoRealtime {
  constructor() {
    throw new Error('realtime is not used by the functions tests');
  }
}

export function supabaseClient(url: string, key: string, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
    global: { headers },
  });
}

/** Process is alive? (signal 0 only checks.) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
