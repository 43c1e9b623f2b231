// The gateway: one HTTP server on 127.0.0.1 that routes /rest/v1 (and, with
// later services, /auth/v1, /storage/v1, /functions/v1; plus the local
// mailbox /mail and the payment-system simulator /payment-system/) the way hosted
// Supabase's API gateway does. HTTP concerns live here; each service's logic
// lives in its own folder.
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import postgres, { type Sql } from 'postgres';
import type { StackConfig } from '../config.ts';
import { JwtError, verifyJwt, type ProjectKeys } from '../jwt.ts';
import { ApiError, pgrst } from './rest/errors.ts';
import { handleRest } from './rest/handler.ts';
import { errorResponse, type HttpResponse } from './rest/respond.ts';
import { loadSchemaCache, type SchemaCache } from './rest/schema-cache.ts';
import { loadRoleSettings, type RequestIdentity, type RoleSettings } from './transaction.ts';
import { createMailService } from '../mail/index.ts';
import { createPaymentSystemSimulator } from '../payment-system/index.ts';
import { authService } from './auth/index.ts';
import { functionsService } from './functions/index.ts';
import type { GatewayContext, GatewayService } from './service.ts';
import { storageService } from './storage/index.ts';
import { BodyTooLargeError, readBodyWithin } from './request-body.ts';

export interface GatewayOptions {
  config: StackConfig;
  keys: ProjectKeys;
  /** Superuser URL, used only to read the catalog and LISTEN for schema reloads. */
  adminDbUrl: string;
  /** Connection as `authenticator` (NOINHERIT), which switches role per request. */
  authenticatorDbUrl: string;
  /** Hosted Supabase's gateway refuses /rest/v1 and /auth/v1 requests without a valid `apikey`. Default true. */
  requireApiKey?: boolean;
  /** Honour `Prefer: tx=rollback`. Default true (hosted Supabase: false). */
  allowTxOverride?: boolean;
}

export interface RunningGateway {
  url: string;
  /** Re-read the schema cache now (also happens on NOTIFY pgrst, 'reload schema'). */
  reloadSchema(): Promise<void>;
  stop(): Promise<void>;
}

const exposedHeaders = [
  'Content-Range',
  'Content-Location',
  'Content-Profile',
  'Location',
  'Preference-Applied',
  'Range-Unit',
  'X-Total-Count',
  'Link',
  'X-Supabase-Api-Version',
  'Proxy-Status',
].join(', ');

/** Auth endpoints a browser reaches from an email link or an OAuth redirect, without an apikey. */
const keylessAuthPaths = new Set(['/auth/v1/verify', '/auth/v1/callback', '/auth/v1/authorize']);

function corsHeaders(c: Context): Record<string, string> {
  return { 'access-control-allow-origin': '*', 'access-control-expose-headers': exposedHeaders };
}

function toResponse(c: Context, response: HttpResponse): Response {
  const headers = new Headers({ ...response.headers, ...corsHeaders(c) });
  return new Response(response.body as BodyInit | null, { status: response.status, headers });
}

