// Admin endpoints (service_role / supabase_admin JWT): /admin/users,
// /admin/users/{id}, /admin/generate_link.
import type { Context } from 'hono';
import type { TransactionSql } from 'postgres';
import { DurationError, parseGoDuration } from '../duration.ts';
import { AuthError, badRequest, internalError, notFound, unprocessable } from '../errors.ts';
import { obj, optionalStr, readBody, redirectTarget, requestAud, requireAdmin, str, validateEmail, type AuthService } from '../http.ts';
import type { LinkType } from '../mail.ts';
import { MAX_PASSWORD_BYTES, checkPasswordStrength } from '../password.ts';
import { randomOtp, tokenHash } from '../secrets.ts';
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
  NIL_UUID,
  randomPassword,
  reloadUser,
  setAppMetadata,
  setUserMetadata,
  softDeleteUser,
  toApiUser,
  updateIdentityData,
  updatePassword,
  type IdentityRow,
  type Json,
  type UserRow,
} from '../users.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_PER_PAGE = 50;

/** `ban_duration`: a Go duration from now, or "none" to lift a ban. undefined = leave as is. */
function banUntil(body: Json): Date | null | undefined {
  const value = str(body, 'ban_duration');
  if (value === '') return undefined;
  if (value === 'none') return null;
  let ms: number;
  try {
    ms = parseGoDuration(value);
  } catch (error) {
    if (error instanceof DurationError) throw badRequest('validation_failed', `invalid format for ban duration: ${error.message}`);
    throw error;
  }
  return ms === 0 ? null : new Date(Date.now() + ms);
}

/** E.164 digits as GoTrue stores them (no leading +). */
function validatePhone(phone: string): string {
  const digits = phone.replace(/^\+/, '').replace(/[\s-]/g, '');
  if (!/^[1-9]\d{7,14}$/.test(digits)) throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  return digits;
}

