// Shared helpers for the Auth service tests (tests/api/auth): supabase-js clients
// against the shared test stack, the local mailbox, raw HTTP for exact shapes,
// and a superuser connection for inspecting (or ageing) auth rows.
import { randomBytes, randomInt } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { inject } from 'vitest';
import { createAuthService } from '../../../stack/gateway/auth/index.ts';
import { loadAuthSettings, type AuthSettings } from '../../../stack/gateway/auth/settings.ts';
import type { MailMessage } from '../../../stack/mail/types.ts';
import type { TestStack } from '../../setup/stack-env.ts';

export const stack: TestStack = inject('stack');
export const AUTH_URL = `${stack.apiUrl}/auth/v1`;

/** Meets config.toml's rules (12+ characters, lower, upper, digit). */
export const PASSWORD = 'Commission-Portal-2026';

/** A fresh address per call; test files run in parallel against one database. */
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}@auth-test.example`.toLowerCase();
}

/**
 * A made-up client address. The auth service rate-limits per client IP; the test stack
 * trusts loopback as a proxy, so it takes that IP from X-Forwarded-For. Giving every
 * test client its own address keeps the tests from sharing one budget — and from
 * eating the budget of other suites on 127.0.0.1.
 */
export function fakeIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/**
 * supabase-js constructs a realtime client eagerly, which on Node 20 (no global
 * WebSocket) throws unless given a transport. Realtime is not part of these tests:
 * any attempt to open a socket fails loudly.
 */
class NoWebSocket {
  constructor() {
    throw new Error('realtime is not used by the auth tests');
  }
}
const realtime = { transport: NoWebSocket as never };

export interface ClientOptions {
  key?: string;
  ip?: string;
  fetch?: typeof fetch;
  url?: string;
}

/** A supabase-js client that keeps its session in memory and never refreshes on its own. */
export function client(options: ClientOptions = {}): SupabaseClient {
  return createClient(options.url ?? stack.apiUrl, options.key ?? stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime,
    global: { headers: { 'X-Forwarded-For': options.ip ?? fakeIp() }, ...(options.fetch ? { fetch: options.fetch } : {}) },
  });
}

/** A browser-like client in the PKCE flow (the code verifier lives in an in-memory storage). */
export function pkceClient(ip = fakeIp()): SupabaseClient {
  const storage = new Map<string, string>();
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: {
      flowType: 'pkce',
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
      storage: {
        getItem: (key: string) => storage.get(key) ?? null,
        setItem: (key: string, value: string) => void storage.set(key, value),
        removeItem: (key: string) => void storage.delete(key),
      },
    },
    realtime,
    global: { headers: { 'X-Forwarded-For': ip } },
  });
}

/** supabase-js with the service-role key: `auth.admin.*` works. */
export function adminClient(options: Omit<ClientOptions, 'key'> = {}): SupabaseClient {
  return client({ ...options, key: stack.serviceRoleKey });
}

// One superuser connection for the whole suite (inspection and time travel only).
export { closeDb, db } from '../helpers.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  kind: string;
  links: string[];
}

function recipients(to: unknown): string[] {
  if (Array.isArray(to)) return to.map(String);
  return typeof to === 'string' ? [to] : [];
}

function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0]);
}

/**
 * Every message in the local mailbox for `to`, oldest first. The mail service lists
 * newest first and filters by `?to=`; the order is restored from `sentAt` (and the
 * id) when present, so the helper does not depend on the listing order.
 */
export async function mailFor(to: string): Promise<Mail[]> {
  const response = await fetch(`${stack.apiUrl}/mail/v1/messages?to=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`GET /mail/v1/messages: ${response.status}`);
  const all = (await response.json()) as Array<Record<string, unknown>>;
  const mine = all.filter((m) => recipients(m.to).some((r) => r.toLowerCase() === to.toLowerCase()));
  if (mine.every((m) => typeof m.sentAt === 'string')) {
    mine.sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)) || String(a.id ?? '').localeCompare(String(b.id ?? '')));
  }
  return mine.map((m) => ({
    to: recipients(m.to)[0]!,
    subject: String(m.subject),
    text: String(m.text),
    kind: String(m.kind),
    links: Array.isArray(m.links) ? (m.links as string[]) : linksIn(String(m.text)),
  }));
}