function jwtFailure(error: JwtError): ApiError {
  const description = error.reason === 'expired' ? 'JWT expired' : error.message;
  const headers = { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` };
  if (error.reason === 'expired') return new ApiError(401, { code: 'PGRST303', message: 'JWT expired', details: null, hint: null }, headers);
  return new ApiError(401, { code: 'PGRST301', message: error.message, details: null, hint: null }, headers);
}

/** The caller's database role and claims, from `Authorization: Bearer <jwt>` (anon without one). */
export async function identify(authorization: string | undefined, secret: string): Promise<RequestIdentity> {
  const match = authorization?.match(/^bearer\s+(.+)$/i);
  if (!match) return { role: 'anon', claims: { role: 'anon' } };
  const token = match[1]!.trim();
  if (token.split('.').length !== 3) {
    throw jwtFailure(new JwtError('malformed', `Expected 3 parts in JWT; got ${token.split('.').length}`));
  }
  try {
    const claims = await verifyJwt(token, secret);
    const role = typeof claims.role === 'string' && claims.role !== '' ? claims.role : 'anon';
    return { role, claims: { ...claims, role } };
  } catch (error) {
    if (error instanceof JwtError) throw jwtFailure(error);
    throw error;
  }
}

/** Kong's key-auth: an `apikey` header (or query param) that is one of the project's keys, or a JWT it signed. */
async function checkApiKey(c: Context, options: GatewayOptions): Promise<Response | undefined> {
  if (options.requireApiKey === false) return undefined;
  const key = c.req.header('apikey') ?? new URL(c.req.url).searchParams.get('apikey') ?? undefined;
  if (!key) {
    return c.json({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' }, 401, corsHeaders(c));
  }
  if (key === options.keys.anonKey || key === options.keys.serviceRoleKey) return undefined;
  try {
    await verifyJwt(key, options.config.jwtSecret);
    return undefined;
  } catch {
    return c.json({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }, 401, corsHeaders(c));
  }
}

/**
 * Like PostgREST, send every bound value as text and let Postgres coerce it to the type it
 * inferred. The driver would otherwise serialise by that inferred type (a string bound to a
 * boolean parameter becomes 'f'; a JSON text bound to jsonb is encoded a second time).
 * Callers bind only strings, numbers and null, and JSON-encode documents themselves.
 */
function sendParametersAsText(sql: Sql): void {
  // An empty table that also ignores the array serialisers the driver registers once it has
  // fetched the server's types. (Turning type fetching off instead makes `reserve()` hang.)
  const none = new Proxy({}, { has: () => false, set: () => true });
  (sql.options as unknown as { serializers: object }).serializers = none;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const admin: Sql = postgres(options.adminDbUrl, { max: 5, onnotice: () => {} });
  // Requests run as `authenticator`; its pool is sized for a laptop, CI and the benchmark.
  const sql: Sql = postgres(options.authenticatorDbUrl, { max: 10, onnotice: () => {}, idle_timeout: 30 });
  sendParametersAsText(sql);

  let schemaCache: SchemaCache = await loadSchemaCache(admin, config.exposedSchemas);
  let roleSettings: RoleSettings = await loadRoleSettings(admin);
  const reloadSchema = async () => {
    schemaCache = await loadSchemaCache(admin, config.exposedSchemas);
    roleSettings = await loadRoleSettings(admin);
  };
  // Supabase's DDL event triggers send NOTIFY pgrst, 'reload schema' after migrations.
  const listener = await admin.listen('pgrst', (payload) => {
    if (payload === '' || payload === 'reload schema' || payload === 'reload config') {
      reloadSchema().catch((error) => console.error('[gateway] schema reload failed:', error));
    }
  });

  const app = new Hono();

  app.options('*', (c, next) => {
    // Edge functions answer their own preflights (with the shared CORS helper), as on hosted Supabase.
    if (c.req.path.startsWith('/functions/v1/')) return next();
    const requestedHeaders = c.req.header('access-control-request-headers');
    return c.body(null, 200, {
      ...corsHeaders(c),
      'access-control-allow-methods': c.req.header('access-control-request-method') ?? 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
      'access-control-allow-headers': requestedHeaders ?? 'authorization, x-client-info, apikey, content-type, accept-profile, content-profile, prefer, range, x-supabase-api-version',
      'access-control-max-age': '86400',
    });
  });

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.all('/rest/v1/*', async (c) => {
    const refused = await checkApiKey(c, options);
    if (refused) return refused;
    let identity: RequestIdentity;
    try {
      identity = await identify(c.req.header('authorization'), config.jwtSecret);
    } catch (error) {
      if (error instanceof ApiError) return toResponse(c, errorResponse(error));
      throw error;
    }
    const url = new URL(c.req.url);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    let body: Uint8Array = new Uint8Array();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      try {
        body = await readBodyWithin(c.req.raw, config.restMaxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          // PostgREST itself sets no limit, so neither the limit nor the code PGRST413 is PostgREST's: they are the stack's.
          const hint = 'Send less, or raise STACK_REST_MAX_BODY_BYTES on the local stack.';
          return toResponse(c, errorResponse(pgrst(413, 'PGRST413', 'Request body too large', error.message, hint)));
        }
        throw error;
      }
    }
    const response = await handleRest(
      { method: c.req.method, path: url.pathname.slice('/rest/v1'.length) || '/', query: url.search.slice(1), headers, body },
      identity,
      {
        sql,
        schemaCache: () => schemaCache,
        roleSettings: () => roleSettings,
        exposedSchemas: config.exposedSchemas,
        extraSearchPath: ['public', 'extensions'],
        maxRows: config.maxRows,
        allowTxOverride: options.allowTxOverride ?? true,
      },
    );
    return toResponse(c, response);
  });

  const mail = await createMailService(config);
  const context: GatewayContext = {
    config,
    keys: options.keys,
    admin,
    requestSql: sql,
    roleSettings: () => roleSettings,
    identify: (authorization) => identify(authorization, config.jwtSecret),
    mailer: mail.mailer,
    publicUrl: `http://${config.host}:${config.apiPort}`,
  };
  const services: GatewayService[] = [];
  const mount = async (prefix: string, factory: (context: GatewayContext) => Promise<GatewayService>, requireKey: boolean) => {
    const service = await factory(context);
    services.push(service);
    if (requireKey) {
      app.use(`${prefix}/*`, async (c, next) => {
        // Links in emails are opened by a browser with no key: hosted Supabase leaves these open too.
        if (c.req.method === 'GET' && keylessAuthPaths.has(c.req.path)) return next();
        return (await checkApiKey(c, options)) ?? next();
      });
    }
    app.route(prefix, service.routes);
  };
  // Kong's key-auth guards /rest/v1 and /auth/v1 on hosted Supabase; Storage and Functions check JWTs themselves.
  await mount('/auth/v1', authService, true);
  await mount('/storage/v1', storageService, false);
  await mount('/functions/v1', functionsService, false);
  app.route('/', mail.routes);
  // The payment system cannot run here: a SIMULATOR stands in for it (stack/payment-system/).
  const paymentSystem = await createPaymentSystemSimulator(config, { answerUrl: `${context.publicUrl}/functions/v1/payment-system-answer` });
  app.route('/', paymentSystem.routes);

  app.notFound((c) => c.json({ message: 'no Route matched with those values' }, 404, corsHeaders(c)));
  app.onError((error, c) => {
    console.error('[gateway] unhandled error', error);
    return toResponse(c, errorResponse(pgrst(500, 'PGRST000', 'Internal gateway error')));
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.apiPort }, () => resolve(s));
    s.once('error', reject);
  });

  const url = `http://${config.host}:${config.apiPort}`;
  return {
    url,
    reloadSchema,
    async stop() {
      // Browsers keep connections alive; close them so stopping never waits on a tab.
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closing;
      // On Ctrl-C the terminal signals Postgres too, so the database may already be gone:
      // every step still runs, and a closed connection is not a failure.
      const steps: Array<() => Promise<unknown>> = [
        // First, so no automatic acknowledgement goes to a functions host that is stopping.
        () => paymentSystem.stop(),
        ...services.map((service) => () => service.stop?.() ?? Promise.resolve()),
        () => mail.stop(),
        () => listener.unlisten(),
        () => sql.end({ timeout: 5 }),
        () => admin.end({ timeout: 5 }),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          if ((error as { code?: string }).code !== 'CONNECTION_CLOSED') console.error('[gateway] while stopping:', error);
        }
      }
    },
  };
}
