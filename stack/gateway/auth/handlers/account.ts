// Flows that create accounts or send links: POST /signup, /otp, /magiclink,
// /recover, /resend and (admin) /invite.
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { TransactionSql } from 'postgres';
import { badRequest, unprocessable } from '../errors.ts';
import {
  bool,
  clientInfo,
  limitByIp,
  obj,
  readBody,
  redirectTarget,
  requestAud,
  requireAdmin,
  str,
  validateEmail,
  type AuthService,
} from '../http.ts';
import { checkPasswordStrength } from '../password.ts';
import { createFlowState, flowOf, validatePkceParams, type FlowType, type PkceParams } from '../pkce.ts';
import { issueSession, type ClientInfo, type TokenResponse } from '../sessions.ts';
import {
  apiUser,
  confirmEmail,
  DEFAULT_AUD,
  emailIdentityData,
  findUserByEmail,
  findUserById,
  hashPassword,
  insertIdentity,
  insertUser,
  randomPassword,
  reloadUser,
  setUserMetadata,
  type Json,
  type UserRow,
} from '../users.ts';

interface Registration {
  email: string;
  /** bcrypt hash of the chosen (or generated) password. */
  passwordHash: string;
  data: Json;
  aud: string;
  flow: FlowType;
  pkce: PkceParams;
  redirectTo: string;
  client: ClientInfo;
  /** With auto-confirm: sign the new user in (sign-up) or only confirm them (magic link). */
  signIn: boolean;
}

type RegistrationOutcome =
  | { kind: 'session'; session: TokenResponse }
  | { kind: 'confirmed'; user: UserRow }
  | { kind: 'pending'; user: UserRow }
  | { kind: 'exists'; user: UserRow };

/**
 * GoTrue's sign-up core: a new user with an email identity (its user_metadata takes
 * the identity data: sub, email, email_verified, phone_verified plus `data`), then
 * either auto-confirmation and a session or a confirmation email. A confirmed
 * address is reported as existing; an unconfirmed one gets its confirmation again.
 */
async function register(tx: TransactionSql, service: AuthService, params: Registration): Promise<RegistrationOutcome> {
  const { settings, mail } = service;
  let user = await findUserByEmail(tx, params.email, params.aud, true);
  if (user?.email_confirmed_at) return { kind: 'exists', user };
  if (user && !settings.enableConfirmations) {
    // Auto-confirm is on, so an unconfirmed row was made by an invitation or an admin:
    // signing up must not take it over without its password.
    return { kind: 'exists', user };
  }
  if (!user) {
    user = await insertUser(tx, {
      email: params.email,
      encryptedPassword: params.passwordHash,
      aud: params.aud,
      role: 'authenticated',
      userMetadata: params.data,
      appMetadata: { provider: 'email', providers: ['email'] },
    });
    const identityData = emailIdentityData(user.id, params.email, false, params.data);
    await insertIdentity(tx, user.id, 'email', user.id, identityData);
    await setUserMetadata(tx, user, identityData);
  }
  if (!settings.enableConfirmations) {
    await confirmEmail(tx, user);
    if (!params.signIn) return { kind: 'confirmed', user: await reloadUser(tx, user.id) };
    return { kind: 'session', session: await issueSession(tx, settings, user.id, 'password', params.client) };
  }
  if (params.flow === 'pkce') await createFlowState(tx, user.id, 'email/signup', params.pkce);
  await mail.sendConfirmation(tx, await reloadUser(tx, user.id), { flow: params.flow, redirectTo: params.redirectTo });
  return { kind: 'pending', user: await reloadUser(tx, user.id) };
}

