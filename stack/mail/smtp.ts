// The SMTP transport: used instead of the local mailbox when SMTP_HOST is set.
//
// Settings come from the environment (docs/mail.md):
//   SMTP_HOST    relay host name; setting it switches the mailer to SMTP
//   SMTP_PORT    default 465 when SMTP_SECURE is true, else 587
//   SMTP_SECURE  true: TLS from the first byte (port 465); false: plain
//                connection upgraded with STARTTLS. Default: true on port 465.
//   SMTP_USER, SMTP_PASS   both or neither
//   SMTP_FROM    `address` or `Display Name <address>`; required
// A relay that is not on this machine must offer TLS (implicit or STARTTLS):
// messages carry sign-in links, and SMTP_PASS must never cross a network in clear.
//
// The protocol work (EHLO, STARTTLS, AUTH, MIME, dot-stuffing, timeouts) is
// nodemailer's; this module only maps settings and results.
import nodemailer from 'nodemailer';
import { isPlausibleEmail } from './validate.ts';
import type { MailMessage } from './types.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS (SMTPS). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds (always, except on loopback or with implicit TLS). */
  requireTLS: boolean;
  user?: string;
  pass?: string;
  from: string;
}

export class SmtpConfigError extends Error {
  override readonly name = 'SmtpConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

function parseBoolean(name: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new SmtpConfigError(`${name} must be true or false, got "${raw}"`);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** `address` or `Display Name <address>` with one plausible address and no line breaks. */
function checkFrom(raw: string): string {
  const from = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F]/.test(from)) throw new SmtpConfigError('SMTP_FROM must be one line');
  const angle = /^(.*)<([^<>]+)>$/.exec(from);
  const address = (angle ? angle[2]! : from).trim();
  if (!isPlausibleEmail(address)) {
    throw new SmtpConfigError(`SMTP_FROM must be an address or "Name <address>", got "${raw}"`);
  }
  return from;
}

/** SMTP settings from the environment, or undefined when SMTP_HOST is not set (local mailbox). */
export function smtpConfigFromEnv(env: Env = process.env): SmtpConfig | undefined {
  const host = env.SMTP_HOST?.trim();
  if (!host) return undefined;

  const secureRaw = env.SMTP_SECURE?.trim();
  const portRaw = env.SMTP_PORT?.trim();
  let port: number | undefined;
  if (portRaw) {
    port = Number(portRaw);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new SmtpConfigError(`SMTP_PORT must be a port number, got "${env.SMTP_PORT}"`);
    }
  }
  const secure = secureRaw ? parseBoolean('SMTP_SECURE', secureRaw) : port === 465;
  port ??= secure ? 465 : 587;

  const user = env.SMTP_USER?.trim() || undefined;
  const pass = env.SMTP_PASS || undefined;
  if ((user === undefined) !== (pass === undefined)) {
    throw new SmtpConfigError('Set both SMTP_USER and SMTP_PASS, or neither');
  }

  const fromRaw = env.SMTP_FROM;
  if (!fromRaw?.trim()) throw new SmtpConfigError('SMTP_FROM is required when SMTP_HOST is set');
  const from = checkFrom(fromRaw);

  return {
    host,
    port,
    secure,
    requireTLS: !secure && !isLoopbackHost(host),
    ...(user === undefined ? {} : { user, pass }),
    from,
  };
}

export interface SmtpTransport {
  /** `host:port` for log lines (never the credentials). */
  readonly describe: string;
  /** Sends one validated message; resolves with the Message-ID, rejects if the relay did not accept the recipient. */
  send(message: MailMessage): Promise<string>;
  close(): void;
}

export interface SmtpTimeouts {
  connectionTimeout?: number;
  greetingTimeout?: number;
  socketTimeout?: number;
}

export function createSmtpTransport(config: SmtpConfig, timeouts: SmtpTimeouts = {}): SmtpTransport {
  const transporter = nodemailer.createTransport(
    {
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: config.requireTLS,
      ...(config.user === undefined ? {} : { auth: { user: config.user, pass: config.pass } }),
      connectionTimeout: timeouts.connectionTimeout ?? 10_000,
      greetingTimeout: timeouts.greetingTimeout ?? 10_000,
      socketTimeout: timeouts.socketTimeout ?? 30_000,
      // Message bodies are text we were handed; never let them name a file or URL to read.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    },
    { from: config.from },
  );
  return {
    describe: `${config.host}:${config.port}`,
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        headers: { 'X-Mail-Kind': message.kind },
      });
      const accepted = info.accepted.map((address) => String(address).toLowerCase());
      if (!accepted.includes(message.to.toLowerCase())) {
        throw new Error(`the SMTP relay did not accept the recipient (${info.response})`);
      }
      return info.messageId;
    },
    close() {
      transporter.close();
    },
  };
}
