// The local functions host. Runs under Deno (never under Node): one long-lived
// process that hosts every edge function, the way Supabase's edge runtime hosts
// them in one server with a worker per function.
//
//   deno run <permissions> host.ts <nonce> <manifest JSON>
//   manifest: {"functions": [{"name": "...", "url": "file:///…/index.ts"}], "bootTimeoutMs": 60000}
//
// 1. Boot: import each function module in turn. Functions call
//    `Deno.serve(handler)` at import time (or `export default { fetch }`), so
//    while one module is imported `Deno.serve` is replaced by a stand-in that
//    records the handler under that function's name. A module that throws, or
//    registers nothing within the boot timeout, is recorded as failed; the
//    others still boot.
// 2. Serve: one real `Deno.serve` on 127.0.0.1, port chosen by the OS, that
//    dispatches on the first path segment: `/<name>/<rest>` → that handler,
//    with the request untouched (functions see `/<name>/…` as on hosted).
// 3. Report readiness as one stdout line `<nonce> {"port":…,"functions":{…}}`.
//    Exit when stdin closes (the gateway that spawned us has gone).
// 4. A function that failed to boot is booted again on a later request (at
//    most every few seconds), as the edge runtime starts a fresh worker per
//    request: a failed npm download or a flaky import heals by itself.
//
// Typed against the few Deno APIs it uses, so both `tsc` (Node project) and
// `deno check` accept it.

export {};

interface NetAddr {
  transport: string;
  hostname: string;
  port: number;
}
interface HandlerInfo {
  remoteAddr: NetAddr;
  completed: Promise<void>;
}
type Handler = (request: Request, info: HandlerInfo) => Response | Promise<Response>;
type ErrorHandler = (error: unknown) => Response | Promise<Response>;
interface ServeOptions {
  hostname?: string;
  port?: number;
  handler?: Handler;
  onError?: ErrorHandler;
  onListen?: (addr: NetAddr) => void;
}
interface HttpServerLike {
  finished: Promise<void>;
  addr: NetAddr;
  ref(): void;
  unref(): void;
  shutdown(): Promise<void>;
}
type Serve = (...args: unknown[]) => HttpServerLike;

declare const Deno: {
  serve: Serve;
  args: string[];
  stdin: { readable: ReadableStream<Uint8Array> };
  exit(code?: number): never;
};

interface ManifestEntry {
  name: string;
  url: string;
}
interface Manifest {
  functions: ManifestEntry[];
  bootTimeoutMs: number;
}

interface Registration {
  handler: Handler;
  onError?: ErrorHandler;
}
type Hosted = ({ ok: true } & Registration) | { ok: false; error: string; failedAt: number };

/** A failed function is booted again on a request that comes at least this long after the last attempt. */
const BOOT_RETRY_AFTER_MS = 3_000;

const [nonce, manifestText] = Deno.args;
if (!nonce || !manifestText) {
  console.error('usage: host.ts <nonce> <manifest JSON>');
  Deno.exit(2);
}
const manifest = JSON.parse(manifestText) as Manifest;
const realServe: Serve = Deno.serve.bind(Deno);
const hosted = new Map<string, Hosted>();
const entries = new Map(manifest.functions.map((entry) => [entry.name, entry]));
const retries = new Map<string, Promise<Hosted>>();
let attempts = 0;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function platformError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ code, message }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** `Deno.serve(handler)`, `Deno.serve(options, handler)` or `Deno.serve({ ...options, handler })`. */
function registrationFrom(args: unknown[]): Registration {
  const [first, second] = args;
  if (typeof first === 'function') return { handler: first as Handler };
  const options = (first ?? {}) as ServeOptions;
  const handler = typeof second === 'function' ? (second as Handler) : options.handler;
  if (typeof handler !== 'function') throw new TypeError('Deno.serve() was called without a handler');
  return { handler, ...(options.onError ? { onError: options.onError } : {}) };
}

/** What `Deno.serve` returns, for code that keeps the server object. It never finishes. */
function standInServer(): HttpServerLike {
  return {
    finished: new Promise<void>(() => {}),
    addr: { transport: 'tcp', hostname: '127.0.0.1', port: 0 },
    ref() {},
    unref() {},
    shutdown: () => Promise.resolve(),
  };
}

/** `export default { fetch }`, the other entrypoint style the edge runtime accepts. */
function defaultExportHandler(module: Record<string, unknown>): Registration | null {
  const exported = module.default as { fetch?: unknown } | undefined;
  if (exported && typeof exported.fetch === 'function') {
    const fetch = exported.fetch as Handler;
    return { handler: (request, info) => fetch.call(exported, request, info) };
  }
  return null;
}

function afterBoot(): HttpServerLike {
  throw new Error('Deno.serve() can only register a function while it boots (local functions host)');
}

