// The mail service as the gateway uses it: createMailService in a temporary
// data directory, messages sent through `mailer.send`, read back through the
// HTTP routes (mounted in a Hono app and called with app.request).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStackConfig, type StackConfig } from '../../../stack/config.ts';
import { projectKeys, signJwt, type ProjectKeys } from '../../../stack/jwt.ts';
import { createMailService, MailValidationError, type MailService } from '../../../stack/mail/index.ts';
import type { StoredMail } from '../../../stack/mail/types.ts';

let dataDir: string;
let config: StackConfig;
let keys: ProjectKeys;
let service: MailService;
let app: Hono;
let logged: { info: string[]; error: string[] };

const log = () => ({ info: (l: string) => logged.info.push(l), error: (l: string) => logged.error.push(l) });

async function start(overrides: Partial<StackConfig> = {}): Promise<void> {
  await service?.stop();
  config = { ...config, ...overrides };
  // env: {} so an SMTP_HOST in the developer's shell can never reach these tests.
  service = await createMailService(config, { env: {}, log: log() });
  app = new Hono();
  app.route('/', service.routes);
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mail-service-test-'));
  config = loadStackConfig({ dataDir, fresh: false });
  keys = await projectKeys(config.jwtSecret);
  logged = { info: [], error: [] };
  await start();
});

