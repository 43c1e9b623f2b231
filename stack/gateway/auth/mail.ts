// Emails the auth service sends (sign-up confirmation, invitation, recovery, magic
// link, email change, reauthentication code) and the one-time tokens behind them.
//
// As GoTrue: a random numeric code (`otp_length` digits) is generated; the link
// carries hex SHA-224(email + code) — `pkce_`-prefixed in the PKCE flow — which is
// stored on the user row and in auth.one_time_tokens; the email shows both the link
// `<external url>/verify?token=<hash>&type=<type>&redirect_to=<url>` and the code.
// Every message leaves through `context.mailer.send` with `kind` = the type.
import type { TransactionSql } from 'postgres';
import type { Mailer } from '../../mail/types.ts';
import { AuthError, tooManyRequests } from './errors.ts';
import { PKCE_PREFIX, type FlowType } from './pkce.ts';
import { randomOtp, tokenHash } from './secrets.ts';
import type { AuthSettings } from './settings.ts';
import type { UserRow } from './users.ts';

export type LinkType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change';
type OneTimeTokenType = 'confirmation_token' | 'recovery_token' | 'email_change_token_current' | 'email_change_token_new' | 'reauthentication_token';

/** "14 days", "1 hour", "90 seconds". */
export function describeSeconds(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds >= 86400 && seconds % 86400 === 0) return unit(seconds / 86400, 'day');
  if (seconds >= 3600 && seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds >= 60 && seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Template {
  subject: string;
  heading: string;
  intro: string;
  action: string;
  footer: string;
}

export interface SendOptions {
  flow: FlowType;
  /** Already validated redirect (or the site URL). */
  redirectTo: string;
}

export class AuthMail {
  constructor(
    private readonly settings: AuthSettings,
    private readonly mailer: Mailer,
  ) {}

  /** The verify link for a token hash, as GoTrue's mailer builds it. */
  link(hash: string, type: LinkType, redirectTo: string): string {
    let url = `${this.settings.externalUrl}/verify?token=${encodeURIComponent(hash)}&type=${type}&redirect_to=${encodeURIComponent(redirectTo)}`;
    return url;
  }

  /** 429 `over_email_send_rate_limit` when the last email of this kind went out less than `max_frequency` ago. */
  private checkFrequency(sentAt: Date | null): void {
    if (!sentAt) return;
    const readyAt = sentAt.getTime() + this.settings.emailMaxFrequency * 1000;
    const now = Date.now();
    if (readyAt > now) {
      const seconds = Math.floor((readyAt - now) / 1000);
      throw tooManyRequests('over_email_send_rate_limit', `For security purposes, you can only request this after ${seconds} seconds.`);
    }
  }

  private async storeToken(tx: TransactionSql, userId: string, type: OneTimeTokenType, hash: string, relatesTo: string): Promise<void> {
    await tx`
      insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
      values (gen_random_uuid(), ${userId}, ${type}::auth.one_time_token_type, ${hash}, ${relatesTo}, now(), now())
      on conflict (user_id, token_type)
      do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`;
  }

  private async send(to: string, kind: string, template: Template, link: string | undefined, otp: string, failure: string): Promise<void> {
    const lines = [template.heading, '', template.intro, ''];
    if (link) lines.push(`${template.action}:`, link, '', `Or enter this code: ${otp}`);
    else lines.push(`Your code: ${otp}`);
    lines.push('', template.footer);
    const html = [
      `<h2>${escapeHtml(template.heading)}</h2>`,
      `<p>${escapeHtml(template.intro)}</p>`,
      link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(template.action)}</a></p><p>Or enter this code: ${otp}</p>` : `<p>${otp}</p>`,
      `<p>${escapeHtml(template.footer)}</p>`,
    ].join('\n');
    try {
      await this.mailer.send({ to, subject: template.subject, text: lines.join('\n'), html, kind });
    } catch (error) {
      if (error instanceof AuthError) throw error;
      console.error(`[auth] sending ${kind} email failed`, error);
      throw new AuthError(500, 'unexpected_failure', failure);
    }
  }

  private newCode(email: string, flow: FlowType): { otp: string; hash: string } {
    const otp = randomOtp(this.settings.otpLength);
    const hash = tokenHash(email, otp);
    return { otp, hash: flow === 'pkce' ? PKCE_PREFIX + hash : hash };
  }

  /** Sign-up confirmation (also what a magic-link request for a new user receives). */
  async sendConfirmation(tx: TransactionSql, user: UserRow, options: SendOptions): Promise<void> {
    this.checkFrequency(user.confirmation_sent_at);
    const email = user.email!;
    const { otp, hash } = this.newCode(email, options.flow);
    await tx`update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now(), updated_at = now() where id = ${user.id}`;
    await this.storeToken(tx, user.id, 'confirmation_token', hash, email);
    await this.send(
      email,
      'signup',
      {
        subject: 'Confirm your email address',
        heading: 'Confirm your email address',
        intro: `Confirm ${email} to finish signing up to the commissioning portal.`,
        action: 'Confirm your email address',
        footer: `The link expires in ${describeSeconds(this.settings.signupLinkExpiry)}. If you did not sign up, you can ignore this email.`,
      },
      this.link(hash, 'signup', options.redirectTo),
      otp,
      'Error sending confirmation email',
    );
  }

  /**
   * The invitation. Like the project's hosted template (supabase/templates/invite.html,
   * docs/mail.md), it names who invited the person, the organisation and the roles from
   * the user's metadata (`{{ .Data.invited_by }}`, `{{ .Data.organisation }}`,
   * `{{ .Data.roles }}`), which send-invitation stores before asking for the invite;
   * without them it says what it can.
   */
  async sendInvite(tx: TransactionSql, user: UserRow, redirectTo: string): Promise<void> {
    const email = user.email!;
    const meta = (user.raw_user_meta_data ?? {}) as Record<string, unknown>;
    const field = (key: string) => (typeof meta[key] === 'string' && (meta[key] as string).trim() ? (meta[key] as string).trim() : undefined);
    const invitedBy = field('invited_by');
    const organisation = field('organisation');
    const roles = field('roles');
    const intro = [
      `${invitedBy ?? 'Someone'} has invited you to the commissioning portal${organisation ? ` for ${organisation}` : ''}${roles ? ` as ${roles}` : ''}.`,
      `Accept the invitation to create your account with ${email}.`,
    ].join(' ');
    const { otp, hash } = this.newCode(email, 'implicit');
    await tx`
      update auth.users set confirmation_token = ${hash}, confirmation_sent_at = now(), invited_at = now(), updated_at = now()
      where id = ${user.id}`;
    await this.storeToken(tx, user.id, 'confirmation_token', hash, email);
    await this.send(
      email,
      'invite',
      {
        subject: organisation ? `You have been invited to the commissioning portal for ${organisation}` : 'You have been invited to the commissioning portal',
        heading: 'You have been invited',
        intro,
        action: 'Accept the invitation',
        footer: `The invitation expires in ${describeSeconds(this.settings.inviteLinkExpiry)}.`,
      },
      this.link(hash, 'invite', redirectTo),
      otp,
      'Error sending invite email',
    );
  }

  /** Recovery and magic links share one token (and one frequency timer), as in GoTrue. */
  private async newRecoveryCode(tx: TransactionSql, user: UserRow, options: SendOptions): Promise<{ otp: string; hash: string }> {
    const email = user.email!;
    const code = this.newCode(email, options.flow);
    await tx`update auth.users set recovery_token = ${code.hash}, recovery_sent_at = now(), updated_at = now() where id = ${user.id}`;
    await this.storeToken(tx, user.id, 'recovery_token', code.hash, email);
    return code;
  }

  async sendRecovery(tx: TransactionSql, user: UserRow, options: SendOptions): Promise<void> {
    this.checkFrequency(user.recovery_sent_at);
    const email = user.email!;
    const { otp, hash } = await this.newRecoveryCode(tx, user, options);
    await this.send(
      email,
      'recovery',
      {
        subject: 'Reset your password',
        heading: 'Reset your password',
        intro: 'We received a request to reset the password of your commissioning portal account.',
        action: 'Choose a new password',
        footer: `The link expires in ${describeSeconds(this.settings.otpExpiry)}. If you did not ask for this, you can ignore this email.`,
      },
      this.link(hash, 'recovery', options.redirectTo),
      otp,
      'Error sending recovery email',
    );
  }

  async sendMagicLink(tx: TransactionSql, user: UserRow, options: SendOptions): Promise<void> {
    // A magic link is a recovery with another template; it shares the recovery timer.
    this.checkFrequency(user.recovery_sent_at);
    const email = user.email!;
    const { otp, hash } = await this.newRecoveryCode(tx, user, options);
    await this.send(
      email,
      'magiclink',
      {
        subject: 'Your sign-in link',
        heading: 'Your sign-in link',
        intro: 'Follow the link below to sign in to the commissioning portal. It can be used once.',
        action: 'Sign in',
        footer: `The link expires in ${describeSeconds(this.settings.otpExpiry)}.`,
      },
      this.link(hash, 'magiclink', options.redirectTo),
      otp,
      'Error sending magic link email',
    );
  }

  /**
   * Email change: a link to the new address and, when `double_confirm_changes` is on
   * and the user has an address, one to the current address; both must be followed.
   */
  async sendEmailChange(tx: TransactionSql, user: UserRow, newEmail: string, options: SendOptions): Promise<void> {
    this.checkFrequency(user.email_change_sent_at);
    const fresh = this.newCode(newEmail, options.flow);
    const current = this.settings.doubleConfirmChanges && user.email ? this.newCode(user.email, options.flow) : undefined;
    await tx`
      update auth.users
      set email_change = ${newEmail}, email_change_token_new = ${fresh.hash}, email_change_token_current = ${current?.hash ?? ''},
          email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
      where id = ${user.id}`;
    await tx`delete from auth.one_time_tokens where user_id = ${user.id} and token_type in ('email_change_token_current', 'email_change_token_new')`;
    await this.storeToken(tx, user.id, 'email_change_token_new', fresh.hash, newEmail);
    if (current) await this.storeToken(tx, user.id, 'email_change_token_current', current.hash, user.email!);
    const footer = `The link expires in ${describeSeconds(this.settings.otpExpiry)}. If you did not ask for this change, contact your administrator.`;
    await this.send(
      newEmail,
      'email_change',
      {
        subject: 'Confirm your new email address',
        heading: 'Confirm your new email address',
        intro: `Confirm ${newEmail} as the new email address of your commissioning portal account.`,
        action: 'Confirm the new address',
        footer,
      },
      this.link(fresh.hash, 'email_change', options.redirectTo),
      fresh.otp,
      'Error sending email change email',
    );
    if (current) {
      await this.send(
        user.email!,
        'email_change',
        {
          subject: 'Confirm the change of your email address',
          heading: 'Confirm the change of your email address',
          intro: `Confirm that your commissioning portal account should use ${newEmail} instead of ${user.email}.`,
          action: 'Confirm the change',
          footer,
        },
        this.link(current.hash, 'email_change', options.redirectTo),
        current.otp,
        'Error sending email change email',
      );
    }
  }

  /** A code (no link) the user types to prove it is them before a sensitive change. */
  async sendReauthentication(tx: TransactionSql, user: UserRow): Promise<void> {
    this.checkFrequency(user.reauthentication_sent_at);
    const email = user.email!;
    const { otp, hash } = this.newCode(email, 'implicit');
    await tx`update auth.users set reauthentication_token = ${hash}, reauthentication_sent_at = now(), updated_at = now() where id = ${user.id}`;
    await this.storeToken(tx, user.id, 'reauthentication_token', hash, email);
    await this.send(
      email,
      'reauthentication',
      {
        subject: `${otp} is your verification code`,
        heading: 'Your verification code',
        intro: 'Enter this code in the commissioning portal to confirm it is you.',
        action: '',
        footer: `The code expires in ${describeSeconds(this.settings.otpExpiry)}.`,
      },
      undefined,
      otp,
      'Error sending reauthentication email',
    );
  }
}
