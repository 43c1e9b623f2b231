// /functions/v1: Supabase Edge Functions on the local stack.
//
//   request → find the function (404 if none) → verify_jwt (401) → wait for
//   the Deno host (503 if it does not come up) → forward unchanged → answer
//   unchanged (500 if the host died mid-request).
//
// Every function in the functions folder runs in one long-lived Deno process
// (host.ts, managed by runtime.ts) with the environment hosted Supabase gives
// functions. This file holds the HTTP edge only; discovery (discover.ts), the
// process (runtime.ts) and forwarding (proxy.ts) live beside it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { databaseUrl, projectRoot } from '../../config.ts';
import { readSupabaseConfig, setting, supabaseConfigPath } from '../../supabase-config.ts';
import type { GatewayContext, GatewayService, ServiceFactory } from '../service.ts';
import { denoCacheDir, denoConfigFile, denoExecutable } from './deno.ts';
import { discoverFunctions, type Discovery, type FunctionDefinition } from './discover.ts';
import { forward, UpstreamError } from './proxy.ts';
import { DenoHost } from './runtime.ts';

export interface FunctionsServiceOptions {
  /** Folder of `<name>/index.ts` functions. Default: `STACK_FUNCTIONS_DIR`, else `supabase/functions`. */
  functionsDir?: string;
  /** config.toml with `[functions.<name>]` sections. Default: `supabase/config.toml`. */
  configFile?: string;
  /** Deno's cache. Default: see `denoCacheDir()`. */
  denoDir?: string;
  /** Restart the host when a file in the functions folder changes. Default: on, unless `STACK_FUNCTIONS_WATCH=0`. */
  watch?: boolean;
  /** A (re)started host that is not listening by then is killed and tried again. Default 90 s. */
  readyTimeoutMs?: number;
  /** Per function: time for its module to load (npm downloads included) and register a handler. Default 60 s. */
  bootTimeoutMs?: number;
  /** How long a request waits for a host that is (re)starting before answering 503. Default 30 s. */
  requestWaitMs?: number;
  /** More environment for the functions (on top of SUPABASE_URL and friends). */
  env?: Record<string, string>;
  /** Hosts the functions may reach besides loopback. Default: `STACK_FUNCTIONS_ALLOW_NET` (comma-separated). */
  allowNet?: string[];
  /** Paths the functions may read (and import modules from) besides the functions folder. */
  allowRead?: string[];
  log?: (line: string) => void;
}

/** What the functions service needs from the gateway. */
export type FunctionsContext = Pick<GatewayContext, 'config' | 'keys' | 'identify' | 'publicUrl'>;

export interface FunctionsService extends GatewayService {
  /** The functions being served now. */
  functions(): FunctionDefinition[];
  /** The Deno process (pid, restarts), undefined when Deno could not be found. */
  host: DenoHost | undefined;
  stop(): Promise<void>;
}

const MOUNT_PREFIX = '/functions/v1';
const hostScript = fileURLToPath(new URL('./host.ts', import.meta.url));
const WATCHED = /\.(ts|tsx|js|jsx|mjs|mts|json|jsonc)$|(^|\/)\.env$/;

function platformError(c: Context, status: 401 | 404 | 500 | 503, code: string | number, message: string): Response {
  // Browsers can read these (the portal shows the reason instead of a CORS failure).
  return c.json({ code, message }, status, { 'access-control-allow-origin': '*' });
}

