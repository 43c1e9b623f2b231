// The mail service: the one mailer through which Auth and the product send
// every message (docs/mail.md).
//
// - Locally (no SMTP_HOST): messages land in the mailbox under
//   `<dataDir>/mail/`, readable at GET /mail and /mail/v1/messages. A fresh
//   stack (`--fresh`) starts with an empty mailbox.
// - With SMTP_HOST set: messages go to that relay instead, and each one leaves
//   a one-line record in the log (kind, recipient, Message-ID; never the body,
//   which may hold a sign-in link).
// Either way the message is validated first, and a failure is logged with
// recipient and kind and then thrown to the caller: nothing is dropped silently.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Hono } from 'hono';
import type { StackConfig } from '../config.ts';
import { Mailbox } from './mailbox.ts';
import { mailRoutes, type Delivery } from './routes.ts';
import { createSmtpTransport, smtpConfigFromEnv, type Env, type SmtpTimeouts, type SmtpTransport } from './smtp.ts';
import type { Mailer, MailMessage } from './types.ts';
import { MailValidationError, validateMessage } from './validate.ts';

export type { Delivery } from './routes.ts';
export type { Mailer, MailMessage, StoredMail } from './types.ts';
export { MailValidationError } from './validate.ts';

export type MailMode = 'mailbox' | 'smtp';

export interface MailService {
  mailer: Mailer;
  /** Mounted at the gateway root: /mail (page) and /mail/v1/... (JSON). */
  routes: Hono;
  /** Waits for sends under way, then closes the transport; later sends are refused (and logged). */
  stop(): Promise<void>;
  /** Where mail goes: the local mailbox, or the SMTP relay named by SMTP_HOST. */
  mode: MailMode;
  /** Like `mailer.send`, and says what happened (the stored message, or the SMTP Message-ID). */
  deliver(message: MailMessage): Promise<Delivery>;
}

export interface MailLog {
  info(line: string): void;
  error(line: string): void;
}

export interface MailServiceOptions {
  /** Where SMTP_* settings are read from (default process.env). */
  env?: Env;
  /** Default: console, lines prefixed `[mail]`. */
  log?: MailLog;
  /** Clock for `sentAt` (tests). */
  now?: () => Date;
  /** The mailbox keeps the newest this many (default 1000). */
  maxMessages?: number;
  /** SMTP timeouts in ms (tests shorten them). */
  smtpTimeouts?: SmtpTimeouts;
}

const consoleLog: MailLog = {
  info: (line) => console.info(`[mail] ${line}`),
  error: (line) => console.error(`[mail] ${line}`),
};

export function mailDir(config: Pick<StackConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'mail');
}

/** A value fit for one log line: no line breaks or control characters, bounded length. */
function loggable(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '(missing)' : JSON.stringify(value) ?? String(value);
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001F\u007F\u2028\u2029]/g, '?');
  return clean.length > 254 ? `${clean.slice(0, 254)}…` : clean;
}

function reason(error: unknown): string {
  return loggable(error instanceof Error ? error.message : String(error));
}

export async function createMailService(config: StackConfig, options: MailServiceOptions = {}): Promise<MailService> {
  const log = options.log ?? consoleLog;
  const smtpConfig = smtpConfigFromEnv(options.env ?? process.env);

  let mailbox: Mailbox | undefined;
  let transport: SmtpTransport | undefined;
  if (smtpConfig) {
    transport = createSmtpTransport(smtpConfig, options.smtpTimeouts);
    log.info(`SMTP_HOST is set: mail is sent through ${transport.describe} from ${loggable(smtpConfig.from)}, not kept in the local mailbox`);
  } else {
    const dir = mailDir(config);
    if (config.fresh) await fs.rm(dir, { recursive: true, force: true });
    mailbox = await Mailbox.open(dir, {
      ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages }),
      ...(options.now === undefined ? {} : { now: options.now }),
      warn: (line) => log.error(line),
    });
  }
  const mode: MailMode = transport ? 'smtp' : 'mailbox';
  const via = transport ? `smtp ${transport.describe}` : 'mailbox';

  let stopped = false;
  const underWay = new Set<Promise<unknown>>();

  async function send(input: MailMessage): Promise<Delivery> {
    const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<Record<keyof MailMessage, unknown>>;
    try {
      if (stopped) throw new Error('the mail service has stopped');
      const message = validateMessage(input);
      if (transport) {
        const messageId = await transport.send(message);
        log.info(`sent kind=${loggable(message.kind)} to=${loggable(message.to)} via ${via} message-id=${loggable(messageId)}`);
        return { mode: 'smtp', messageId };
      }
      return { mode: 'mailbox', mail: await mailbox!.add(message) };
    } catch (error) {
      const what = error instanceof MailValidationError ? 'refused (invalid message)' : 'NOT SENT';
      log.error(`${what} kind=${loggable(raw.kind)} to=${loggable(raw.to)} via ${via}: ${reason(error)}`);
      throw error;
    }
  }

  function deliver(message: MailMessage): Promise<Delivery> {
    const sending = send(message);
    underWay.add(sending);
    const forget = () => underWay.delete(sending);
    sending.then(forget, forget);
    return sending;
  }

  return {
    mode,
    deliver,
    mailer: {
      async send(message) {
        await deliver(message);
      },
    },
    routes: mailRoutes({
      ...(mailbox ? { mailbox } : {}),
      ...(transport ? { smtp: transport.describe } : {}),
      jwtSecret: config.jwtSecret,
      deliver: (message) => deliver(message as MailMessage),
    }),
    async stop() {
      stopped = true;
      await Promise.allSettled([...underWay]);
      transport?.close();
    },
  };
}
