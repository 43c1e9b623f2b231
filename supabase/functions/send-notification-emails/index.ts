// send-notification-emails: emails what the action functions queued in the
// notifications outbox (public.notifications rows with `emailed_at` null) and
// stamps `emailed_at` on each row once its email has gone. Called on a timer:
// every 3 s by the local stack (`startStack({ notificationEmails: true })`),
// by Supabase Cron on hosted (docs/deploy.md).
//
//   POST /functions/v1/send-notification-emails      (service-role key only)
//   optional body {"portal_url": "https://portal.example"}
//
// 200 {"sent": n, "failed": m}   n rows emailed and stamped; m rows whose email failed (left for the next run)
// 403 forbidden                  not called with the project's service-role key
// 400 invalid_request            body is not a JSON object, or portal_url is not an http(s) address
// 500 not_configured             no portal address (PORTAL_URL) or bad mail settings (MAIL_API_*)
// 502 lookup_failed              the outbox could not be read
//
// Each run takes the oldest 100 unsent rows. Invitations younger than 5
// minutes are left alone: the portal sends those itself right away through
// send-invitation, with the page the link should open. An older invitation of
// a person whose account is still `invited` goes out through Auth's invite
// (the link that sets the password, opening `<portal>/accept-invitation`);
// every other row is emailed as it is: subject, body and the absolute link
// `<portal><link>`, with the notification kind as the mail kind.
//
// Notification preferences are the database's: a row whose recipient wants its
// kind in the portal only is stamped email_skipped_at (when it is queued, or when
// the person makes that choice later), so it is never read here; it stays in the
// portal's messages.
//
// The portal address: `portal_url` in the body (the local stack passes the
// portal it serves), else the PORTAL_URL secret. Mail settings: _shared/mail.ts.
import type { SupabaseClient } from '@supabase/supabase-js';
import { json, preflight } from '../_shared/cors.ts';
import { BadRequest, errorResponse, httpUrl, readJsonObject, refuseUnlessScheduler } from '../_shared/http.ts';
import { sendAuthInvitation } from '../_shared/invitation.ts';
import { escapeHtml, mailTransportFromEnv, type MailTransport, type OutgoingMail } from '../_shared/mail.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

const BATCH_SIZE = 100;
/** How long the portal has to send an invitation itself (send-invitation) before this function does. */
const INVITATION_GRACE_MS = 5 * 60_000;
/** Emails sent at the same time (a remote mail API answers in a few hundred ms). */
const CONCURRENCY = 4;

interface Recipient {
  email: string | null;
  full_name: string | null;
  status: string;
}

interface QueuedNotification {
  id: string;
  recipient_id: string;
  kind: string;
  subject: string;
  body: string;
  link: string | null;
  created_at: string;
  recipient: Recipient | null;
}

/** One email and the outbox rows it covers. */
interface Job {
  ids: string[];
  kind: string;
  recipientId: string;
  send(): Promise<void>;
}

function portalUrlFrom(body: Record<string, unknown>): string | null | undefined {
  const given = body.portal_url ?? Deno.env.get('PORTAL_URL');
  if (given === undefined || given === '') return undefined;
  const url = httpUrl(given);
  return url ? url.href.replace(/\/+$/, '') : null;
}

async function queuedNotifications(admin: SupabaseClient): Promise<{ rows: QueuedNotification[]; error: unknown }> {
  const invitationsOlderThan = new Date(Date.now() - INVITATION_GRACE_MS).toISOString();
  const { data, error } = await admin
    .from('notifications')
    .select('id, recipient_id, kind, subject, body, link, created_at, recipient:profiles!inner(email, full_name, status)')
    .is('emailed_at', null)
    .is('email_skipped_at', null)
    .or(`kind.neq.invitation,created_at.lt.${invitationsOlderThan}`)
    .order('created_at', { ascending: true })
    .order('id', { ascending: true })
    .limit(BATCH_SIZE);
  return { rows: (data ?? []) as unknown as QueuedNotification[], error };
}

