// The one place that runs a request's work inside its own transaction, as the
// caller's database role, with `request.jwt.claims` and friends set locally —
// the way PostgREST does it — so RLS and grants are decided by Postgres alone.
// Settings are transaction-local, so a pooled connection never leaks identity.
import type { ReservedSql, Sql } from 'postgres';

export interface RequestIdentity {
  /** Database role to act as (from the JWT's `role` claim, `anon` without a token). */
  role: string;
  /** The JWT payload with `role` ensured. */
  claims: Record<string, unknown>;
}

export interface RequestContext extends RequestIdentity {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  searchPath: string[];
  readOnly: boolean;
  timezone?: string;
}

/** Settings attached to API roles (`alter role anon set statement_timeout = '3s'`), applied per request. */
export type RoleSettings = Map<string, Array<[string, string]>>;

export async function loadRoleSettings(sql: Sql): Promise<RoleSettings> {
  const rows = await sql<Array<{ role: string; setting: string }>>`
    select r.rolname as role, unnest(s.setconfig) as setting
    from pg_catalog.pg_db_role_setting s
    join pg_catalog.pg_roles r on r.oid = s.setrole
    where s.setdatabase = 0 or s.setdatabase = (select oid from pg_catalog.pg_database where datname = current_database())`;
  const settings: RoleSettings = new Map();
  for (const { role, setting } of rows) {
    const eq = setting.indexOf('=');
    if (eq < 0) continue;
    const list = settings.get(role) ?? [];
    list.push([setting.slice(0, eq), setting.slice(eq + 1)]);
    settings.set(role, list);
  }
  return settings;
}

/**
 * Run `work` in one transaction as the caller. `shouldRollback` decides after the
 * work whether to commit (e.g. `Prefer: tx=rollback`, a violated singular response).
 */
export async function withRequestTransaction<T>(
  sql: Sql,
  context: RequestContext,
  roleSettings: RoleSettings,
  work: (db: ReservedSql) => Promise<T>,
  shouldRollback: (result: T) => boolean = () => false,
): Promise<T> {
  const names: string[] = ['search_path'];
  const values: string[] = [context.searchPath.map((s) => `"${s.replace(/"/g, '""')}"`).join(', ')];
  for (const [name, value] of roleSettings.get(context.role) ?? []) {
    names.push(name);
    values.push(value);
  }
  names.push('role', 'request.jwt.claims', 'request.method', 'request.path', 'request.headers', 'request.cookies');
  values.push(
    context.role,
    JSON.stringify(context.claims),
    context.method,
    context.path,
    JSON.stringify(context.headers),
    JSON.stringify(context.cookies),
  );
  if (context.timezone) {
    names.push('timezone');
    values.push(context.timezone);
  }
  // One round trip sets everything, in order: a JSON array of [name, value] pairs.
  const settingsQuery =
    'select pg_catalog.set_config(s.setting->>0, s.setting->>1, true) from json_array_elements($1::json) with ordinality as s(setting, i) order by s.i';
  const pairs = JSON.stringify(names.map((name, i) => [name, values[i]]));
  // BEGIN, the settings and the work are pipelined on one reserved connection: one round trip
  // instead of three. Order is kept: the driver sends queries in order and holds every later
  // query while a new statement is being described. If the settings fail (e.g. an unknown role),
  // Postgres aborts the transaction, so the work cannot run with the wrong identity; the earliest
  // error is the one reported. COMMIT is NOT pipelined behind the work: a parameterless COMMIT
  // could overtake a statement still being described and end the transaction before it runs.
  const connection = await sql.reserve();
  try {
    const begin = connection.unsafe(context.readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed read write');
    const settings = connection.unsafe(settingsQuery, [pairs], { prepare: true });
    begin.catch(() => {});
    settings.catch(() => {});
    let result: T;
    try {
      result = await work(connection);
      await begin;
      await settings;
    } catch (error) {
      await connection.unsafe('rollback').catch(() => {});
      await begin;
      await settings;
      throw error;
    }
    await connection.unsafe(shouldRollback(result) ? 'rollback' : 'commit');
    return result;
  } finally {
    connection.release();
  }
}