/** Import one function module (at `url`: a retry adds a query so the module is evaluated afresh). */
async function boot(entry: ManifestEntry, url: string): Promise<Hosted> {
  let registered: (registration: Registration) => void = () => {};
  let registration: Registration | undefined;
  const serveCalled = new Promise<Registration>((resolve) => (registered = resolve));
  Deno.serve = (...args: unknown[]) => {
    if (registration) {
      console.warn(`[${entry.name}] Deno.serve() called again while booting; only the first handler is used`);
      return standInServer();
    }
    registration = registrationFrom(args);
    registered(registration);
    return standInServer();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not call Deno.serve() within ${manifest.bootTimeoutMs} ms`)),
      manifest.bootTimeoutMs,
    );
  });
  const imported = import(url).then((module: Record<string, unknown>) => {
    if (registration) return registration;
    const fromDefault = defaultExportHandler(module);
    if (fromDefault) return fromDefault;
    throw new Error('the module neither called Deno.serve() nor exported default { fetch }');
  });
  try {
    // A module may await forever after registering (e.g. `await Deno.serve(h).finished`): stop waiting once it has.
    const result = await Promise.race([serveCalled, imported, timedOut]);
    return { ok: true, ...result };
  } catch (error) {
    return { ok: false, error: describe(error), failedAt: Date.now() };
  } finally {
    Deno.serve = afterBoot;
    clearTimeout(timer);
    imported.catch(() => {}); // settled or not, a late failure must not become an unhandled rejection
  }
}

// Boots run one at a time: `Deno.serve` is swapped for the module being imported.
let bootQueue: Promise<unknown> = Promise.resolve();
function bootInTurn(entry: ManifestEntry, url: string): Promise<Hosted> {
  const run = bootQueue.then(() => boot(entry, url));
  bootQueue = run;
  return run;
}

/** The function, booted again first if it failed and the last attempt is old enough. */
async function current(name: string): Promise<Hosted | undefined> {
  const fn = hosted.get(name);
  const entry = entries.get(name);
  if (!fn || fn.ok || !entry || Date.now() - fn.failedAt < BOOT_RETRY_AFTER_MS) return fn;
  let retry = retries.get(name);
  if (!retry) {
    attempts += 1;
    const url = `${entry.url}${entry.url.includes('?') ? '&' : '?'}boot=${attempts}`;
    retry = bootInTurn(entry, url).then((result) => {
      hosted.set(name, result);
      retries.delete(name);
      console.error(result.ok ? `[${name}] booted on retry` : `[${name}] failed to boot again: ${result.error}`);
      return result;
    });
    retries.set(name, retry);
  }
  return retry;
}

async function dispatch(request: Request, info: HandlerInfo): Promise<Response> {
  const segment = new URL(request.url).pathname.split('/')[1] ?? '';
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  const fn = await current(name);
  if (!fn) return platformError(404, 'NOT_FOUND', 'Requested function was not found');
  if (!fn.ok) return platformError(500, 'BOOT_ERROR', `Function failed to start: ${fn.error}`);
  try {
    const response = await fn.handler(request, info);
    if (!(response instanceof Response)) throw new TypeError('the function did not return a Response');
    return response;
  } catch (error) {
    console.error(`[${name}] uncaught error:`, error);
    if (fn.onError) {
      try {
        return await fn.onError(error);
      } catch (handlerError) {
        console.error(`[${name}] onError failed:`, handlerError);
      }
    }
    return platformError(500, 'WORKER_ERROR', describe(error));
  }
}

// Hosted Supabase gives every function `EdgeRuntime.waitUntil(promise)` for background work.
const runtimeGlobal = globalThis as typeof globalThis & { EdgeRuntime?: { waitUntil(promise: Promise<unknown>): void } };
runtimeGlobal.EdgeRuntime ??= {
  waitUntil(promise) {
    Promise.resolve(promise).catch((error) => console.error('EdgeRuntime.waitUntil task failed:', error));
  },
};

// On hosted, a function's stray rejection or timer exception ends only its own
// worker. Here all functions share a process: log it and keep serving.
globalThis.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  console.error('unhandled promise rejection in a function:', (event as PromiseRejectionEvent).reason);
});
globalThis.addEventListener('error', (event) => {
  event.preventDefault();
  console.error('uncaught exception in a function:', (event as ErrorEvent).error);
});

for (const entry of manifest.functions) {
  const result = await bootInTurn(entry, entry.url);
  hosted.set(entry.name, result);
  if (!result.ok) console.error(`[${entry.name}] failed to boot: ${result.error}`);
}

realServe(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen(addr: NetAddr) {
      const functions: Record<string, string> = {};
      for (const [name, fn] of hosted) functions[name] = fn.ok ? 'ok' : `failed: ${fn.error}`;
      console.log(`${nonce} ${JSON.stringify({ port: addr.port, functions })}`);
    },
    onError: (error: unknown) => platformError(500, 'WORKER_ERROR', describe(error)),
  },
  dispatch,
);

// The gateway holds our stdin open; when it goes away (even killed), so do we.
(async () => {
  const reader = Deno.stdin.readable.getReader();
  try {
    while (!(await reader.read()).done);
  } catch {
    // closed
  }
  Deno.exit(0);
})();
