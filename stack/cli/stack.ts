// `npm run stack [-- --fresh]`: the local Supabase-compatible stack on its own
// (Postgres, bootstrap, migrations + seed, gateway, notification emails every
// 3 s), without the portal.
// Ports and data directory: STACK_API_PORT, STACK_DB_PORT, STACK_DATA_DIR.
// Ctrl-C or SIGTERM stops the gateway, then Postgres.
import { flagFromEnv } from '../config.ts';
import { envFilePath, startStack, type RunningStack } from '../index.ts';

const USAGE = `Usage: npm run stack [-- --fresh]

  --fresh   start from an empty database (wipes <data dir>/pgdata), then
            apply migrations and supabase/seed.sql

Environment: STACK_API_PORT (54321), STACK_DB_PORT (54322), STACK_DATA_DIR (.stack),
             STACK_NOTIFICATION_EMAILS (1: email queued notifications every 3 s; 0: don't),
             STACK_EVIDENCE_SCANS (1: review claim evidence every 3 s; 0: don't),
             STACK_PAYMENT_DELIVERIES (1: send payment runs to the payment-system simulator every 3 s; 0: don't),
             STACK_PAYMENT_AUTO_ACK (1: the simulator acknowledges every run by itself; 0, the default here: answer on its page)`;

function parseArgs(args: string[]): { fresh: boolean } {
  let fresh = false;
  for (const arg of args) {
    if (arg === '--fresh') fresh = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      console.error(`Unknown argument: ${arg}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return { fresh };
}

function summary(stack: RunningStack): string {
  const row = (label: string, value: string) => `  ${label.padEnd(18)}${value}`;
  return [
    '',
    'Local stack is running.',
    '',
    row('API URL', stack.apiUrl),
    row('REST', `${stack.apiUrl}/rest/v1`),
    row('Auth', `${stack.apiUrl}/auth/v1`),
    row('Storage', `${stack.apiUrl}/storage/v1`),
    row('Functions', `${stack.apiUrl}/functions/v1`),
    row('Mailbox', `${stack.apiUrl}/mail`),
    row('Payment system', `${stack.apiUrl}/payment-system/   (a SIMULATOR: received runs, Acknowledge / Reject)`),
    row('Notifications', stack.notificationEmails ? 'emailed every 3 s (send-notification-emails)' : 'not emailed (STACK_NOTIFICATION_EMAILS=0)'),
    row('Evidence', stack.evidenceScans ? 'reviewed every 3 s (scan-evidence)' : 'not reviewed (STACK_EVIDENCE_SCANS=0)'),
    row('Payment runs', stack.paymentDeliveries ? `delivered every 3 s (deliver-payment-runs)${stack.config.paymentAutoAck ? ', acknowledged automatically' : ''}` : 'not delivered (STACK_PAYMENT_DELIVERIES=0)'),
    row('Achievement', stack.achievementRecalculation ? 'flagged achievement recalculated every 5 s (recalculate-achievement)' : 'not recalculated (STACK_ACHIEVEMENT_RECALCULATION=0)'),
    row('Database URL', stack.dbUrl),
    row('Data directory', stack.config.dataDir),
    row('env.json', envFilePath(stack.config)),
    row('JWT secret', stack.config.jwtSecret),
    row('anon key', stack.keys.anonKey),
    row('service_role key', stack.keys.serviceRoleKey),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { fresh } = parseArgs(process.argv.slice(2));
  let stack: RunningStack | undefined;
  let stopRequested: string | undefined;
  let stopping = false;

  const stop = async (reason: string): Promise<void> => {
    if (stopping) {
      console.log('Already stopping; please wait.');
      return;
    }
    stopping = true;
    console.log(`\n${reason}: stopping…`);
    try {
      await stack?.stop();
      console.log('Stopped.');
      process.exit(0);
    } catch (error) {
      console.error('Did not stop cleanly:', error);
      process.exit(1);
    }
  };
  const onSignal = (reason: string) => () => {
    // During start-up, finish starting first (startStack cleans up after a
    // failure on its own), then stop in order: never leave Postgres orphaned.
    if (!stack) stopRequested = reason;
    else void stop(reason);
  };
  process.on('SIGINT', onSignal('Ctrl-C'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  process.on('SIGHUP', onSignal('SIGHUP'));

  console.log(fresh ? 'Starting the local stack from an empty database…' : 'Starting the local stack…');
  try {
    stack = await startStack({
      fresh,
      notificationEmails: flagFromEnv('STACK_NOTIFICATION_EMAILS', true),
      evidenceScans: flagFromEnv('STACK_EVIDENCE_SCANS', true),
      paymentDeliveries: flagFromEnv('STACK_PAYMENT_DELIVERIES', true),
      achievementRecalculation: flagFromEnv('STACK_ACHIEVEMENT_RECALCULATION', true),
    });
  } catch (error) {
    console.error(`\nCould not start the local stack:\n${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  if (stopRequested) return stop(stopRequested);
  console.log(summary(stack));
}

await main();
