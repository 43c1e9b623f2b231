// `npm start`: the whole product on this machine, in one process.
//
// - With SUPABASE_URL and SUPABASE_ANON_KEY set, the portal talks to that
//   (hosted) project and no local stack is started.
// - Otherwise the local stack starts (Postgres + gateway, migrations, seed,
//   notification emails every 3 s into the mailbox), then Vite's dev server
//   for the portal, pointed at it.
// Ctrl-C or SIGTERM stops everything once, in reverse order: portal, then
// gateway and Postgres.
import path from 'node:path';
import { startPortalDevServer, PORTAL_HOST, PORTAL_PORT, type PortalDevServer, type PortalEnv } from '../../vite.config.ts';
import { flagFromEnv } from '../config.ts';
import { startStack } from '../index.ts';

type LocalStack = Awaited<ReturnType<typeof startStack>>;

const DEMO_PASSWORD = 'Demo-Password-1';

/** From docs/demo-data.md (the fixed part of supabase/seed.sql). */
const DEMO_ACCOUNTS: ReadonlyArray<readonly [email: string, who: string]> = [
  ['support.desk@cqrs-demo.example', 'Support Desk (platform)'],
  ['icb.admin@northshire.example', 'NHS Northshire ICB: organisation and user administrator'],
  ['commissioner@northshire.example', 'NHS Northshire ICB: commissioning management'],
  ['tier1@northshire.example', 'NHS Northshire ICB: approver tier 1'],
  ['tier2@northshire.example', 'NHS Northshire ICB: approver tier 2, approval management'],
  ['finance@northshire.example', 'NHS Northshire ICB: finance'],
  ['cluster.reviewer@northshire.example', 'NHS Northshire ICB: approver tier 1, cluster CL-ZN1-001 only'],
  ['icb.admin@southvale.example', 'NHS Southvale ICB: administrator, commissioner, approver'],
  ['practice.user@riverside.example', 'Riverside Medical Centre: claim submitter'],
  ['practice.approver@riverside.example', 'Riverside Medical Centre: provider approver'],
  ['practice.user@harbour.example', 'Harbour Medical Practice: claim submitter'],
  ['pcn.lead@riverside-pcn.example', 'Riverside PCN: declaration management'],
];

function portalPort(): number {
  const raw = process.env.PORTAL_PORT;
  if (raw === undefined || raw === '') return PORTAL_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`PORTAL_PORT must be a port number, got "${raw}"`);
  }
  return port;
}