/** The notification as an email: greeting, body, absolute link. */
function notificationEmail(row: QueuedNotification, to: string, portalUrl: string): OutgoingMail {
  const name = row.recipient?.full_name;
  const url = row.link ? `${portalUrl}${row.link}` : null;
  const greeting = name ? `Hello ${name},` : 'Hello,';
  const footer = 'NHS Commissioning Portal. This message is also in your messages in the portal.';
  const text = [greeting, '', row.body, '', ...(url ? [`Open it in the portal: ${url}`, ''] : []), '--', footer].join('\n');
  const paragraphs = row.body
    .split(/\n{2,}/)
    .map((part) => `<p>${escapeHtml(part).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    paragraphs,
    ...(url ? [`<p><a href="${escapeHtml(url)}">Open it in the portal</a></p>`] : []),
    `<p style="color:#505a5f;font-size:14px">${escapeHtml(footer)}</p>`,
  ].join('\n');
  return { to, subject: row.subject, text, html, kind: row.kind };
}

function jobsFor(rows: QueuedNotification[], admin: SupabaseClient, transport: MailTransport, portalUrl: string): Job[] {
  const jobs: Job[] = [];
  // One Auth invitation per person, however many invitations are queued for them.
  const invitations = new Map<string, Job>();
  for (const row of rows) {
    const email = row.recipient?.email;
    if (!email) {
      // A soft-deleted account keeps no address: nothing can be sent (counted as failed, logged).
      jobs.push({
        ids: [row.id],
        kind: row.kind,
        recipientId: row.recipient_id,
        send: () => Promise.reject(new Error('the recipient has no email address')),
      });
      continue;
    }
    if (row.kind === 'invitation' && row.recipient?.status === 'invited') {
      const existing = invitations.get(row.recipient_id);
      if (existing) {
        existing.ids.push(row.id);
        continue;
      }
      const fullName = row.recipient.full_name;
      const job: Job = {
        ids: [row.id],
        kind: 'invite',
        recipientId: row.recipient_id,
        async send() {
          const error = await sendAuthInvitation(admin, { id: row.recipient_id, email, full_name: fullName }, `${portalUrl}/accept-invitation`);
          if (error) throw new Error(`Auth could not send the invitation: ${error.message}`);
        },
      };
      invitations.set(row.recipient_id, job);
      jobs.push(job);
      continue;
    }
    jobs.push({
      ids: [row.id],
      kind: row.kind,
      recipientId: row.recipient_id,
      send: () => transport.send(notificationEmail(row, email, portalUrl)),
    });
  }
  return jobs;
}

/** Send one job's email, then stamp its rows; false when the email did not go out or the rows stay unstamped. */
async function run(job: Job, admin: SupabaseClient): Promise<boolean> {
  try {
    await job.send();
  } catch (error) {
    console.error(
      `send-notification-emails: NOT SENT kind=${job.kind} notification=${job.ids.join(',')} recipient=${job.recipientId}:`,
      error instanceof Error ? error.message : String(error),
    );
    return false;
  }
  // Only rows still unsent: a concurrent run (or send-invitation) may have stamped them.
  const { error } = await admin
    .from('notifications')
    .update({ emailed_at: new Date().toISOString() })
    .in('id', job.ids)
    .is('emailed_at', null);
  if (error) {
    console.error(`send-notification-emails: sent, but notification ${job.ids.join(',')} could not be marked emailed (it will be sent again):`, error);
    return false;
  }
  return true;
}

async function runAll(jobs: Job[], admin: SupabaseClient): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (await run(job, admin)) sent += job.ids.length;
      else failed += job.ids.length;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
  return { sent, failed };
}

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  const refused = refuseUnlessScheduler(req, 'send notification emails');
  if (refused) return refused;

  let body: Record<string, unknown>;
  try {
    body = await readJsonObject(req);
  } catch (error) {
    if (error instanceof BadRequest) return errorResponse(400, 'invalid_request', error.message);
    throw error;
  }
  const portalUrl = portalUrlFrom(body);
  if (portalUrl === null) return errorResponse(400, 'invalid_request', 'portal_url must be an absolute http(s) address.');
  if (portalUrl === undefined) {
    return errorResponse(500, 'not_configured', 'Set the PORTAL_URL secret (the portal\'s address, for links in emails).');
  }
  let transport: MailTransport;
  try {
    transport = mailTransportFromEnv();
  } catch (error) {
    return errorResponse(500, 'not_configured', (error as Error).message);
  }

  const admin = serviceRoleClient();
  const { rows, error } = await queuedNotifications(admin);
  if (error) {
    console.error('send-notification-emails: could not read the outbox', error);
    return errorResponse(502, 'lookup_failed', 'The notifications outbox could not be read.');
  }
  return json(await runAll(jobsFor(rows, admin, transport, portalUrl), admin));
});
