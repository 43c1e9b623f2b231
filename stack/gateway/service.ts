// What every gateway service (REST, Auth, Storage, Functions, Mail) is handed,
// and what it hands back. Services own their HTTP routes below their prefix;
// JWT checks and per-request transactions come from the shared modules here.
import type { Hono } from 'hono';
import type { Sql } from 'postgres';
import type { StackConfig } from '../config.ts';
import type { ProjectKeys } from '../jwt.ts';
import type { Mailer } from '../mail/types.ts';
import type { RequestIdentity, RoleSettings } from './transaction.ts';

export interface GatewayContext {
  config: StackConfig;
  keys: ProjectKeys;
  /** Superuser pool: for a service's own bookkeeping, as GoTrue and storage-api use their own DB users. */
  admin: Sql;
  /** `authenticator` pool that sends parameters as text; use only through `withRequestTransaction`. */
  requestSql: Sql;
  roleSettings(): RoleSettings;
  /** Caller's role and claims from an `Authorization` header; throws ApiError 401 on a bad/expired JWT. */
  identify(authorization: string | undefined): Promise<RequestIdentity>;
  /** The one way mail leaves the stack (captured in the local mailbox unless SMTP is configured). */
  mailer: Mailer;
  /** http://127.0.0.1:<port> as seen by clients. */
  publicUrl: string;
}

export interface GatewayService {
  /** Mounted at the service's prefix (e.g. /auth/v1). */
  routes: Hono;
  stop?(): Promise<void>;
}

export type ServiceFactory = (context: GatewayContext) => Promise<GatewayService>;