/** Wait for the `count`-th message of `kind` to `to` (mail may be delivered asynchronously). */
export async function waitForMail(to: string, kind: string, count = 1): Promise<Mail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = (await mailFor(to)).filter((m) => m.kind === kind);
    if (mails.length >= count) return mails[count - 1]!;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail #${count} for ${to} (have ${mails.length})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The /auth/v1/verify link in a message. */
export function verifyLink(mail: Mail): string {
  const link = mail.links.find((l) => l.includes('/auth/v1/verify?'));
  if (!link) throw new Error(`no verify link in: ${mail.text}`);
  return link;
}

/** The numeric code in a message. */
export function codeIn(mail: Mail): string {
  const match = /code:\s*(\d+)/.exec(mail.text);
  if (!match) throw new Error(`no code in: ${mail.text}`);
  return match[1]!;
}

export interface Redirect {
  status: number;
  location: URL;
  /** Parameters of the location's #fragment. */
  fragment: URLSearchParams;
}

/** Open an email link as a browser would, without following the redirect. */
export async function openLink(link: string, ip = fakeIp()): Promise<Redirect> {
  const response = await fetch(link, { redirect: 'manual', headers: { 'X-Forwarded-For': ip } });
  const location = response.headers.get('location');
  if (!location) throw new Error(`no redirect from ${link}: ${response.status} ${await response.text()}`);
  const url = new URL(location);
  return { status: response.status, location: url, fragment: new URLSearchParams(url.hash.replace(/^#/, '')) };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: any;
}

/** Raw HTTP against /auth/v1 with the anon key as apikey unless told otherwise. */
export async function authFetch(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; apikey?: string | null; bearer?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'X-Forwarded-For': fakeIp(), ...(init.headers ?? {}) };
  if (init.apikey !== null) headers.apikey = init.apikey ?? stack.anonKey;
  if (init.bearer) headers.Authorization = `Bearer ${init.bearer}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${AUTH_URL}${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** The payload of a JWT (not verified). */
export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

/** A confirmed user made through the admin API, ready to sign in with PASSWORD. */
export async function confirmedUser(label: string, extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(label);
  const { data, error } = await adminClient().auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, ...extra });
  if (error) throw error;
  return { id: data.user!.id, email };
}

export interface InProcessAuthOptions {
  /** The service's clock, for rate limits and delays (default Date.now). */
  now?: () => number;
  /** Where sent mail goes (default: dropped). */
  sent?: MailMessage[];
}

export interface InProcessAuth {
  /** fetch for `${IN_PROCESS_URL}/auth/v1/…` from a client at TCP address `peer`. */
  from(peer: string): typeof fetch;
}

/**
 * The auth service built in-process with the shared stack's settings plus `overrides`,
 * served at `${IN_PROCESS_URL}/auth/v1` through fetch functions (no socket), so a test
 * chooses the settings, the clock and each request's TCP peer (what @hono/node-server
 * hands the service as `c.env.incoming.socket`).
 */
export const IN_PROCESS_URL = 'http://auth.in-process.test';
export function inProcessAuth(admin: Sql, overrides: Partial<AuthSettings>, options: InProcessAuthOptions = {}): InProcessAuth {
  const base = loadAuthSettings({ publicUrl: IN_PROCESS_URL, jwtSecret: stack.jwtSecret, anonKey: stack.anonKey });
  const settings: AuthSettings = { ...base, ...overrides };
  const mailer = { send: async (message: MailMessage) => void options.sent?.push(message) };
  const service = createAuthService({ admin, mailer }, settings, options.now);
  const app = new Hono().route('/auth/v1', service.routes);
  return {
    from: (peer) =>
      (async (input: RequestInfo | URL, init?: RequestInit) =>
        app.fetch(new Request(input, init), { incoming: { socket: { remoteAddress: peer } } })) as typeof fetch,
  };
}
