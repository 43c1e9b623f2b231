// The SMTP path of the mailer (SMTP_HOST set). No real mail server can run on
// this machine, so these tests deliver to a small fake relay started here on
// 127.0.0.1 (./fake-smtp.ts): the client side is the real one (nodemailer via
// stack/mail/smtp.ts); only the server is a stand-in. Each test's relay is
// closed afterwards and shuts itself down after 30 s regardless.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadStackConfig, type StackConfig } from '../../../stack/config.ts';
import { projectKeys } from '../../../stack/jwt.ts';
import { createMailService, type MailService } from '../../../stack/mail/index.ts';
import { createSmtpTransport, smtpConfigFromEnv, SmtpConfigError } from '../../../stack/mail/smtp.ts';
import { closedPort, startFakeSmtp, type FakeSmtp } from './fake-smtp.ts';

const LOGIN = { user: 'portal-relay', pass: 'correct horse battery staple' };
const FROM = 'NHS Commissioning Portal <no-reply@portal.example>';
const timeouts = { connectionTimeout: 3_000, greetingTimeout: 3_000, socketTimeout: 5_000 };

const invite = {
  to: 'New.User@Riverside.example',
  subject: 'You have been invited to the commissioning portal',
  text: 'Accept your invitation: http://127.0.0.1:54321/auth/v1/verify?token=secret-token&type=invite',
  html: '<p><a href="http://127.0.0.1:54321/auth/v1/verify?token=secret-token&amp;type=invite">Accept your invitation</a></p>',
  kind: 'invite',
};

let dataDir: string;
let config: StackConfig;
let relay: FakeSmtp | undefined;
let service: MailService | undefined;
let logged: { info: string[]; error: string[] };

function env(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), SMTP_USER: LOGIN.user, SMTP_PASS: LOGIN.pass, SMTP_FROM: FROM, ...extra };
}

async function startService(variables: Record<string, string>): Promise<MailService> {
  service = await createMailService(config, {
    env: variables,
    log: { info: (l) => logged.info.push(l), error: (l) => logged.error.push(l) },
    smtpTimeouts: timeouts,
  });
  return service;
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mail-smtp-test-'));
  config = loadStackConfig({ dataDir });
  logged = { info: [], error: [] };
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await relay?.close();
  relay = undefined;
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('mailer with SMTP_HOST set', () => {
  it('delivers through the relay (AUTH, envelope, headers, both bodies) instead of the mailbox, with a one-line log record', async () => {
    relay = await startFakeSmtp({ login: LOGIN });
    const mail = await startService(env(relay.port));
    expect(mail.mode).toBe('smtp');

    await mail.mailer.send(invite);

    expect(relay.received).toHaveLength(1);
    const [received] = relay.received;
    expect(received!.auth).toEqual(LOGIN);
    expect(received!.mailFrom).toBe('no-reply@portal.example');
    // nodemailer lower-cases the domain (domains are case-insensitive); the local part is kept.
    expect(received!.rcptTo).toEqual(['New.User@riverside.example']);
    const data = received!.data;
    expect(data).toMatch(/^From: NHS Commissioning Portal <no-reply@portal\.example>$/m);
    expect(data).toMatch(/^To: New\.User@riverside\.example$/m);
    expect(data).toMatch(/^Subject: You have been invited to the commissioning portal$/m);
    expect(data).toMatch(/^X-Mail-Kind: invite$/m);
    expect(data).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(data).toMatch(/^Content-Type: text\/plain/m);
    expect(data).toMatch(/^Content-Type: text\/html/m);
    expect(data).toContain('Accept your invitation');

    // Not kept locally.
    await expect(fs.access(path.join(dataDir, 'mail'))).rejects.toMatchObject({ code: 'ENOENT' });
    // One start-up line and one line per message; never the body (it holds a sign-in token) or the password.
    expect(logged.info).toHaveLength(2);
    expect(logged.info[0]).toContain(`SMTP_HOST is set: mail is sent through 127.0.0.1:${relay.port}`);
    expect(logged.info[1]).toMatch(new RegExp(`^sent kind=invite to=New\\.User@Riverside\\.example via smtp 127\\.0\\.0\\.1:${relay.port} message-id=<.+>$`));
    const allLogs = [...logged.info, ...logged.error].join('\n');
    expect(allLogs).not.toContain('secret-token');
    expect(allLogs).not.toContain(LOGIN.pass);
    expect(logged.error).toEqual([]);
  });

  it('turns the mailbox routes off (and says why), while POST /mail/v1/send still sends', async () => {
    relay = await startFakeSmtp({ login: LOGIN });
    const mail = await startService(env(relay.port));
    const app = new Hono().route('/', mail.routes);

    const list = await app.request('/mail/v1/messages');
    expect(list.status).toBe(404);
    expect(((await list.json()) as { message: string }).message).toContain('SMTP_HOST is set');
    expect(await (await app.request('/mail')).text()).toContain('The local mailbox is off.');

    const { serviceRoleKey } = await projectKeys(config.jwtSecret);
    const sent = await app.request('/mail/v1/send', {
      method: 'POST',
      headers: { apikey: serviceRoleKey, 'content-type': 'application/json' },
      body: JSON.stringify(invite),
    });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ mode: 'smtp', messageId: expect.stringMatching(/^<.+>$/) });
    expect(relay.received).toHaveLength(1);
  });

  it('a recipient the relay refuses: logged with recipient and kind, then thrown', async () => {
    relay = await startFakeSmtp({ login: LOGIN, rejectRecipient: (to) => to.startsWith('nobody@') });
    const mail = await startService(env(relay.port));
    await expect(mail.mailer.send({ ...invite, to: 'nobody@riverside.example' })).rejects.toThrow(/550|rejected|Recipient/i);
    expect(relay.received).toHaveLength(0);
    expect(logged.error).toHaveLength(1);
    expect(logged.error[0]).toMatch(/^NOT SENT kind=invite to=nobody@riverside\.example via smtp 127\.0\.0\.1:\d+: /);
  });

  it('wrong credentials: logged and thrown, nothing delivered', async () => {
    relay = await startFakeSmtp({ login: LOGIN });
    const mail = await startService(env(relay.port, { SMTP_PASS: 'wrong' }));
    await expect(mail.mailer.send(invite)).rejects.toThrow();
    expect(relay.received).toHaveLength(0);
    expect(logged.error[0]).toContain('NOT SENT kind=invite to=New.User@Riverside.example');
    expect(logged.error.join('\n')).not.toContain('wrong');
  });

  it('an unreachable relay: logged and thrown', async () => {
    const mail = await startService(env(await closedPort()));
    await expect(mail.mailer.send(invite)).rejects.toThrow();
    expect(logged.error).toHaveLength(1);
    expect(logged.error[0]).toContain('NOT SENT kind=invite');
  });

  it('an invalid message never reaches the relay', async () => {
    relay = await startFakeSmtp({ login: LOGIN });
    const mail = await startService(env(relay.port));
    await expect(mail.mailer.send({ ...invite, subject: 'Hi\r\nBcc: everyone@riverside.example' })).rejects.toThrow(/subject/);
    expect(relay.commands).toEqual([]);
    expect(logged.error[0]).toContain('refused (invalid message) kind=invite');
  });

  it('with requireTLS, refuses to send to a relay that offers no STARTTLS', async () => {
    relay = await startFakeSmtp({ login: LOGIN });
    const transport = createSmtpTransport(
      { host: '127.0.0.1', port: relay.port, secure: false, requireTLS: true, ...LOGIN, from: FROM },
      timeouts,
    );
    try {
      await expect(transport.send(invite)).rejects.toThrow(/STARTTLS/);
    } finally {
      transport.close();
    }
    expect(relay.received).toHaveLength(0);
    expect(relay.commands.some((c) => c.startsWith('AUTH'))).toBe(false);
  });
});

