// The local Supabase-compatible stack in one call:
//   Postgres → bootstrap (what hosted has before migrations) → migrations (+ seed
//   on a fresh database) → project keys → gateway → <dataDir>/env.json
//   → (with `notificationEmails`) the timer that emails queued notifications
//   → (with `evidenceScans`) the timer that runs the claims' system review
//   → (with `paymentDeliveries`) the timer that sends payment runs to the
//     payment system (locally the gateway's SIMULATOR, /payment-system/)
//   → (with `achievementRecalculation`) the timer that recalculates flagged
//     achievement (recalculate-achievement).
// stop() stops the timers, then closes the gateway, then Postgres.
import fs from 'node:fs/promises';
import path from 'node:path';
import { databaseUrl, loadStackConfig, type StackConfig } from './config.ts';
import { bootstrapDatabase } from './db/bootstrap.ts';
import { applyMigrations, type MigrateOptions } from './db/migrate.ts';
import { startPostgres, type RunningPostgres } from './db/postgres.ts';
import { startGateway, type RunningGateway } from './gateway/server.ts';
import { projectKeys, type ProjectKeys } from './jwt.ts';
import { storeDemoEvidence } from './demo-evidence.ts';
import { startEvidenceScans, type EvidenceScansTimer } from './evidence-scans.ts';
import { startPaymentDeliveries, type PaymentDeliveriesTimer } from './payment-deliveries.ts';
import { startAchievementRecalculation, type AchievementRecalculationTimer } from './achievement-recalculation.ts';
import { defaultPortalUrl, startNotificationEmails, type NotificationEmailsTimer } from './notification-emails.ts';

export interface RunningStack {
  config: StackConfig;
  /** http://127.0.0.1:<apiPort> — the gateway (REST under /rest/v1). */
  apiUrl: string;
  /** Superuser connection string. */
  dbUrl: string;
  keys: ProjectKeys;
  /** The timer calling `send-notification-emails` (only with `notificationEmails`); `runNow()` sends at once. */
  notificationEmails: NotificationEmailsTimer | undefined;
  /** The timer calling `scan-evidence` (only with `evidenceScans`); `runNow()` reviews at once. */
  evidenceScans: EvidenceScansTimer | undefined;
  /** The timer calling `deliver-payment-runs` (only with `paymentDeliveries`); `runNow()` delivers at once. */
  paymentDeliveries: PaymentDeliveriesTimer | undefined;
  /** The timer calling `recalculate-achievement` (only with `achievementRecalculation`); `runNow()` recalculates at once. */
  achievementRecalculation: AchievementRecalculationTimer | undefined;
  /** Ask the gateway to re-read its schema cache now (e.g. after DDL run outside migrations). */
  reloadSchema(): Promise<void>;
  /** Notification timer, gateway, then Postgres. Idempotent. */
  stop(): Promise<void>;
}

/** What `<dataDir>/env.json` holds: everything a client or script needs to reach the stack. */
export interface StackEnv {
  SUPABASE_URL: string;
  SUPABASE_ANON_KEY: string;
  SUPABASE_SERVICE_ROLE_KEY: string;
  DB_URL: string;
}

export function envFilePath(config: Pick<StackConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'env.json');
}

export interface DatabaseStartOptions extends Pick<MigrateOptions, 'migrationsDir' | 'seedPath' | 'log'> {}

export interface RunningDatabase {
  postgres: RunningPostgres;
  /** Superuser URL. */
  adminUrl: string;
  /** `authenticator` (NOINHERIT) URL, for the gateway's per-request role switching. */
  authenticatorUrl: string;
  /** True when supabase/seed.sql ran in this start (a fresh database). */
  seeded: boolean;
  stop(): Promise<void>;
}

/**
 * Postgres, bootstrap and migrations (+ seed on a fresh database), without the
 * gateway: for tools that only need the database (type generation, db tests).
 * Postgres is stopped again if bootstrap or a migration fails.
 */
export async function startDatabase(
  config: Pick<StackConfig, 'dataDir' | 'dbPort' | 'host' | 'fresh'>,
  options: DatabaseStartOptions = {},
): Promise<RunningDatabase> {
  const pg = await startPostgres(config);
  let seeded = false;
  try {
    await bootstrapDatabase(pg.adminUrl);
    ({ seeded } = await applyMigrations(pg.adminUrl, options));
  } catch (error) {
    await pg.stop().catch(() => {});
    throw error;
  }
  return {
    postgres: pg,
    adminUrl: pg.adminUrl,
    authenticatorUrl: databaseUrl(config, 'authenticator', 'postgres'),
    seeded,
    stop: () => pg.stop(),
  };
}

export async function startStack(overrides: Partial<StackConfig> = {}): Promise<RunningStack> {
  const config = loadStackConfig(overrides);
  if (config.fresh) {
    // A fresh stack starts with nothing: no keys file, no stored objects, no captured mail, no received payment runs
    // (Postgres' own data directory is wiped by startPostgres).
    await fs.rm(envFilePath(config), { force: true });
    for (const dir of ['storage', 'mail', 'payment-system']) await fs.rm(path.join(config.dataDir, dir), { recursive: true, force: true });
  }

  const db = await startDatabase(config);
  let gateway: RunningGateway | undefined;
  try {
    const keys = await projectKeys(config.jwtSecret);
    gateway = await startGateway({
      config,
      keys,
      adminDbUrl: db.adminUrl,
      authenticatorDbUrl: db.authenticatorUrl,
    });
    const apiUrl = `http://${config.host}:${config.apiPort}`;
    const env: StackEnv = {
      SUPABASE_URL: apiUrl,
      SUPABASE_ANON_KEY: keys.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
      DB_URL: db.adminUrl,
    };
    await fs.writeFile(envFilePath(config), `${JSON.stringify(env, null, 2)}\n`, { mode: 0o600 });
    // The seed's claims name evidence files; their bytes are made here, through Storage.
    if (db.seeded) await storeDemoEvidence({ apiUrl, serviceRoleKey: keys.serviceRoleKey, dbUrl: db.adminUrl });

    const notificationEmails = config.notificationEmails
      ? startNotificationEmails({ apiUrl, serviceRoleKey: keys.serviceRoleKey, portalUrl: config.portalUrl ?? defaultPortalUrl() })
      : undefined;
    const evidenceScans = config.evidenceScans
      ? startEvidenceScans({ apiUrl, serviceRoleKey: keys.serviceRoleKey })
      : undefined;
    const paymentDeliveries = config.paymentDeliveries
      ? startPaymentDeliveries({ apiUrl, serviceRoleKey: keys.serviceRoleKey })
      : undefined;
    const achievementRecalculation = config.achievementRecalculation
      ? startAchievementRecalculation({ apiUrl, serviceRoleKey: keys.serviceRoleKey })
      : undefined;
    const running = gateway;
    let stopping: Promise<void> | undefined;
    return {
      config,
      apiUrl,
      dbUrl: db.adminUrl,
      keys,
      notificationEmails,
      evidenceScans,
      paymentDeliveries,
      achievementRecalculation,
      reloadSchema: () => running.reloadSchema(),
      stop() {
        stopping ??= (async () => {
          try {
            await notificationEmails?.stop();
            await evidenceScans?.stop();
            await paymentDeliveries?.stop();
            await achievementRecalculation?.stop();
            await running.stop();
          } finally {
            await fs.rm(envFilePath(config), { force: true }).catch(() => {});
            await db.stop();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => {});
    await db.stop().catch(() => {});
    throw error;
  }
}
