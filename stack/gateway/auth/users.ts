// auth.users and auth.identities: reading and writing the rows GoTrue keeps, and
// the user object the API returns (supabase-api-subset.md §3.2). Everything runs
// on the superuser pool or a transaction of it — the auth service is trusted.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';

export type Db = Sql | TransactionSql;
export type Json = Record<string, unknown>;

/** GoTrue keeps one instance; every user row carries the nil instance id. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_AUD = 'authenticated';

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date | null;
  updated_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  reauthentication_token: string | null;
  reauthentication_sent_at: Date | null;
  is_sso_user: boolean;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

const iso = (value: Date | null | undefined): string | undefined => (value ? value.toISOString() : undefined);

export function isBanned(user: UserRow, now = new Date()): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > now.getTime();
}

export function hasPassword(user: UserRow): boolean {
  return typeof user.encrypted_password === 'string' && user.encrypted_password !== '';
}

/** The user object as GoTrue serialises it: optional timestamps are left out when unset. */
export function toApiUser(user: UserRow, identities: IdentityRow[]): Json {
  const out: Json = {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change || undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map(toApiIdentity),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

export function toApiIdentity(identity: IdentityRow): Json {
  const out: Json = {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: iso(identity.last_sign_in_at),
    created_at: iso(identity.created_at),
    updated_at: iso(identity.updated_at),
    email: identity.email ?? undefined,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

export async function findUserById(db: Db, id: string, forUpdate = false): Promise<UserRow | undefined> {
  const rows = forUpdate
    ? await db<UserRow[]>`select * from auth.users where id = ${id} and instance_id = ${NIL_UUID} for update`
    : await db<UserRow[]>`select * from auth.users where id = ${id} and instance_id = ${NIL_UUID}`;
  return rows[0];
}

/** GoTrue's lookup: nil instance, lower-cased email, same audience, not an SSO account. */
export async function findUserByEmail(db: Db, email: string, aud = DEFAULT_AUD, forUpdate = false): Promise<UserRow | undefined> {
  const rows = forUpdate
    ? await db<UserRow[]>`
        select * from auth.users
        where instance_id = ${NIL_UUID} and lower(email) = ${email.toLowerCase()} and aud = ${aud} and is_sso_user = false
        for update`
    : await db<UserRow[]>`
        select * from auth.users
        where instance_id = ${NIL_UUID} and lower(email) = ${email.toLowerCase()} and aud = ${aud} and is_sso_user = false`;
  return rows[0];
}

export async function loadIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return db<IdentityRow[]>`select * from auth.identities where user_id = ${userId} order by created_at, id`;
}

export async function apiUser(db: Db, user: UserRow): Promise<Json> {
  return toApiUser(user, await loadIdentities(db, user.id));
}

export async function reloadUser(db: Db, id: string): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw new Error(`user ${id} vanished`);
  return user;
}

/** Shallow merge as GoTrue's UpdateUserMetaData: a null value removes the key. */
export function mergeMetadata(current: Json | null, updates: Json): Json {
  const merged: Json = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export interface NewUser {
  id?: string;
  email: string | null;
  phone?: string | null;
  /** Already a bcrypt hash (or null for no password). */
  encryptedPassword: string | null;
  aud?: string;
  role: string;
  userMetadata: Json;
  appMetadata: Json;
}

export async function insertUser(tx: TransactionSql, user: NewUser): Promise<UserRow> {
  const rows = await tx<UserRow[]>`
    insert into auth.users (
      instance_id, id, aud, role, email, encrypted_password, phone,
      raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
      confirmation_token, recovery_token, email_change_token_new, email_change
    ) values (
      ${NIL_UUID}, ${user.id ?? randomUUID()}, ${user.aud ?? DEFAULT_AUD}, ${user.role}, ${user.email}, ${user.encryptedPassword},
      ${user.phone ?? null}, ${tx.json(user.appMetadata as never)}, ${tx.json(user.userMetadata as never)}, now(), now(),
      '', '', '', ''
    )
    returning *`;
  return rows[0]!;
}

/** GoTrue's identity data for an email identity: sub, email and the verification flags. */
export function emailIdentityData(userId: string, email: string, emailVerified: boolean, extra: Json = {}): Json {
  const data: Json = { sub: userId, email, email_verified: emailVerified, phone_verified: false };
  for (const [key, value] of Object.entries(extra)) if (!(key in data)) data[key] = value;
  return data;
}

export async function insertIdentity(tx: TransactionSql, userId: string, provider: string, providerId: string, data: Json): Promise<IdentityRow> {
  const rows = await tx<IdentityRow[]>`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${providerId}, ${userId}, ${tx.json(data as never)}, ${provider}, now(), now(), now())
    returning *`;
  return rows[0]!;
}

export async function updateIdentityData(tx: TransactionSql, userId: string, provider: string, updates: Json): Promise<void> {
  const rows = await tx<IdentityRow[]>`select * from auth.identities where user_id = ${userId} and provider = ${provider} for update`;
  for (const identity of rows) {
    const merged = mergeMetadata(identity.identity_data, updates);
    await tx`update auth.identities set identity_data = ${tx.json(merged as never)}, updated_at = now() where id = ${identity.id}`;
  }
}

export async function setUserMetadata(tx: TransactionSql, user: UserRow, updates: Json): Promise<void> {
  const merged = mergeMetadata(user.raw_user_meta_data, updates);
  await tx`update auth.users set raw_user_meta_data = ${tx.json(merged as never)}, updated_at = now() where id = ${user.id}`;
  user.raw_user_meta_data = merged;
}

export async function setAppMetadata(tx: TransactionSql, user: UserRow, updates: Json): Promise<void> {
  const merged = mergeMetadata(user.raw_app_meta_data, updates);
  await tx`update auth.users set raw_app_meta_data = ${tx.json(merged as never)}, updated_at = now() where id = ${user.id}`;
  user.raw_app_meta_data = merged;
}

/** app_metadata.providers (and .provider) from the user's identities, as GoTrue refreshes them. */
export async function refreshProviders(tx: TransactionSql, user: UserRow): Promise<void> {
  const rows = await tx<{ provider: string }[]>`
    select provider from auth.identities where user_id = ${user.id} group by provider order by min(created_at), provider`;
  const providers = rows.map((row) => row.provider);
  const updates: Json = { providers };
  if (providers.length > 0) updates.provider = providers[0];
  await setAppMetadata(tx, user, updates);
}

/** Remove every pending email/phone token of the user (links and codes stop working). */
export async function clearOneTimeTokens(tx: TransactionSql, userId: string): Promise<void> {
  await tx`delete from auth.one_time_tokens where user_id = ${userId}`;
}

/** Mark the email confirmed, as GoTrue's Confirm: the link is spent and email_verified becomes true. */
export async function confirmEmail(tx: TransactionSql, user: UserRow): Promise<void> {
  await tx`update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now() where id = ${user.id}`;
  await setUserMetadata(tx, user, { email_verified: true });
  await clearOneTimeTokens(tx, user.id);
  if (user.email) await updateIdentityData(tx, user.id, 'email', { email_verified: true });
}

/** A bcrypt hash from pgcrypto (`crypt(password, gen_salt('bf', cost))`). */
export async function hashPassword(db: Db, password: string, cost: number): Promise<string> {
  const rows = await db<{ hash: string }[]>`select extensions.crypt(${password}, extensions.gen_salt('bf', ${cost}::int)) as hash`;
  return rows[0]!.hash;
}

export async function passwordMatches(db: Db, user: UserRow, password: string): Promise<boolean> {
  if (!hasPassword(user)) return false;
  try {
    const rows = await db<{ ok: boolean }[]>`
      select coalesce(${user.encrypted_password} = extensions.crypt(${password}, ${user.encrypted_password}), false) as ok`;
    return rows[0]!.ok;
  } catch (error) {
    // Not a hash pgcrypto understands (e.g. a hand-written seed row): no password matches it.
    if ((error as { code?: string }).code === '22023') return false;
    throw error;
  }
}

/**
 * A new password, as GoTrue's UpdatePassword: pending links and codes stop working
 * and every other session ends (all of them when `keepSessionId` is undefined).
 */
export async function updatePassword(tx: TransactionSql, userId: string, hash: string | null, keepSessionId: string | undefined): Promise<void> {
  await tx`
    update auth.users
    set encrypted_password = ${hash}, confirmation_token = '', confirmation_sent_at = null, recovery_token = '',
        recovery_sent_at = null, email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
        phone_change_token = '', phone_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null,
        updated_at = now()
    where id = ${userId}`;
  await clearOneTimeTokens(tx, userId);
  if (keepSessionId) await tx`delete from auth.sessions where user_id = ${userId} and id <> ${keepSessionId}`;
  else await tx`delete from auth.sessions where user_id = ${userId}`;
}

/** A long random password for accounts created without one (invitations, magic links, admin). */
export function randomPassword(requiredSets: string[]): string {
  const pick = (set: string) => set[randomInt(set.length)]!;
  const pool = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const chars = requiredSets.filter((set) => set !== '').map(pick);
  while (chars.length < 64) chars.push(pick(pool));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function obfuscate(userId: string, value: string): string {
  return createHash('sha256').update(userId + value).digest('base64url');
}

/** GoTrue's soft delete: the row stays (foreign keys hold) but can never sign in again. */
export async function softDeleteUser(tx: TransactionSql, user: UserRow): Promise<void> {
  await tx`
    update auth.users
    set email = ${obfuscate(user.id, user.email ?? '')}, phone = ${user.phone ? obfuscate(user.id, user.phone).slice(0, 15) : null},
        email_change = ${user.email_change ? obfuscate(user.id, user.email_change) : ''},
        phone_change = ${user.phone_change ? obfuscate(user.id, user.phone_change).slice(0, 15) : ''},
        encrypted_password = null, confirmation_token = '', recovery_token = '', email_change_token_current = '',
        email_change_token_new = '', phone_change_token = '', deleted_at = now(), updated_at = now(),
        raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb
    where id = ${user.id}`;
  await clearOneTimeTokens(tx, user.id);
  const identities = await tx<IdentityRow[]>`select * from auth.identities where user_id = ${user.id}`;
  for (const identity of identities) {
    await tx`
      update auth.identities set identity_data = '{}'::jsonb, provider_id = ${obfuscate(user.id, `${identity.provider}:${identity.provider_id}`)},
             updated_at = now()
      where id = ${identity.id}`;
  }
  await tx`delete from auth.sessions where user_id = ${user.id}`;
}
