// How edge functions send the product's own emails (Auth sends its own: sign-up,
// invitation and recovery links). One HTTP call per message; docs/mail.md
// ("Edge functions") describes the settings:
//
//   MAIL_API_URL     where to POST; default `${SUPABASE_URL}/mail/v1/send`, the
//                    local stack's mailer (mailbox, or SMTP with SMTP_HOST)
//   MAIL_API_KEY     bearer key for that URL; default: the service-role key, but
//                    only for the default URL (the key never goes to another host)
//   MAIL_API_FORMAT  `stack` (default): the stack mailer's JSON
//                    {to, subject, text, html, kind};
//                    `resend`: Resend's POST /emails JSON {from, to[], subject, text, html, headers}
//   MAIL_FROM        sender, required for `resend`

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the message is about (the notification kind); the local mailbox filters on it. */
  kind: string;
}

export class MailSendError extends Error {
  override readonly name = 'MailSendError';
  constructor(
    message: string,
    /** HTTP status of the mail API, if it answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface MailTransport {
  /** Where mail goes (for logs; never holds a key). */
  readonly describe: string;
  send(message: OutgoingMail): Promise<void>;
}

type Format = 'stack' | 'resend';

const SEND_TIMEOUT_MS = 15_000;

function env(name: string): string | undefined {
  const value = Deno.env.get(name)?.trim();
  return value ? value : undefined;
}

/** The transport the environment describes; throws a clear message when it is misconfigured. */
export function mailTransportFromEnv(): MailTransport {
  const configuredUrl = env('MAIL_API_URL');
  const supabaseUrl = env('SUPABASE_URL');
  const url = configuredUrl ?? (supabaseUrl ? `${supabaseUrl.replace(/\/+$/, '')}/mail/v1/send` : undefined);
  if (!url) throw new Error('Set MAIL_API_URL (or SUPABASE_URL) so notification emails can be sent.');
  const key = env('MAIL_API_KEY') ?? (configuredUrl ? undefined : env('SUPABASE_SERVICE_ROLE_KEY'));
  if (!key) throw new Error('Set MAIL_API_KEY: the key for MAIL_API_URL (the service-role key is only sent to the project itself).');
  const format = (env('MAIL_API_FORMAT') ?? 'stack').toLowerCase();
  if (format !== 'stack' && format !== 'resend') throw new Error(`MAIL_API_FORMAT must be "stack" or "resend", not "${format}".`);
  const from = env('MAIL_FROM');
  if (format === 'resend' && !from) throw new Error('Set MAIL_FROM (the sender address) to send through Resend.');
  return createTransport(url, key, format, from);
}

function createTransport(url: string, key: string, format: Format, from: string | undefined): MailTransport {
  const origin = new URL(url).origin;
  return {
    describe: `${format} ${origin}`,
    async send(message) {
      const body =
        format === 'stack'
          ? message
          : {
              from,
              to: [message.to],
              subject: message.subject,
              text: message.text,
              ...(message.html ? { html: message.html } : {}),
              headers: { 'X-Mail-Kind': message.kind },
            };
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${key}`,
            ...(format === 'stack' ? { apikey: key } : {}),
            'Content-Type': 'application/json',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
      } catch (error) {
        throw new MailSendError(`the mail API at ${origin} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const text = (await response.text()).slice(0, 500);
      let detail = text;
      try {
        const parsed = JSON.parse(text) as { message?: unknown };
        if (typeof parsed.message === 'string') detail = parsed.message;
      } catch {
        // not JSON: keep the text
      }
      throw new MailSendError(`the mail API at ${origin} answered ${response.status}: ${detail}`, response.status);
    },
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put into HTML (element content or a quoted attribute). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}