function parseUint(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax (${name})`);
  }
  return Number(value);
}

/** Go's url.Values.Encode: keys sorted, values escaped. */
function encodeSortedQuery(params: Array<[string, string]>): string {
  return [...params]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

async function identitiesByUser(db: AuthService['admin'], ids: string[]): Promise<Map<string, IdentityRow[]>> {
  const byUser = new Map<string, IdentityRow[]>();
  if (ids.length === 0) return byUser;
  const rows = await db<IdentityRow[]>`select * from auth.identities where user_id in ${db(ids)} order by created_at, id`;
  for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
  return byUser;
}

export async function listUsersHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin } = service;
  await requireAdmin(c, service);
  const url = new URL(c.req.url);
  let page = parseUint(url.searchParams.get('page') ?? undefined, 1, 'page');
  let perPage = parseUint(url.searchParams.get('per_page') ?? undefined, DEFAULT_PER_PAGE, 'per_page');
  if (page < 1) page = 1;
  if (perPage < 1) perPage = DEFAULT_PER_PAGE;
  const aud = requestAud(c);
  const filter = url.searchParams.get('filter') ?? '';
  const like = `%${filter}%`;
  const where = filter
    ? admin`instance_id = ${NIL_UUID} and aud = ${aud} and (email like ${like} or raw_user_meta_data->>'full_name' ilike ${like})`
    : admin`instance_id = ${NIL_UUID} and aud = ${aud}`;
  const counted = await admin<{ total: number }[]>`select count(*)::int as total from auth.users where ${where}`;
  const total = counted[0]!.total;
  const users = await admin<UserRow[]>`
    select * from auth.users where ${where} order by created_at desc, id desc limit ${perPage} offset ${(page - 1) * perPage}`;
  const identities = await identitiesByUser(admin, users.map((user) => user.id));

  // GoTrue's Link header: the request path as GoTrue sees it (below /auth/v1), query keys sorted.
  const totalPages = Math.ceil(total / perPage);
  const query = [...url.searchParams.entries()].filter(([key]) => key !== 'page' && key !== 'apikey');
  const link = (n: number) => `</admin/users?${encodeSortedQuery([...query, ['page', String(n)]])}>`;
  let header = '';
  if (totalPages > page) header += `${link(page + 1)}; rel="next", `;
  header += `${link(totalPages)}; rel="last"`;

  return c.json(
    { users: users.map((user) => toApiUser(user, identities.get(user.id) ?? [])), aud },
    200,
    { 'X-Total-Count': String(total), Link: header },
  );
}

async function loadUser(c: Context, service: AuthService): Promise<UserRow> {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(service.admin, id);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

export async function getUserByIdHandler(c: Context, service: AuthService): Promise<Response> {
  await requireAdmin(c, service);
  const user = await loadUser(c, service);
  return c.json(await apiUser(service.admin, user));
}

export async function createUserHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin, settings } = service;
  await requireAdmin(c, service);
  const body = await readBody(c);
  const aud = str(body, 'aud') || requestAud(c);
  let email = str(body, 'email');
  let phone = str(body, 'phone');
  if (email === '' && phone === '') throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  const providers: string[] = [];
  if (email !== '') {
    email = validateEmail(email);
    if (await findUserByEmail(admin, email, aud)) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
    providers.push('email');
  }
  if (phone !== '') {
    phone = validatePhone(phone);
    const taken = await admin`select 1 from auth.users where phone = ${phone} and aud = ${aud}`;
    if (taken.length > 0) throw unprocessable('phone_exists', 'Phone number already registered by another user');
    providers.push('phone');
  }
  const password = optionalStr(body, 'password');
  const passwordHash = str(body, 'password_hash');
  if (password !== undefined && passwordHash !== '') {
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  }
  if (password !== undefined && Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw badRequest('validation_failed', 'bcrypt: password length exceeds 72 bytes');
  }
  if (passwordHash !== '' && !/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(passwordHash)) {
    throw internalError('Error creating user');
  }
  const id = str(body, 'id');
  if (id !== '') {
    if (!UUID.test(id)) throw badRequest('validation_failed', 'ID must conform to the uuid v4 format');
    if (id === NIL_UUID) throw badRequest('validation_failed', 'ID cannot be a nil uuid');
  }
  const ban = banUntil(body);
  const userMetadata = obj(body, 'user_metadata') ?? {};
  const appMetadata = obj(body, 'app_metadata');
  const hash =
    passwordHash !== ''
      ? passwordHash
      : await hashPassword(admin, password || randomPassword(settings.passwordRequiredCharacters), settings.bcryptCost);

  try {
    const created = await admin.begin(async (tx) => {
      const user = await insertUser(tx, {
        ...(id !== '' ? { id } : {}),
        email: email || null,
        phone: phone || null,
        encryptedPassword: hash,
        aud,
        role: str(body, 'role') || 'authenticated',
        userMetadata,
        appMetadata: { provider: providers[0], providers },
      });
      if (email) await insertIdentity(tx, user.id, 'email', user.id, emailIdentityData(user.id, email, false));
      if (phone) await insertIdentity(tx, user.id, 'phone', user.id, { sub: user.id, phone, email_verified: false, phone_verified: false });
      if (appMetadata) await setAppMetadata(tx, user, appMetadata);
      if (body.email_confirm === true) await confirmEmail(tx, user);
      if (body.phone_confirm === true) await tx`update auth.users set phone_confirmed_at = now() where id = ${user.id}`;
      if (ban !== undefined) await tx`update auth.users set banned_until = ${ban} where id = ${user.id}`;
      return apiUser(tx, await reloadUser(tx, user.id));
    });
    return c.json(created);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    console.error('[auth] admin create user failed', error);
    throw internalError('Database error creating new user');
  }
}

export async function updateUserByIdHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin, settings } = service;
  await requireAdmin(c, service);
  const target = await loadUser(c, service);
  const body = await readBody(c);
  let email = str(body, 'email');
  let phone = str(body, 'phone');
  if (email !== '') email = validateEmail(email);
  if (phone !== '') phone = validatePhone(phone);
  const ban = banUntil(body);
  const password = optionalStr(body, 'password');
  let hash: string | null | undefined;
  if (password !== undefined) {
    checkPasswordStrength(settings, password);
    hash = password === '' ? null : await hashPassword(admin, password, settings.bcryptCost);
  }
  if (email !== '' && email !== target.email) {
    const other = await findUserByEmail(admin, email, target.aud ?? DEFAULT_AUD);
    if (other && other.id !== target.id) throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }
  const userMetadata = obj(body, 'user_metadata');
  const appMetadata = obj(body, 'app_metadata');
  const role = str(body, 'role');

  try {
    const updated = await admin.begin(async (tx) => {
      const user = (await findUserById(tx, target.id, true))!;
      if (role !== '') await tx`update auth.users set role = ${role}, updated_at = now() where id = ${user.id}`;
      if (body.email_confirm === true) await confirmEmail(tx, user);
      if (body.phone_confirm === true) await tx`update auth.users set phone_confirmed_at = now() where id = ${user.id}`;
      if (hash !== undefined) await updatePassword(tx, user.id, hash, undefined);
      if (email !== '') await changeEmail(tx, user, email, body.email_confirm === true);
      if (phone !== '') await tx`update auth.users set phone = ${phone}, updated_at = now() where id = ${user.id}`;
      if (appMetadata) await setAppMetadata(tx, await reloadUser(tx, user.id), appMetadata);
      if (userMetadata) await setUserMetadata(tx, await reloadUser(tx, user.id), userMetadata);
      if (ban !== undefined) await tx`update auth.users set banned_until = ${ban}, updated_at = now() where id = ${user.id}`;
      return apiUser(tx, await reloadUser(tx, user.id));
    });
    return c.json(updated);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    console.error('[auth] admin update user failed', error);
    throw internalError('Error updating user');
  }
}

async function changeEmail(tx: TransactionSql, user: UserRow, email: string, confirmed: boolean): Promise<void> {
  const identities = await tx`select 1 from auth.identities where user_id = ${user.id} and provider = 'email'`;
  if (identities.length > 0) {
    await updateIdentityData(tx, user.id, 'email', { email, email_verified: confirmed });
  } else {
    await insertIdentity(tx, user.id, 'email', user.id, emailIdentityData(user.id, email, confirmed));
  }
  await tx`update auth.users set email = ${email}, updated_at = now() where id = ${user.id}`;
}

export async function deleteUserHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin } = service;
  await requireAdmin(c, service);
  const user = await loadUser(c, service);
  const text = await c.req.text();
  let soft = false;
  if (text.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw badRequest('bad_json', `Could not parse request body as JSON: ${(error as Error).message}`);
    }
    soft = (parsed as { should_soft_delete?: unknown } | null)?.should_soft_delete === true;
  }
  try {
    await admin.begin(async (tx) => {
      if (soft) {
        if (!user.deleted_at) await softDeleteUser(tx, user);
      } else {
        await tx`delete from auth.users where id = ${user.id}`;
      }
    });
  } catch (error) {
    console.error('[auth] admin delete user failed', error);
    throw internalError('Database error deleting user');
  }
  return c.json({});
}

type GenerateLinkType = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change_current' | 'email_change_new';

/** POST /admin/generate_link: the link (and code) an email would carry, without sending it. */
export async function generateLinkHandler(c: Context, service: AuthService): Promise<Response> {
  const { admin, settings, mail } = service;
  await requireAdmin(c, service);
  const body = await readBody(c);
  let type = str(body, 'type') as GenerateLinkType;
  const email = validateEmail(str(body, 'email'));
  const data = obj(body, 'data') ?? {};
  let password = str(body, 'password');
  const bodyRedirect = str(body, 'redirect_to');
  const redirectTo = service.redirects.isValid(bodyRedirect) ? bodyRedirect : redirectTarget(c, service);
  const aud = requestAud(c);
  const allowed: GenerateLinkType[] = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'];
  if (!allowed.includes(type)) throw badRequest('validation_failed', `Invalid email action link type requested: ${type}`);

  const existing = await findUserByEmail(admin, email, aud);
  if (!existing) {
    if (type === 'magiclink') {
      type = 'signup';
      password = randomPassword(settings.passwordRequiredCharacters);
    } else if (type === 'recovery' || type === 'email_change_current' || type === 'email_change_new') {
      throw notFound('user_not_found', 'User with this email not found');
    }
  }
  if (type === 'signup' && !existing) {
    if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
    checkPasswordStrength(settings, password);
  }
  const signupHash = type === 'signup' && !existing ? await hashPassword(admin, password, settings.bcryptCost) : undefined;

  const otp = randomOtp(settings.otpLength);
  let hashed = tokenHash(email, otp);
  const result = await admin.begin(async (tx) => {
    let user = existing ? (await findUserById(tx, existing.id, true))! : undefined;
    let linkType: LinkType;
    const store = async (tokenType: string, hash: string, relatesTo: string) => {
      await tx`
        insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
        values (gen_random_uuid(), ${user!.id}, ${tokenType}::auth.one_time_token_type, ${hash}, ${relatesTo}, now(), now())
        on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`;
    };
    switch (type) {
      case 'magiclink':
      case 'recovery':
        await tx`update auth.users set recovery_token = ${hashed}, recovery_sent_at = now(), updated_at = now() where id = ${user!.id}`;
        await store('recovery_token', hashed, email);
        linkType = type;
        break;
      case 'invite':
      case 'signup':
        if (user?.email_confirmed_at) throw unprocessable('email_exists', 'A user with this email address has already been registered');
        if (!user) {
          user = await insertUser(tx, {
            email,
            encryptedPassword: signupHash ?? null,
            aud,
            role: 'authenticated',
            userMetadata: data,
            appMetadata: { provider: 'email', providers: ['email'] },
          });
          await insertIdentity(tx, user.id, 'email', user.id, emailIdentityData(user.id, email, false));
        } else if (type === 'signup') {
          await setUserMetadata(tx, user, data);
        }
        if (type === 'invite') {
          await tx`update auth.users set confirmation_token = ${hashed}, confirmation_sent_at = now(), invited_at = now(), updated_at = now() where id = ${user.id}`;
        } else {
          await tx`update auth.users set confirmation_token = ${hashed}, confirmation_sent_at = now(), updated_at = now() where id = ${user.id}`;
        }
        await store('confirmation_token', hashed, email);
        linkType = type;
        break;
      default: {
        if (type === 'email_change_current' && !settings.doubleConfirmChanges) {
          throw badRequest('validation_failed', 'Enable secure email change to generate link for current email');
        }
        const newEmail = validateEmail(str(body, 'new_email'));
        const other = await findUserByEmail(tx, newEmail, user!.aud ?? aud);
        if (other && other.id !== user!.id) throw unprocessable('email_exists', 'A user with this email address has already been registered');
        if (type === 'email_change_new') hashed = tokenHash(newEmail, otp);
        const current = type === 'email_change_current' ? hashed : '';
        const fresh = type === 'email_change_new' ? hashed : '';
        await tx`
          update auth.users
          set email_change = ${newEmail}, email_change_sent_at = now(), email_change_confirm_status = 0,
              email_change_token_current = ${current}, email_change_token_new = ${fresh}, updated_at = now()
          where id = ${user!.id}`;
        if (current) await store('email_change_token_current', current, email);
        if (fresh) await store('email_change_token_new', fresh, newEmail);
        linkType = 'email_change';
      }
    }
    return { user: await apiUser(tx, await reloadUser(tx, user!.id)), linkType };
  });

  return c.json({
    ...result.user,
    action_link: mail.link(hashed, result.linkType, redirectTo),
    email_otp: otp,
    hashed_token: hashed,
    verification_type: type,
    redirect_to: redirectTo,
  });
}