function hostedProject(): PortalEnv | undefined {
  const url = process.env.SUPABASE_URL?.trim();
  const anonKey = process.env.SUPABASE_ANON_KEY?.trim();
  if (url && anonKey) return { supabaseUrl: url, supabaseAnonKey: anonKey };
  if (url || anonKey) {
    throw new Error('Set both SUPABASE_URL and SUPABASE_ANON_KEY to use a hosted project, or neither to use the local stack.');
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function line(label: string, value: string): string {
  return `  ${label.padEnd(14)}${value}`;
}

function printSummary(portal: PortalDevServer, env: PortalEnv, stack: LocalStack | undefined): void {
  const out: string[] = ['', 'Commissioning Portal is running.', ''];
  out.push(line('Portal', `${portal.url}/`));
  out.push(line('API', env.supabaseUrl));
  out.push(line('REST', `${env.supabaseUrl.replace(/\/$/, '')}/rest/v1`));
  if (stack) {
    out.push(line('Mailbox', `${env.supabaseUrl.replace(/\/$/, '')}/mail   (every email the stack sends)`));
    out.push(
      line(
        'Notifications',
        stack.notificationEmails ? 'emailed to the mailbox every 3 s' : 'not emailed (STACK_NOTIFICATION_EMAILS=0)',
      ),
    );
    out.push(
      line(
        'Evidence',
        stack.evidenceScans ? 'system review of claim files every 3 s' : 'not reviewed (STACK_EVIDENCE_SCANS=0)',
      ),
    );
    out.push(line('Payment system', `${env.supabaseUrl.replace(/\/$/, '')}/payment-system/   (a SIMULATOR of the real one)`));
    out.push(
      line(
        'Payment runs',
        stack.paymentDeliveries
          ? `delivered every 3 s${stack.config.paymentAutoAck ? ', acknowledged automatically (STACK_PAYMENT_AUTO_ACK=0: answer on the page)' : ', answered on the simulator page'}`
          : 'not delivered (STACK_PAYMENT_DELIVERIES=0)',
      ),
    );
    out.push(
      line(
        'Achievement',
        stack.achievementRecalculation ? 'flagged achievement recalculated every 5 s' : 'not recalculated (STACK_ACHIEVEMENT_RECALCULATION=0)',
      ),
    );
    out.push(line('Database', stack.dbUrl));
    out.push(line('env.json', path.join(stack.config.dataDir, 'env.json')));
    out.push(line('Anon key', stack.keys.anonKey));
    out.push(line('', '(the service-role key is in env.json; never give it to a browser)'));
  } else {
    out.push(line('Database', 'managed by the hosted project (SUPABASE_URL); no local stack started'));
  }
  out.push('', `Demo sign-ins (password ${DEMO_PASSWORD}):`);
  for (const [email, who] of DEMO_ACCOUNTS) out.push(`  ${email.padEnd(38)}${who}`);
  out.push('  Or choose "Sign up" on the sign-in page; the confirmation link arrives in the mailbox.');
  if (!stack) out.push('  On a hosted project these accounts exist only if supabase/seed.sql was loaded there.');
  out.push('', 'Press Ctrl-C to stop.', '');
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const running: { stack?: LocalStack; portal?: PortalDevServer } = {};
  let shutdown: Promise<void> | undefined;
  let startup: Promise<void> = Promise.resolve();

  const stopAll = (reason: string, exitCode: number): Promise<void> => {
    if (shutdown) {
      console.log('Already stopping; please wait.');
      return shutdown;
    }
    shutdown = (async () => {
      console.log(`\n${reason}: stopping…`);
      // Whatever is half-way through starting is stopped once it has started.
      await startup.catch(() => undefined);
      let failed = false;
      if (running.portal) {
        try {
          await running.portal.close();
          console.log('  portal stopped');
        } catch (error) {
          failed = true;
          console.error(`  portal did not stop cleanly: ${errorMessage(error)}`);
        }
      }
      if (running.stack) {
        try {
          await running.stack.stop();
          console.log('  gateway and database stopped');
        } catch (error) {
          failed = true;
          console.error(`  local stack did not stop cleanly: ${errorMessage(error)}`);
        }
      }
      process.exit(failed ? 1 : exitCode);
    })();
    return shutdown;
  };

  process.on('SIGINT', () => void stopAll('Ctrl-C', 0));
  process.on('SIGTERM', () => void stopAll('SIGTERM', 0));
  process.on('SIGHUP', () => void stopAll('Terminal closed', 0));

  startup = (async () => {
    const hosted = hostedProject();
    const port = portalPort();
    let env: PortalEnv;
    if (hosted) {
      console.log(`Using the hosted project at ${hosted.supabaseUrl} (SUPABASE_URL); the local stack is not started.`);
      env = hosted;
    } else {
      console.log('Starting the local stack (Postgres, migrations, seed, gateway)…');
      running.stack = await startStack({
        // Links in notification emails open this portal.
        portalUrl: `http://${PORTAL_HOST}:${port}`,
        notificationEmails: flagFromEnv('STACK_NOTIFICATION_EMAILS', true),
        evidenceScans: flagFromEnv('STACK_EVIDENCE_SCANS', true),
        paymentDeliveries: flagFromEnv('STACK_PAYMENT_DELIVERIES', true),
        achievementRecalculation: flagFromEnv('STACK_ACHIEVEMENT_RECALCULATION', true),
        // Demos: the payment-system simulator acknowledges every run by itself.
        paymentAutoAck: flagFromEnv('STACK_PAYMENT_AUTO_ACK', true),
      });
      env = { supabaseUrl: running.stack.apiUrl, supabaseAnonKey: running.stack.keys.anonKey };
    }
    if (shutdown) return;
    running.portal = await startPortalDevServer({ env, port });
    if (shutdown) return;
    printSummary(running.portal, env, running.stack);
  })();

  try {
    await startup;
  } catch (error) {
    const code = (error as { code?: string }).code;
    console.error(`\nCould not start: ${errorMessage(error)}`);
    if (code === 'EADDRINUSE') {
      console.error('A port is in use: stop the other process, or choose ports with PORTAL_PORT, STACK_API_PORT and STACK_DB_PORT.');
    }
    await stopAll('Start-up failed', 1);
  }
}

await main();