afterEach(async () => {
  await service.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await app.request(url);
  return { status: response.status, body: (await response.json()) as T };
}

const invite = {
  to: 'New.User@Riverside.example',
  subject: 'You have been invited to the commissioning portal',
  text: 'Accept your invitation: http://127.0.0.1:54321/auth/v1/verify?token=abc&type=invite&redirect_to=http://127.0.0.1:5173/',
  html: '<p><a href="http://127.0.0.1:54321/auth/v1/verify?token=abc&amp;type=invite&amp;redirect_to=http://127.0.0.1:5173/">Accept</a></p>',
  kind: 'invite',
};

describe('createMailService (local mailbox)', () => {
  it('stores sent mail under <dataDir>/mail and serves it at /mail/v1/messages', async () => {
    expect(service.mode).toBe('mailbox');
    await service.mailer.send(invite);
    await service.mailer.send({ to: 'tier1@northshire.example', subject: 'Claim submitted', text: 'A claim awaits review.', kind: 'claim_submitted' });

    const files = (await fs.readdir(path.join(dataDir, 'mail'))).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(2);

    const { status, body } = await getJson<StoredMail[]>('/mail/v1/messages');
    expect(status).toBe(200);
    expect(body.map((m) => m.subject)).toEqual(['Claim submitted', invite.subject]);
    const stored = body[1]!;
    expect(stored).toMatchObject({ to: invite.to, kind: 'invite', text: invite.text, html: invite.html });
    expect(new Date(stored.sentAt).toISOString()).toBe(stored.sentAt);
    // The text link and the decoded href are the same URL: listed once.
    expect(stored.links).toEqual(['http://127.0.0.1:54321/auth/v1/verify?token=abc&type=invite&redirect_to=http://127.0.0.1:5173/']);

    const one = await getJson<StoredMail>(`/mail/v1/messages/${stored.id}`);
    expect(one).toEqual({ status: 200, body: stored });
    expect(logged.error).toEqual([]);
  });

  it('filters by recipient (case-insensitive), kind and limit, and refuses a bad limit', async () => {
    for (let i = 1; i <= 3; i++) await service.mailer.send({ ...invite, subject: `Invite ${i}` });
    await service.mailer.send({ to: 'other@harbour.example', subject: 'Offer', text: 'An offer was made.', kind: 'offer_made' });

    const byTo = await getJson<StoredMail[]>(`/mail/v1/messages?to=${encodeURIComponent('new.user@RIVERSIDE.example')}`);
    expect(byTo.body.map((m) => m.subject)).toEqual(['Invite 3', 'Invite 2', 'Invite 1']);
    const byKind = await getJson<StoredMail[]>('/mail/v1/messages?kind=offer_made');
    expect(byKind.body.map((m) => m.to)).toEqual(['other@harbour.example']);
    const limited = await getJson<StoredMail[]>('/mail/v1/messages?kind=invite&limit=2');
    expect(limited.body.map((m) => m.subject)).toEqual(['Invite 3', 'Invite 2']);
    for (const bad of ['0', '-1', 'abc', '1.5', '1001']) {
      expect((await app.request(`/mail/v1/messages?limit=${bad}`)).status).toBe(400);
    }
  });

  it('answers 404 for an unknown or malformed id', async () => {
    expect((await app.request('/mail/v1/messages/0000000000001-000001-deadbeef')).status).toBe(404);
    expect((await app.request('/mail/v1/messages/..%2F..%2Fenv')).status).toBe(404);
  });

  it('keeps mail across a restart, and a fresh stack starts empty', async () => {
    await service.mailer.send(invite);
    await start();
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body.map((m) => m.subject)).toEqual([invite.subject]);
    await start({ fresh: true });
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body).toEqual([]);
  });

  it('clears the mailbox only with the service-role key', async () => {
    await service.mailer.send(invite);
    const userToken = await signJwt({ sub: 'u', role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 60 }, config.jwtSecret);
    const forged = await signJwt({ role: 'service_role' }, 'a-different-secret-that-is-at-least-32-chars');
    const attempts: Array<[Record<string, string>, number]> = [
      [{}, 401],
      [{ authorization: `Bearer ${keys.anonKey}` }, 403],
      [{ apikey: keys.anonKey }, 403],
      [{ authorization: `Bearer ${userToken}` }, 403],
      [{ authorization: `Bearer ${forged}` }, 401],
      [{ authorization: 'Bearer not-a-jwt' }, 401],
    ];
    for (const [headers, status] of attempts) {
      expect((await app.request('/mail/v1/messages', { method: 'DELETE', headers })).status, JSON.stringify(headers)).toBe(status);
    }
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body).toHaveLength(1);

    const cleared = await app.request('/mail/v1/messages', { method: 'DELETE', headers: { apikey: keys.serviceRoleKey } });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toEqual({ deleted: 1 });
    await service.mailer.send(invite);
    const viaBearer = await app.request('/mail/v1/messages', { method: 'DELETE', headers: { authorization: `Bearer ${keys.serviceRoleKey}` } });
    expect(await viaBearer.json()).toEqual({ deleted: 1 });
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body).toEqual([]);
  });

  it('deletes one message by id with the service-role key', async () => {
    await service.mailer.send(invite);
    const [mail] = (await getJson<StoredMail[]>('/mail/v1/messages')).body;
    const url = `/mail/v1/messages/${mail!.id}`;
    expect((await app.request(url, { method: 'DELETE', headers: { apikey: keys.anonKey } })).status).toBe(403);
    expect((await app.request(url, { method: 'DELETE', headers: { apikey: keys.serviceRoleKey } })).status).toBe(200);
    expect((await app.request(url, { method: 'DELETE', headers: { apikey: keys.serviceRoleKey } })).status).toBe(404);
  });

  it('POST /mail/v1/send sends through the same mailer (service-role key only) and validates', async () => {
    const send = (body: unknown, key = keys.serviceRoleKey) =>
      app.request('/mail/v1/send', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect((await send(invite, keys.anonKey)).status).toBe(403);
    const created = await send(invite);
    expect(created.status).toBe(201);
    const delivery = (await created.json()) as { mode: string; mail: StoredMail };
    expect(delivery.mode).toBe('mailbox');
    expect((await getJson<StoredMail>(`/mail/v1/messages/${delivery.mail.id}`)).body.subject).toBe(invite.subject);

    const bad = await send({ ...invite, to: 'not an address' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'to' });
    const notJson = await app.request('/mail/v1/send', { method: 'POST', headers: { apikey: keys.serviceRoleKey }, body: '{' });
    expect(notJson.status).toBe(400);
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body).toHaveLength(1);
  });

  it('refuses an invalid message: logged with recipient and kind, then thrown, nothing stored', async () => {
    await expect(service.mailer.send({ ...invite, subject: '' })).rejects.toBeInstanceOf(MailValidationError);
    await expect(service.mailer.send({ ...invite, to: 'someone@' })).rejects.toThrow(/to must be/);
    expect(logged.error).toHaveLength(2);
    expect(logged.error[0]).toContain('kind=invite');
    expect(logged.error[0]).toContain(`to=${invite.to}`);
    expect(logged.error[1]).toContain('to=someone@');
    expect((await getJson<StoredMail[]>('/mail/v1/messages')).body).toEqual([]);
  });

  it('a failure to store is logged with recipient and kind and rethrown', async () => {
    // Replace the mailbox folder by a file: every write now fails (even as root).
    await fs.rm(path.join(dataDir, 'mail'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'mail'), 'not a folder');
    await expect(service.mailer.send(invite)).rejects.toThrow();
    expect(logged.error).toHaveLength(1);
    expect(logged.error[0]).toMatch(/NOT SENT kind=invite to=New\.User@Riverside\.example via mailbox: /);
  });

  it('logs one line without line breaks even for hostile input', async () => {
    await expect(service.mailer.send({ ...invite, to: 'a@b.example\nINJECTED', kind: 'x\ny' })).rejects.toThrow();
    expect(logged.error).toHaveLength(1);
    expect(logged.error[0]).not.toMatch(/\n/);
  });

  it('refuses (and logs) sends after stop()', async () => {
    await service.stop();
    await expect(service.mailer.send(invite)).rejects.toThrow(/stopped/);
    expect(logged.error[0]).toContain('kind=invite');
  });

  it('never logs message bodies in mailbox mode', async () => {
    await service.mailer.send(invite);
    expect([...logged.info, ...logged.error].join('\n')).not.toContain('token=abc');
  });
});
