// The mail service mounted in the real gateway of the test stack (started by
// the `stack` project's global setup). Other test files share this stack and
// may read their own mail at the same time, so nothing here clears the whole
// mailbox: each test uses its own recipient and deletes only its own messages.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import type { StoredMail } from '../../../stack/mail/types.ts';

const stack = inject('stack');

function recipient(): string {
  return `mail-test-${randomUUID().slice(0, 8)}@riverside.example`;
}

/** `key: null` sends no key at all. */
async function send(body: unknown, key: string | null = stack.serviceRoleKey): Promise<Response> {
  return fetch(`${stack.apiUrl}/mail/v1/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}`, apikey: key } : {}) },
    body: JSON.stringify(body),
  });
}

async function messagesFor(to: string): Promise<StoredMail[]> {
  const response = await fetch(`${stack.apiUrl}/mail/v1/messages?to=${encodeURIComponent(to)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredMail[];
}

describe('mail routes in the gateway', () => {
  it('serves the mailbox page at /mail without a key and without CORS headers', async () => {
    const response = await fetch(`${stack.apiUrl}/mail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.text()).toContain('<h1>Local mailbox</h1>');
  });

  it('a message sent through the mailer is readable at /mail/v1/messages, with its links', async () => {
    const to = recipient();
    const response = await send({
      to,
      subject: 'Confirm your email address',
      text: `Confirm your email: ${stack.apiUrl}/auth/v1/verify?token=t1&type=signup&redirect_to=http://127.0.0.1:5173/`,
      html: `<a href="${stack.apiUrl}/auth/v1/verify?token=t1&amp;type=signup&amp;redirect_to=http://127.0.0.1:5173/">Confirm</a>`,
      kind: 'signup',
    });
    expect(response.status).toBe(201);

    const [mail, ...rest] = await messagesFor(to.toUpperCase());
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to, kind: 'signup', subject: 'Confirm your email address' });
    expect(mail!.links).toEqual([`${stack.apiUrl}/auth/v1/verify?token=t1&type=signup&redirect_to=http://127.0.0.1:5173/`]);
    const byId = await fetch(`${stack.apiUrl}/mail/v1/messages/${mail!.id}`);
    expect(await byId.json()).toEqual(mail);

    const removed = await fetch(`${stack.apiUrl}/mail/v1/messages/${mail!.id}`, { method: 'DELETE', headers: { apikey: stack.serviceRoleKey } });
    expect(removed.status).toBe(200);
    expect(await messagesFor(to)).toEqual([]);
  });

  it('sending and clearing need the service-role key', async () => {
    const to = recipient();
    const message = { to, subject: 'Hello', text: 'Hello', kind: 'notice' };
    expect((await send(message, null)).status).toBe(401);
    expect((await send(message, stack.anonKey)).status).toBe(403);
    expect(await messagesFor(to)).toEqual([]);

    expect((await send(message)).status).toBe(201);
    const refused = await fetch(`${stack.apiUrl}/mail/v1/messages`, { method: 'DELETE', headers: { apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}` } });
    expect(refused.status).toBe(403);
    const [mail] = await messagesFor(to);
    expect(mail).toBeDefined();
    await fetch(`${stack.apiUrl}/mail/v1/messages/${mail!.id}`, { method: 'DELETE', headers: { apikey: stack.serviceRoleKey } });
  });

  it('refuses an invalid message with 400 and the field', async () => {
    const response = await send({ to: recipient(), subject: '', text: 'x', kind: 'notice' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ field: 'subject' });
  });
});
