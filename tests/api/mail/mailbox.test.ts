// The mailbox store (stack/mail/mailbox.ts) on its own, in a temporary folder.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Mailbox } from '../../../stack/mail/mailbox.ts';
import type { MailMessage } from '../../../stack/mail/types.ts';

let dir: string;
let warnings: string[];
let clock: number;
const now = () => new Date(clock++ * 1000 + Date.UTC(2026, 2, 1, 9, 0, 0));

function message(n: number, overrides: Partial<MailMessage> = {}): MailMessage {
  return { to: `user${n}@practice.example`, subject: `Message ${n}`, text: `Body ${n}`, kind: 'notice', ...overrides };
}

async function open(maxMessages?: number): Promise<Mailbox> {
  return Mailbox.open(dir, { now, warn: (line) => warnings.push(line), ...(maxMessages ? { maxMessages } : {}) });
}

beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'mailbox-test-')), 'mail');
  warnings = [];
  clock = 0;
});

afterEach(async () => {
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

describe('Mailbox', () => {
  it('stores a message as one JSON file and returns it with id, sentAt and links', async () => {
    const mailbox = await open();
    const stored = await mailbox.add(message(1, { text: 'Confirm at https://a.example/c?x=1.', html: '<a href="https://a.example/c?x=1&amp;y=2">go</a>' }));
    expect(stored).toMatchObject({ to: 'user1@practice.example', subject: 'Message 1', kind: 'notice', sentAt: '2026-03-01T09:00:00.000Z' });
    expect(stored.id).toMatch(/^\d{13}-\d{6}-[0-9a-f]{8}$/);
    expect(stored.links).toEqual(['https://a.example/c?x=1', 'https://a.example/c?x=1&y=2']);
    const files = (await fs.readdir(dir)).filter((f) => !f.startsWith('.'));
    expect(files).toEqual([`${stored.id}.json`]);
    expect(JSON.parse(await fs.readFile(path.join(dir, files[0]!), 'utf8'))).toEqual(stored);
    expect(await mailbox.get(stored.id)).toEqual(stored);
  });

  it('lists newest first, filters by recipient (any case) and kind, and limits', async () => {
    const mailbox = await open();
    await mailbox.add(message(1, { kind: 'invite' }));
    await mailbox.add(message(2, { to: 'Alice@Practice.Example' }));
    await mailbox.add(message(3, { kind: 'invite' }));
    await mailbox.add(message(4, { to: 'alice@practice.example', kind: 'invite' }));

    expect((await mailbox.list()).map((m) => m.subject)).toEqual(['Message 4', 'Message 3', 'Message 2', 'Message 1']);
    expect((await mailbox.list({ to: 'ALICE@practice.example' })).map((m) => m.subject)).toEqual(['Message 4', 'Message 2']);
    expect((await mailbox.list({ kind: 'invite' })).map((m) => m.subject)).toEqual(['Message 4', 'Message 3', 'Message 1']);
    expect((await mailbox.list({ to: 'alice@practice.example', kind: 'invite' })).map((m) => m.subject)).toEqual(['Message 4']);
    expect((await mailbox.list({ kind: 'invite', limit: 2 })).map((m) => m.subject)).toEqual(['Message 4', 'Message 3']);
    expect(await mailbox.list({ kind: 'nothing' })).toEqual([]);
  });

  it('keeps order for messages sent within the same millisecond', async () => {
    const mailbox = await Mailbox.open(dir, { now: () => new Date(Date.UTC(2026, 0, 1)) });
    for (let i = 1; i <= 5; i++) await mailbox.add(message(i));
    expect((await mailbox.list()).map((m) => m.subject)).toEqual(['Message 5', 'Message 4', 'Message 3', 'Message 2', 'Message 1']);
  });

  it('survives being opened again (a restart) and reads what is on disk', async () => {
    const first = await open();
    const a = await first.add(message(1));
    const b = await first.add(message(2));
    const second = await open();
    expect(await second.list()).toEqual([b, a]);
    await second.add(message(3));
    expect((await first.list()).map((m) => m.subject)).toEqual(['Message 3', 'Message 2', 'Message 1']);
  });

  it('removes one message or all of them', async () => {
    const mailbox = await open();
    const a = await mailbox.add(message(1));
    await mailbox.add(message(2));
    await mailbox.add(message(3));
    expect(await mailbox.remove(a.id)).toBe(true);
    expect(await mailbox.remove(a.id)).toBe(false);
    expect(await mailbox.get(a.id)).toBeUndefined();
    expect(await mailbox.clear()).toBe(2);
    expect(await mailbox.list()).toEqual([]);
    expect(await mailbox.count()).toBe(0);
  });

  it('never treats an id as a path', async () => {
    const mailbox = await open();
    await fs.writeFile(path.join(path.dirname(dir), 'secret.json'), JSON.stringify(message(9)));
    for (const id of ['../secret', '..%2Fsecret', '/etc/passwd', '', '0000000000001-000001-zzzzzzzz']) {
      expect(await mailbox.get(id)).toBeUndefined();
      expect(await mailbox.remove(id)).toBe(false);
    }
    expect(await fs.readFile(path.join(path.dirname(dir), 'secret.json'), 'utf8')).toContain('Message 9');
  });

  it('keeps only the newest maxMessages', async () => {
    const mailbox = await open(3);
    for (let i = 1; i <= 5; i++) await mailbox.add(message(i));
    expect((await mailbox.list()).map((m) => m.subject)).toEqual(['Message 5', 'Message 4', 'Message 3']);
    expect(await mailbox.count()).toBe(3);
  });

  it('skips (and reports) a file it cannot read, without deleting it', async () => {
    const mailbox = await open();
    await mailbox.add(message(1));
    const broken = path.join(dir, '9999999999999-000001-deadbeef.json');
    await fs.writeFile(broken, '{ not json');
    await fs.writeFile(path.join(dir, '9999999999998-000001-deadbeef.json'), JSON.stringify({ to: 'x@y.example' }));
    await fs.writeFile(path.join(dir, 'notes.txt'), 'ignored');
    expect((await mailbox.list()).map((m) => m.subject)).toEqual(['Message 1']);
    expect(warnings).toHaveLength(2);
    await fs.access(broken);
  });

  it('starts empty in a new folder, and an empty list when the folder vanished', async () => {
    const mailbox = await open();
    expect(await mailbox.list()).toEqual([]);
    await fs.rm(dir, { recursive: true });
    expect(await mailbox.list()).toEqual([]);
    await mailbox.add(message(1));
    expect(await mailbox.count()).toBe(1);
  });
});
