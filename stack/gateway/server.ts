// The gateway: one HTTP server on 127.0.0.1 that routes /rest/v1 (and, later,
// /auth/v1, /storage/v1, /functions/v1) the way hosted Supabase's Kong does.
// STUB: being written; the signature is the contract the stack uses.
import type { StackConfig } from '../config.ts';
import type { ProjectKeys } from '../jwt.ts';

export interface GatewayOptions {
  config: StackConfig;
  keys: ProjectKeys;
  /** Superuser URL, used only to read the catalog and LISTEN for schema reloads. */
  adminDbUrl: string;
  /** Connection as `authenticator` (NOINHERIT), which switches role per request. */
  authenticatorDbUrl: string;
}

export interface RunningGateway {
  url: string;
  /** Re-read the schema cache now (also happens on NOTIFY pgrst, 'reload schema'). */
  reloadSchema(): Promise<void>;
  stop(): Promise<void>;
}

export async function startGateway(_options: GatewayOptions): Promise<RunningGateway> {
  throw new Error('gateway not yet implemented');
}
