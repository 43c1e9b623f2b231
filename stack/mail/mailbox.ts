// The local mailbox: one JSON file per message under `<dataDir>/mail/`.
//
// - A message's id is `<ms since epoch, 13 digits>-<sequence, 6 digits>-<8 hex>`,
//   so file names sort by time and ids can never name a path outside the folder.
// - Files are written to a temporary name and renamed, so a reader never sees
//   half a message, and a crash never leaves one behind.
// - Reads go to the folder every time: the files are the truth, they survive a
//   restart of the stack, and deleting the folder empties the mailbox.
// - The newest `maxMessages` are kept (default 1000); older ones are pruned.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { extractLinks } from './links.ts';
import type { MailMessage, StoredMail } from './types.ts';

export const DEFAULT_MAX_MESSAGES = 1000;
const ID_PATTERN = /^\d{13}-\d{6}-[0-9a-f]{8}$/;
const FILE_PATTERN = /^(\d{13}-\d{6}-[0-9a-f]{8})\.json$/;

export interface MailFilter {
  /** Recipient, compared case-insensitively. */
  to?: string;
  /** Exact kind, e.g. `invite`. */
  kind?: string;
  /** At most this many (newest first). */
  limit?: number;
}

export interface MailboxOptions {
  maxMessages?: number;
  now?: () => Date;
  /** Told about files that cannot be read (they are skipped, never deleted). */
  warn?: (message: string) => void;
}

export function isMailId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function isStoredMail(value: unknown): value is StoredMail {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.to === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.text === 'string' &&
    (v.html === undefined || typeof v.html === 'string') &&
    typeof v.kind === 'string' &&
    typeof v.sentAt === 'string' &&
    Array.isArray(v.links) &&
    v.links.every((link) => typeof link === 'string')
  );
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export class Mailbox {
  private sequence = 0;
  private readonly maxMessages: number;
  private readonly now: () => Date;
  private readonly warn: (message: string) => void;

  private constructor(
    /** The folder holding the messages. */
    readonly dir: string,
    options: MailboxOptions,
  ) {
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
    if (!Number.isInteger(this.maxMessages) || this.maxMessages < 1) throw new Error('maxMessages must be a positive integer');
    this.now = options.now ?? (() => new Date());
    this.warn = options.warn ?? ((message) => console.warn(`[mail] ${message}`));
  }

  /** Opens (creating if needed) the mailbox folder. */
  static async open(dir: string, options: MailboxOptions = {}): Promise<Mailbox> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return new Mailbox(dir, options);
  }

  private nextId(at: Date): string {
    this.sequence = (this.sequence + 1) % 1_000_000;
    const ms = String(Math.max(0, at.getTime())).padStart(13, '0');
    return `${ms}-${String(this.sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** Ids of stored messages, newest first. */
  private async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    const ids: string[] = [];
    for (const name of names) {
      const match = FILE_PATTERN.exec(name);
      if (match) ids.push(match[1]!);
    }
    return ids.sort().reverse();
  }

  private async read(id: string): Promise<StoredMail | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.file(id), 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined; // removed meanwhile
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.warn(`skipping unreadable mailbox file ${this.file(id)}`);
      return undefined;
    }
    if (!isStoredMail(parsed)) {
      this.warn(`skipping mailbox file with an unexpected shape: ${this.file(id)}`);
      return undefined;
    }
    // The file name is the id: a hand-edited file cannot claim another message's id.
    return { ...parsed, id };
  }

  /** Stores an already validated message and returns it as stored. */
  async add(message: MailMessage): Promise<StoredMail> {
    const sentAt = this.now();
    const id = this.nextId(sentAt);
    const stored: StoredMail = {
      id,
      sentAt: sentAt.toISOString(),
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      kind: message.kind,
      links: extractLinks(message),
    };
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = path.join(this.dir, `.${id}.json.tmp`);
    await fs.writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    await fs.rename(temporary, this.file(id));
    await this.prune();
    return stored;
  }

  private async prune(): Promise<void> {
    const ids = await this.ids();
    for (const id of ids.slice(this.maxMessages)) await fs.rm(this.file(id), { force: true });
  }

  /** Messages newest first, filtered. */
  async list(filter: MailFilter = {}): Promise<StoredMail[]> {
    const to = filter.to?.trim().toLowerCase();
    const kind = filter.kind?.trim();
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const found: StoredMail[] = [];
    if (limit <= 0) return found;
    for (const id of await this.ids()) {
      const mail = await this.read(id);
      if (!mail) continue;
      if (to && mail.to.toLowerCase() !== to) continue;
      if (kind && mail.kind !== kind) continue;
      found.push(mail);
      if (found.length >= limit) break;
    }
    return found;
  }

  async count(): Promise<number> {
    return (await this.ids()).length;
  }

  async get(id: string): Promise<StoredMail | undefined> {
    if (!isMailId(id)) return undefined;
    return this.read(id);
  }

  /** Removes one message; false when there was none with that id. */
  async remove(id: string): Promise<boolean> {
    if (!isMailId(id)) return false;
    try {
      await fs.unlink(this.file(id));
      return true;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  /** Removes every message; returns how many there were. */
  async clear(): Promise<number> {
    let removed = 0;
    for (const id of await this.ids()) if (await this.remove(id)) removed++;
    return removed;
  }
}
