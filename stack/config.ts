// Where the local stack lives and listens. Every default can be overridden by
// environment variables so tests and several checkouts can run side by side.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Supabase CLI's public development secret: local only, never used hosted. */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/**
 * The secret the local payment-system SIMULATOR and the edge functions share
 * (PAYMENT_SYSTEM_SECRET): public, local only, never used hosted.
 */
export const DEFAULT_PAYMENT_SYSTEM_SECRET = 'local-payment-system-simulator-secret-not-for-hosted-use';

export interface StackConfig {
  /** Directory holding Postgres data (`pgdata/`), stored files and `env.json`. */
  dataDir: string;
  apiPort: number;
  dbPort: number;
  /** Host the gateway and Postgres bind to: loopback only. */
  host: '127.0.0.1';
  jwtSecret: string;
  /** Schemas served over REST, from `supabase/config.toml` `[api] schemas`, plus any extra (tests). */
  exposedSchemas: string[];
  /** Hosted Supabase caps reads at this many rows a request. */
  maxRows: number;
  /** Start from an empty database (`--fresh`). */
  fresh: boolean;
  /**
   * Email queued notifications: call the `send-notification-emails` function every 3 s, as
   * Supabase Cron does on hosted (stack/notification-emails.ts). Default: `STACK_NOTIFICATION_EMAILS`
   * (1/0), else off; `npm start` and `npm run stack` turn it on unless that variable is 0.
   */
  notificationEmails: boolean;
  /**
   * Review claim evidence: call the `scan-evidence` function every 3 s, as a Cron job does on
   * hosted (stack/evidence-scans.ts). Default: `STACK_EVIDENCE_SCANS` (1/0), else off; `npm start`
   * and `npm run stack` turn it on unless that variable is 0.
   */
  evidenceScans: boolean;
  /**
   * Deliver payment runs: call the `deliver-payment-runs` function every 3 s, as a Cron job does
   * on hosted (stack/payment-deliveries.ts). Default: `STACK_PAYMENT_DELIVERIES` (1/0), else off;
   * `npm start`, `npm run stack` and the journeys turn it on.
   */
  paymentDeliveries: boolean;
  /**
   * Recalculate flagged achievement: call the `recalculate-achievement` function every 5 s, as a
   * Cron job does on hosted (stack/achievement-recalculation.ts). Default:
   * `STACK_ACHIEVEMENT_RECALCULATION` (1/0), else off; `npm start` and `npm run stack` turn it on
   * unless that variable is 0; the journeys only when they ask for it.
   */
  achievementRecalculation: boolean;
  /**
   * The payment-system SIMULATOR acknowledges every run by itself a moment after it arrives
   * (demos). Default: `STACK_PAYMENT_AUTO_ACK` (1/0), else off; `npm start` turns it on unless 0.
   */
  paymentAutoAck: boolean;
  /** Shared by the simulator and the functions as PAYMENT_SYSTEM_SECRET. Default: `STACK_PAYMENT_SYSTEM_SECRET`, else a public local secret. */
  paymentSystemSecret: string;
  /** The portal's address for links in notification emails. Default: config.toml `[auth] site_url`. */
  portalUrl?: string;
  /**
   * Proxies in front of the gateway (addresses or CIDR ranges, `STACK_TRUSTED_PROXIES`,
   * comma-separated): only from these peers is X-Forwarded-For believed. None by default.
   */
  trustedProxies: string[];
  /** Largest REST request body in bytes (`STACK_REST_MAX_BODY_BYTES`); larger ones get 413. */
  restMaxBodyBytes: number;
}

/** An on/off environment variable (1/0, true/false, yes/no, on/off); `fallback` when unset or empty. */
export function flagFromEnv(name: string, fallback: boolean): boolean {
  const raw = (process.env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  throw new Error(`${name} must be 1 or 0, got "${process.env[name]}"`);
}

/** 10 MiB: far above any portal request, small enough to hold in memory. */
export const DEFAULT_REST_MAX_BODY_BYTES = 10 * 1024 * 1024;

function byteCountFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive number of bytes, got "${raw}"`);
  return value;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

export function loadStackConfig(overrides: Partial<StackConfig> = {}): StackConfig {
  const dataDir = path.resolve(projectRoot, process.env.STACK_DATA_DIR ?? '.stack');
  const extra = (process.env.STACK_EXTRA_SCHEMAS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    dataDir,
    apiPort: intFromEnv('STACK_API_PORT', 54321),
    dbPort: intFromEnv('STACK_DB_PORT', 54322),
    host: '127.0.0.1',
    jwtSecret: process.env.STACK_JWT_SECRET ?? DEFAULT_JWT_SECRET,
    exposedSchemas: ['public', 'graphql_public', ...extra],
    maxRows: 1000,
    fresh: false,
    notificationEmails: flagFromEnv('STACK_NOTIFICATION_EMAILS', false),
    evidenceScans: flagFromEnv('STACK_EVIDENCE_SCANS', false),
    paymentDeliveries: flagFromEnv('STACK_PAYMENT_DELIVERIES', false),
    achievementRecalculation: flagFromEnv('STACK_ACHIEVEMENT_RECALCULATION', false),
    paymentAutoAck: flagFromEnv('STACK_PAYMENT_AUTO_ACK', false),
    paymentSystemSecret: process.env.STACK_PAYMENT_SYSTEM_SECRET || DEFAULT_PAYMENT_SYSTEM_SECRET,
    trustedProxies: (process.env.STACK_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    restMaxBodyBytes: byteCountFromEnv('STACK_REST_MAX_BODY_BYTES', DEFAULT_REST_MAX_BODY_BYTES),
    ...overrides,
  };
}

export function databaseUrl(config: Pick<StackConfig, 'host' | 'dbPort'>, user = 'postgres', password = 'postgres'): string {
  return `postgresql://${user}:${password}@${config.host}:${config.dbPort}/postgres`;
}