function listFromEnv(name: string): string[] {
  return (process.env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function envFlag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

export async function createFunctionsService(context: FunctionsContext, options: FunctionsServiceOptions = {}): Promise<FunctionsService> {
  const log = options.log ?? ((line: string) => console.log(`[functions] ${line}`));
  const functionsDir = path.resolve(projectRoot, options.functionsDir ?? process.env.STACK_FUNCTIONS_DIR ?? path.join('supabase', 'functions'));
  const configFile = options.configFile ?? supabaseConfigPath;
  const config = readSupabaseConfig(configFile);
  const configDir = path.dirname(configFile);
  const requestWaitMs = options.requestWaitMs ?? 30_000;

  let discovery: Discovery = discoverFunctions(functionsDir, config, configDir);
  let byName = new Map(discovery.functions.map((f) => [f.name, f]));
  const reportDiscovery = () => {
    for (const skipped of discovery.skipped) log(`not serving "${skipped.name}": ${skipped.reason}`);
  };
  reportDiscovery();

  let host: DenoHost | undefined;
  let unavailable = '';
  try {
    const denoConfig = denoConfigFile(functionsDir);
    const envFile = path.join(functionsDir, '.env');
    // Deno needs read permission for the local modules it imports, too.
    const readable = new Set([
      functionsDir,
      ...discovery.functions.map((f) => path.dirname(f.entrypoint)),
      ...(options.allowRead ?? []).map((p) => path.resolve(projectRoot, p)),
    ]);
    host = new DenoHost({
      denoPath: denoExecutable(),
      hostScript,
      cwd: functionsDir,
      denoDir: options.denoDir ?? denoCacheDir(),
      ...(denoConfig ? { denoConfig } : {}),
      ...(fs.existsSync(envFile) ? { envFile } : {}),
      env: {
        SUPABASE_URL: context.publicUrl,
        SUPABASE_ANON_KEY: context.keys.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: context.keys.serviceRoleKey,
        SUPABASE_DB_URL: databaseUrl(context.config),
        // Where links in emails point (hosted: a function secret). Locally the portal runs at Auth's site URL.
        PORTAL_URL: process.env.PORTAL_URL ?? setting('auth.site_url', 'http://127.0.0.1:5173'),
        // Payment runs go to the stack's payment-system SIMULATOR (stack/payment-system/), signed
        // with the secret it shares; PAYMENT_SYSTEM_URL in the environment points them elsewhere.
        PAYMENT_SYSTEM_URL: process.env.PAYMENT_SYSTEM_URL ?? `${context.publicUrl}/payment-system/v1/runs`,
        PAYMENT_SYSTEM_SECRET: context.config.paymentSystemSecret,
        ...options.env,
      },
      allowNet: ['127.0.0.1', 'localhost', ...(options.allowNet ?? listFromEnv('STACK_FUNCTIONS_ALLOW_NET'))],
      allowRead: [...readable],
      launch: () => ({ functions: discovery.functions }),
      readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
      bootTimeoutMs: options.bootTimeoutMs ?? 60_000,
      log,
    });
  } catch (error) {
    unavailable = (error as Error).message;
    log(`functions are unavailable: ${unavailable}`);
  }

  if (host && discovery.functions.length > 0) {
    const started = Date.now();
    const status = await host.start();
    if (status) {
      const failed = Object.entries(status.functions).filter(([, state]) => state !== 'ok');
      const served = Object.keys(status.functions).length - failed.length;
      log(`${served} function(s) ready on 127.0.0.1:${status.port} in ${Date.now() - started} ms${failed.length ? `; ${failed.length} failed to boot` : ''}`);
    } else {
      log(`the functions host is not ready yet (${host.problem}); requests will wait for it`);
    }
  } else if (host) {
    log(`no functions in ${functionsDir}`);
  }

  let watcher: fs.FSWatcher | undefined;
  if (host && (options.watch ?? envFlag('STACK_FUNCTIONS_WATCH', true))) {
    let debounce: NodeJS.Timeout | undefined;
    const running = host;
    const reload = () => {
      try {
        discovery = discoverFunctions(functionsDir, config, configDir);
        byName = new Map(discovery.functions.map((f) => [f.name, f]));
        reportDiscovery();
      } catch (error) {
        log(`keeping the previous function list: ${(error as Error).message}`);
      }
      log('functions changed; restarting the functions host');
      void running.restart();
    };
    try {
      watcher = fs.watch(functionsDir, { recursive: true }, (_event, filename) => {
        const name = filename?.toString().replaceAll(path.sep, '/') ?? '';
        // Deno itself writes deno.lock when it starts: reacting to it would loop.
        if (name && (!WATCHED.test(name) || name.endsWith('deno.lock'))) return;
        clearTimeout(debounce);
        debounce = setTimeout(reload, 200);
      });
      watcher.on('error', (error) => log(`stopped watching ${functionsDir}: ${error.message}`));
    } catch (error) {
      log(`not watching ${functionsDir} for changes: ${(error as Error).message}`);
    }
  }

  const routes = new Hono();
  routes.all('*', async (c) => {
    const url = new URL(c.req.url);
    const rest = url.pathname.startsWith(MOUNT_PREFIX) ? url.pathname.slice(MOUNT_PREFIX.length) : url.pathname;
    const segment = rest.split('/')[1] ?? '';
    let name = segment;
    try {
      name = decodeURIComponent(segment);
    } catch {
      // not percent-encoded properly: no function has such a name
    }
    const fn = byName.get(name);
    if (!fn) return platformError(c, 404, 'NOT_FOUND', 'Requested function was not found');

    // Browsers send preflights without credentials: they always reach the function (as hosted).
    if (fn.verifyJwt && c.req.method !== 'OPTIONS') {
      const authorization = c.req.header('authorization');
      if (!authorization) return platformError(c, 401, 401, 'Missing authorization header');
      if (!/^bearer\s+\S+$/i.test(authorization.trim())) return platformError(c, 401, 401, 'Invalid JWT');
      try {
        await context.identify(authorization);
      } catch {
        return platformError(c, 401, 401, 'Invalid JWT');
      }
    }

    if (!host) return platformError(c, 503, 'FUNCTIONS_UNAVAILABLE', `The local functions runtime is unavailable: ${unavailable}`);
    // A host that has just died can still look ready (its exit event not yet in, its port
    // answering a probe while the process winds down). A request it refused never reached
    // a function, so it waits for the restart and goes once more; one it dropped did reach
    // it and is answered with WORKER_ERROR, as the edge runtime does.
    for (let attempt = 1; ; attempt++) {
      const status = await host.whenReady(requestWaitMs);
      if (!status) {
        return platformError(c, 503, 'FUNCTIONS_UNAVAILABLE', `The local functions runtime is not running: ${host.problem}`);
      }
      try {
        return await forward(c.req.raw, status.port, `${rest}${url.search}`);
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        if (c.req.raw.signal.aborted) return platformError(c, 500, 'WORKER_ERROR', 'The request was cancelled');
        await host.noteUnreachable();
        if (!error.reachedHost && attempt === 1) continue;
        return platformError(c, 500, 'WORKER_ERROR', `The function's runtime stopped while handling the request (${error.message}); it is restarting`);
      }
    }
  });

  return {
    routes,
    host,
    functions: () => discovery.functions,
    async stop() {
      watcher?.close();
      await host?.stop();
    },
  };
}

export const functionsService: ServiceFactory = (context) => createFunctionsService(context);
