// HTTP edge of the mail service, mounted at the gateway root:
//
//   GET    /mail                     the mailbox page (filters ?to= ?kind=)
//   GET    /mail/v1/messages         StoredMail[], newest first (?to= ?kind= ?limit=)
//   GET    /mail/v1/messages/:id     one StoredMail
//   DELETE /mail/v1/messages         clear the mailbox           (service-role key)
//   DELETE /mail/v1/messages/:id     delete one message          (service-role key)
//   POST   /mail/v1/send             send a MailMessage through the mailer (service-role key)
//
// Reading needs no key, like Supabase's local Inbucket/Mailpit: the gateway
// listens on 127.0.0.1 only, and no CORS header is sent, so a page from
// another origin cannot read the mail. Anything that changes the mailbox or
// sends mail needs the service-role key (`Authorization: Bearer <key>` or
// `apikey: <key>`), so that no page or stray request can do it by accident.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { verifyJwt } from '../jwt.ts';
import type { Mailbox, MailFilter } from './mailbox.ts';
import { renderMailboxPage } from './page.ts';
import type { MailMessage, StoredMail } from './types.ts';
import { MailValidationError, MAIL_LIMITS } from './validate.ts';

export const MAX_LIST_LIMIT = 1000;
/** The page shows at most this many messages. */
export const PAGE_LIMIT = 100;

export type Delivery = { mode: 'mailbox'; mail: StoredMail } | { mode: 'smtp'; messageId: string };

export interface MailRoutesOptions {
  /** Absent when mail goes out through SMTP. */
  mailbox?: Mailbox;
  /** `host:port` of the SMTP relay, when SMTP is on. */
  smtp?: string;
  jwtSecret: string;
  deliver(message: unknown): Promise<Delivery>;
}

class BadRequest extends Error {}

function optionalText(c: Context, name: string): string | undefined {
  const value = c.req.query(name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.length > MAIL_LIMITS.address) throw new BadRequest(`${name} is too long`);
  return value;
}

function listFilter(c: Context): MailFilter {
  const filter: MailFilter = {};
  const to = optionalText(c, 'to');
  const kind = optionalText(c, 'kind');
  if (to !== undefined) filter.to = to;
  if (kind !== undefined) filter.kind = kind;
  const limit = c.req.query('limit')?.trim();
  if (limit !== undefined && limit !== '') {
    const n = /^\d{1,7}$/.test(limit) ? Number(limit) : Number.NaN;
    if (!(n >= 1 && n <= MAX_LIST_LIMIT)) throw new BadRequest(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
    filter.limit = n;
  }
  return filter;
}

const noStore = { 'cache-control': 'no-store' };

/** Undefined when the request carries the service-role key; otherwise the refusal to send. */
async function requireServiceRole(c: Context, secret: string): Promise<Response | undefined> {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const apikey = c.req.header('apikey')?.trim();
  const tokens = [bearer, apikey].filter((t): t is string => Boolean(t));
  if (tokens.length === 0) {
    return c.json({ message: 'This needs the service-role key: send it as "Authorization: Bearer <key>" or "apikey: <key>".' }, 401, {
      'www-authenticate': 'Bearer',
    });
  }
  let validButNotService = false;
  for (const token of tokens) {
    try {
      const claims = await verifyJwt(token, secret);
      if (claims.role === 'service_role') return undefined;
      validButNotService = true;
    } catch {
      // try the other header
    }
  }
  if (validButNotService) return c.json({ message: 'Only the service-role key may change the mailbox or send mail.' }, 403);
  return c.json({ message: 'Invalid key: expected the project\'s service-role key.' }, 401, { 'www-authenticate': 'Bearer error="invalid_token"' });
}

export function mailRoutes(options: MailRoutesOptions): Hono {
  const { mailbox, smtp, jwtSecret } = options;
  const app = new Hono();

  const mailboxOff = (c: Context) =>
    c.json({ message: `The local mailbox is off: SMTP_HOST is set, so mail is sent through ${smtp ?? 'SMTP'} and not kept.` }, 404, noStore);

  const page = async (c: Context) => {
    const to = c.req.query('to')?.trim().slice(0, MAIL_LIMITS.address) || undefined;
    const kind = c.req.query('kind')?.trim().slice(0, MAIL_LIMITS.kind) || undefined;
    const filter = { ...(to ? { to } : {}), ...(kind ? { kind } : {}) };
    const messages = mailbox ? await mailbox.list({ ...filter, limit: PAGE_LIMIT }) : [];
    const total = mailbox ? await mailbox.count() : 0;
    const html = renderMailboxPage({ messages, total, filter, shownLimit: PAGE_LIMIT, ...(smtp ? { smtp } : {}) });
    return c.html(html, 200, {
      ...noStore,
      // No scripts at all; the sandboxed frames of HTML versions inherit this policy.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  };
  app.get('/mail', page);
  app.get('/mail/', page);

  app.get('/mail/v1/messages', async (c) => {
    if (!mailbox) return mailboxOff(c);
    let filter: MailFilter;
    try {
      filter = listFilter(c);
    } catch (error) {
      if (error instanceof BadRequest) return c.json({ message: error.message }, 400);
      throw error;
    }
    return c.json(await mailbox.list(filter), 200, noStore);
  });

  app.get('/mail/v1/messages/:id', async (c) => {
    if (!mailbox) return mailboxOff(c);
    const mail = await mailbox.get(c.req.param('id'));
    return mail ? c.json(mail, 200, noStore) : c.json({ message: 'No message with that id' }, 404);
  });

  app.delete('/mail/v1/messages', async (c) => {
    const refused = await requireServiceRole(c, jwtSecret);
    if (refused) return refused;
    if (!mailbox) return mailboxOff(c);
    return c.json({ deleted: await mailbox.clear() });
  });

  app.delete('/mail/v1/messages/:id', async (c) => {
    const refused = await requireServiceRole(c, jwtSecret);
    if (refused) return refused;
    if (!mailbox) return mailboxOff(c);
    return (await mailbox.remove(c.req.param('id')))
      ? c.json({ deleted: 1 })
      : c.json({ message: 'No message with that id' }, 404);
  });

  app.post(
    '/mail/v1/send',
    bodyLimit({ maxSize: 2 * 1024 * 1024, onError: (c) => c.json({ message: 'The message is too large' }, 413) }),
    async (c) => {
      const refused = await requireServiceRole(c, jwtSecret);
      if (refused) return refused;
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ message: 'The body must be a JSON mail message: {"to", "subject", "text", "html"?, "kind"}' }, 400);
      }
      try {
        const delivery = await options.deliver(body as MailMessage);
        return c.json(delivery, 201);
      } catch (error) {
        if (error instanceof MailValidationError) return c.json({ message: error.message, field: error.field }, 400);
        // Already logged by the mailer with recipient and kind.
        return c.json({ message: 'The message could not be sent; see the stack log.' }, 502);
      }
    },
  );

  return app;
}