/** What GoTrue answers for an already-registered address when confirmations are on: a plausible but fake user. */
function obfuscatedUser(email: string, aud: string, data: Json): Json {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud,
    role: '',
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

function pkceParams(body: Json): PkceParams {
  const params = { codeChallenge: str(body, 'code_challenge'), codeChallengeMethod: str(body, 'code_challenge_method') };
  validatePkceParams(params);
  return params;
}

export async function signupHandler(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin } = service;
  if (!settings.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  const body = await readBody(c);
  const emailRaw = str(body, 'email');
  const phone = str(body, 'phone');
  if (emailRaw === '' && phone === '') {
    // Anonymous sign-in; `enable_anonymous_sign_ins` is off for this project and not implemented locally.
    throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  }
  limitByIp(c, service, service.limits.signup);
  const password = str(body, 'password');
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(settings, password);
  if (emailRaw !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  }
  const pkce = pkceParams(body);
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
  if (!settings.emailProviderEnabled) throw badRequest('email_provider_disabled', 'Email signups are disabled');
  const email = validateEmail(emailRaw);
  const data = obj(body, 'data') ?? {};
  const aud = requestAud(c);

  const passwordHash = await hashPassword(admin, password, settings.bcryptCost);
  const outcome = await admin.begin((tx) =>
    register(tx, service, {
      email,
      passwordHash,
      data,
      aud,
      flow: flowOf(pkce),
      pkce,
      redirectTo: redirectTarget(c, service),
      client: clientInfo(c, service),
      signIn: true,
    }),
  );
  switch (outcome.kind) {
    case 'session':
      return c.json(outcome.session);
    case 'confirmed': // only without signIn
      return c.json(await apiUser(admin, outcome.user));
    case 'exists':
      if (!settings.enableConfirmations) throw unprocessable('user_already_exists', 'User already registered');
      return c.json(obfuscatedUser(email, aud, data));
    case 'pending': {
      const user = await apiUser(admin, outcome.user);
      if (outcome.user.invited_at) {
        user.user_metadata = {};
        user.identities = [];
      }
      return c.json(user);
    }
  }
}

/** POST /otp: a magic link by email (phone OTPs need SMS, which this project has off). */
export async function otpHandler(c: Context, service: AuthService): Promise<Response> {
  const body = await readBody(c);
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  if (email !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided');
  if (email !== '' && str(body, 'channel') !== '') throw badRequest('validation_failed', 'Channel should only be specified with Phone OTP');
  pkceParams(body);
  limitByIp(c, service, service.limits.otp);
  if (!bool(body, 'create_user', true) && (email !== '' || phone !== '')) {
    const exists = email !== '' ? await findUserByEmail(service.admin, validateEmail(email), requestAud(c)) : undefined;
    if (!exists) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
  }
  if (email !== '') return magicLink(c, service, body, false);
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Unsupported phone provider');
  throw badRequest('validation_failed', 'One of email or phone must be set');
}

export async function magicLinkHandler(c: Context, service: AuthService): Promise<Response> {
  return magicLink(c, service, await readBody(c), true);
}

/** GoTrue's MagicLink; `limit` = apply the /magiclink bucket (POST /otp has its own). */
async function magicLink(c: Context, service: AuthService, body: Json, limit: boolean): Promise<Response> {
  const { settings, admin, mail } = service;
  if (limit) limitByIp(c, service, service.limits.magicLink);
  if (!settings.emailProviderEnabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
  const rawEmail = str(body, 'email');
  if (rawEmail === '') throw unprocessable('validation_failed', 'Password recovery requires an email');
  const email = validateEmail(rawEmail);
  const pkce = pkceParams(body);
  const flow = flowOf(pkce);
  const data = obj(body, 'data') ?? {};
  const aud = requestAud(c);
  const redirectTo = redirectTarget(c, service);

  const existing = await findUserByEmail(admin, email, aud);
  if (!existing || !existing.email_confirmed_at) {
    // Not (yet) a confirmed user: sign them up with a random password. With confirmations
    // on, the confirmation email is their magic link.
    if (!settings.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
    const passwordHash = await hashPassword(admin, randomPassword(settings.passwordRequiredCharacters), settings.bcryptCost);
    await admin.begin(async (tx) => {
      const client = clientInfo(c, service);
      const outcome = await register(tx, service, { email, passwordHash, data, aud, flow, pkce, redirectTo, client, signIn: false });
      // Auto-confirm: a new user is confirmed at once; an unconfirmed existing one (invited or
      // made by an admin) proves the address by following the link. Either way: a magic link.
      const target = outcome.kind === 'confirmed' || (outcome.kind === 'exists' && !outcome.user.email_confirmed_at) ? outcome.user : undefined;
      if (target) {
        if (flow === 'pkce') await createFlowState(tx, target.id, 'magiclink', pkce);
        await mail.sendMagicLink(tx, target, { flow, redirectTo });
      }
    });
    return c.json({});
  }
  await admin.begin(async (tx) => {
    const user = (await findUserById(tx, existing.id, true))!;
    if (flow === 'pkce') await createFlowState(tx, user.id, 'magiclink', pkce);
    await mail.sendMagicLink(tx, user, { flow, redirectTo });
  });
  return c.json({});
}

export async function recoverHandler(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin, mail } = service;
  limitByIp(c, service, service.limits.recover);
  if (!settings.emailProviderEnabled) throw badRequest('email_provider_disabled', 'Email logins are disabled');
  const body = await readBody(c);
  const rawEmail = str(body, 'email');
  if (rawEmail === '') throw badRequest('validation_failed', 'Password recovery requires an email');
  const email = validateEmail(rawEmail);
  const pkce = pkceParams(body);
  const flow = flowOf(pkce);
  const existing = await findUserByEmail(admin, email, requestAud(c));
  // Unknown addresses get the same answer: no account enumeration.
  if (!existing) return c.json({});
  const redirectTo = redirectTarget(c, service);
  await admin.begin(async (tx) => {
    const user = (await findUserById(tx, existing.id, true))!;
    if (flow === 'pkce') await createFlowState(tx, user.id, 'recovery', pkce);
    await mail.sendRecovery(tx, user, { flow, redirectTo });
  });
  return c.json({});
}

export async function resendHandler(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin, mail } = service;
  limitByIp(c, service, service.limits.resend);
  const body = await readBody(c);
  const type = str(body, 'type');
  const rawEmail = str(body, 'email');
  const phone = str(body, 'phone');
  if (!['signup', 'email_change', 'sms', 'phone_change'].includes(type)) {
    throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change');
  }
  const pkce = type === 'signup' || type === 'email_change' ? pkceParams(body) : { codeChallenge: '', codeChallengeMethod: '' };
  if (rawEmail === '' && type === 'signup') throw badRequest('validation_failed', 'Type provided requires an email address');
  if (phone === '' && type === 'sms') throw badRequest('validation_failed', 'Type provided requires a phone number');
  if (rawEmail !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided.');
  if (rawEmail === '' && phone === '') throw badRequest('validation_failed', 'Missing email address or phone number');
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
  if (!settings.emailProviderEnabled) throw badRequest('email_provider_disabled', 'Email logins are disabled');
  const email = validateEmail(rawEmail);
  const existing = await findUserByEmail(admin, email, requestAud(c));
  if (!existing) return c.json({});
  if (type === 'signup' && existing.email_confirmed_at) return c.json({});
  if (type === 'email_change' && !existing.email_change) return c.json({});
  const flow = flowOf(pkce);
  const redirectTo = redirectTarget(c, service);
  await admin.begin(async (tx) => {
    const user = (await findUserById(tx, existing.id, true))!;
    if (type === 'signup') {
      if (flow === 'pkce') await createFlowState(tx, user.id, 'email/signup', pkce);
      await mail.sendConfirmation(tx, user, { flow, redirectTo });
    } else {
      if (flow === 'pkce') await createFlowState(tx, user.id, 'email_change', pkce);
      await mail.sendEmailChange(tx, user, user.email_change!, { flow, redirectTo });
    }
  });
  return c.json({});
}

/** POST /invite (admin): create the user if needed (no password) and send the invitation. */
export async function inviteHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin, mail } = service;
  await requireAdmin(c, service);
  const body = await readBody(c);
  const email = validateEmail(str(body, 'email'));
  const data = obj(body, 'data') ?? {};
  const aud = requestAud(c) || DEFAULT_AUD;
  const redirectTo = redirectTarget(c, service);
  const user = await admin.begin(async (tx) => {
    let user = await findUserByEmail(tx, email, aud, true);
    if (user?.email_confirmed_at) throw unprocessable('email_exists', 'A user with this email address has already been registered');
    if (!user) {
      user = await insertUser(tx, {
        email,
        encryptedPassword: null,
        aud,
        role: 'authenticated',
        userMetadata: data,
        appMetadata: { provider: 'email', providers: ['email'] },
      });
      await insertIdentity(tx, user.id, 'email', user.id, emailIdentityData(user.id, email, false));
    }
    await mail.sendInvite(tx, user, redirectTo);
    return apiUser(tx, await reloadUser(tx, user.id));
  });
  return c.json(user);
}
