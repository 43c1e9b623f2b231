// GET /user, PUT /user and GET /reauthenticate: the signed-in user's own account.
import type { Context } from 'hono';
import { badRequest, forbidden, unprocessable } from '../errors.ts';
import {
  authenticate,
  limitByIp,
  obj,
  optionalStr,
  readBody,
  redirectTarget,
  requestAud,
  str,
  validateEmail,
  type AuthService,
} from '../http.ts';
import { checkPasswordStrength } from '../password.ts';
import { createFlowState, flowOf, validatePkceParams } from '../pkce.ts';
import { sameSecret, tokenHash } from '../secrets.ts';
import {
  apiUser,
  findUserByEmail,
  findUserById,
  hashPassword,
  hasPassword,
  passwordMatches,
  reloadUser,
  setAppMetadata,
  setUserMetadata,
  updatePassword,
} from '../users.ts';

const DAY_MS = 24 * 3600 * 1000;

export async function getUserHandler(c: Context, service: AuthService): Promise<Response> {
  const { claims, user } = await authenticate(c, service);
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (!aud || aud !== requestAud(c)) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience");
  }
  return c.json(await apiUser(service.admin, user));
}

export async function updateUserHandler(c: Context, service: AuthService): Promise<Response> {
  const { settings, admin, mail } = service;
  const body = await readBody(c);
  const { user, session } = await authenticate(c, service);
  limitByIp(c, service, service.limits.userUpdate);

  let email = str(body, 'email');
  const password = optionalStr(body, 'password');
  const nonce = str(body, 'nonce');
  const data = obj(body, 'data');
  const appData = obj(body, 'app_metadata');
  const phone = str(body, 'phone');
  const pkce = { codeChallenge: str(body, 'code_challenge'), codeChallengeMethod: str(body, 'code_challenge_method') };

  if (email !== '') email = validateEmail(email);
  if (password !== undefined) checkPasswordStrength(settings, password);
  if (appData) throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  if (phone !== '' && phone !== (user.phone ?? '')) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  validatePkceParams(pkce);

  const changingEmail = email !== '' && email !== (user.email ?? '');
  if (changingEmail) {
    const other = await findUserByEmail(admin, email, requestAud(c));
    if (other && other.id !== user.id) throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }

  let newHash: string | undefined;
  if (password !== undefined) {
    if (settings.securePasswordChange) {
      const recent = session?.created_at && Date.now() < session.created_at.getTime() + DAY_MS;
      if (!recent) {
        if (nonce === '') throw badRequest('reauthentication_needed', 'Password update requires reauthentication');
        const valid =
          !!user.email &&
          !!user.reauthentication_token &&
          !!user.reauthentication_sent_at &&
          Date.now() <= user.reauthentication_sent_at.getTime() + settings.otpExpiry * 1000 &&
          sameSecret(tokenHash(user.email, nonce), user.reauthentication_token);
        if (!valid) throw unprocessable('reauthentication_not_valid', 'Nonce has expired or is invalid');
      }
    }
    if (password !== '' && hasPassword(user) && (await passwordMatches(admin, user, password))) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    newHash = password === '' ? undefined : await hashPassword(admin, password, settings.bcryptCost);
  }

  const redirectTo = redirectTarget(c, service);
  const updated = await admin.begin(async (tx) => {
    const current = (await findUserById(tx, user.id, true))!;
    if (password !== undefined) {
      await updatePassword(tx, current.id, newHash ?? null, session?.id);
      if (newHash && !(await tx`select 1 from auth.identities where user_id = ${current.id} and provider = 'email'`).length && current.email) {
        await tx`
          insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
          values (${current.id}, ${current.id},
                  ${tx.json({ sub: current.id, email: current.email, email_verified: !!current.email_confirmed_at, phone_verified: false })},
                  'email', now(), now(), now())`;
      }
    }
    if (data) await setUserMetadata(tx, current, data);
    if (appData) await setAppMetadata(tx, current, appData);
    if (changingEmail) {
      const fresh = await reloadUser(tx, current.id);
      if (flowOf(pkce) === 'pkce') await createFlowState(tx, current.id, 'email_change', pkce);
      await mail.sendEmailChange(tx, fresh, email, { flow: flowOf(pkce), redirectTo });
    }
    return apiUser(tx, await reloadUser(tx, current.id));
  });
  return c.json(updated);
}

export async function reauthenticateHandler(c: Context, service: AuthService): Promise<Response> {
  const { user } = await authenticate(c, service);
  if (!user.email && !user.phone) {
    throw badRequest('validation_failed', 'Reauthentication requires the user to have an email or a phone number');
  }
  if (!user.email) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (!user.email_confirmed_at) throw unprocessable('email_not_confirmed', 'Please verify your email first.');
  await service.admin.begin(async (tx) => {
    const current = (await findUserById(tx, user.id, true))!;
    await service.mail.sendReauthentication(tx, current);
  });
  return c.json({});
}