describe('smtpConfigFromEnv', () => {
  it('is off without SMTP_HOST', () => {
    expect(smtpConfigFromEnv({})).toBeUndefined();
    expect(smtpConfigFromEnv({ SMTP_HOST: '  ', SMTP_FROM: 'a@b.example' })).toBeUndefined();
  });

  it('defaults: STARTTLS on 587 (required off-machine), implicit TLS on 465', () => {
    expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.example.nhs.uk', SMTP_FROM: 'no-reply@example.nhs.uk' })).toEqual({
      host: 'smtp.example.nhs.uk',
      port: 587,
      secure: false,
      requireTLS: true,
      from: 'no-reply@example.nhs.uk',
    });
    expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.example.nhs.uk', SMTP_PORT: '465', SMTP_FROM: 'a@b.example' })).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(smtpConfigFromEnv({ SMTP_HOST: 'smtp.example.nhs.uk', SMTP_SECURE: 'true', SMTP_FROM: 'a@b.example' })).toMatchObject({ port: 465, secure: true });
    expect(smtpConfigFromEnv({ SMTP_HOST: 'localhost', SMTP_PORT: '25', SMTP_FROM: 'a@b.example' })).toMatchObject({ port: 25, secure: false, requireTLS: false });
    expect(
      smtpConfigFromEnv({ SMTP_HOST: 'h.example', SMTP_USER: 'u', SMTP_PASS: 'p', SMTP_SECURE: 'false', SMTP_FROM: 'Portal <a@b.example>' }),
    ).toMatchObject({ user: 'u', pass: 'p', secure: false, from: 'Portal <a@b.example>' });
  });

  it.each([
    [{ SMTP_HOST: 'h.example' }, /SMTP_FROM is required/],
    [{ SMTP_HOST: 'h.example', SMTP_FROM: 'not an address' }, /SMTP_FROM/],
    [{ SMTP_HOST: 'h.example', SMTP_FROM: 'a@b.example\r\nBcc: x@y.example' }, /SMTP_FROM/],
    [{ SMTP_HOST: 'h.example', SMTP_FROM: 'a@b.example', SMTP_PORT: '70000' }, /SMTP_PORT/],
    [{ SMTP_HOST: 'h.example', SMTP_FROM: 'a@b.example', SMTP_SECURE: 'maybe' }, /SMTP_SECURE/],
    [{ SMTP_HOST: 'h.example', SMTP_FROM: 'a@b.example', SMTP_USER: 'u' }, /both SMTP_USER and SMTP_PASS/],
  ])('refuses %j', (variables, message) => {
    expect(() => smtpConfigFromEnv(variables)).toThrow(SmtpConfigError);
    expect(() => smtpConfigFromEnv(variables)).toThrow(message);
  });

  it('createMailService fails to start on a bad SMTP setting instead of falling back to the mailbox', async () => {
    await expect(createMailService(config, { env: { SMTP_HOST: 'h.example' }, log: { info() {}, error() {} } })).rejects.toThrow(SmtpConfigError);
  });
});
