// The Deno process that hosts the functions (host.ts): start it and wait until
// it listens, restart it when it dies (with back-off), restart it on demand
// (file changes), and stop it. Nothing here knows about HTTP routes or JWTs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { denoBaseEnvironment } from './deno.ts';

export interface HostLaunch {
  /** Functions to import: name and absolute entrypoint path. */
  functions: Array<{ name: string; entrypoint: string }>;
}

export interface DenoHostOptions {
  denoPath: string;
  hostScript: string;
  /** Working directory of the process (the functions folder). */
  cwd: string;
  denoDir: string;
  /** deno.json for import maps and npm settings; without one Deno runs with --no-config. */
  denoConfig?: string;
  /** Secrets file loaded into the environment (like `supabase functions serve --env-file`). */
  envFile?: string;
  /** Environment the functions see, on top of a few process essentials (PATH, proxies…). */
  env: Record<string, string>;
  allowNet: string[];
  allowRead: string[];
  /** Read at every (re)start, so new or removed functions are picked up. */
  launch(): HostLaunch;
  /** Kill and retry a process that has not reported ready within this time. */
  readyTimeoutMs: number;
  /** Per-function limit for the module to register its handler. */
  bootTimeoutMs: number;
  log(line: string): void;
}

export interface HostStatus {
  port: number;
  functions: Record<string, string>;
}

type State = 'idle' | 'starting' | 'ready' | 'waiting-to-restart' | 'stopped';

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 15_000;
/** A process that stayed up this long resets the back-off. */
const STABLE_AFTER_MS = 10_000;
/** How long a dropped request waits for a host that still answers its port to finish exiting. */
const DYING_HOST_GRACE_MS = 1_000;

export class DenoHost {
  private state: State = 'idle';
  private child: ChildProcess | undefined;
  private status: HostStatus | undefined;
  private waiters: Array<(status: HostStatus | undefined) => void> = [];
  private backoffMs = MIN_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private lastProblem = 'not started';
  private restarts = 0;

  constructor(private readonly options: DenoHostOptions) {}

  /** Spawn the process and wait (up to `readyTimeoutMs`) for it to listen. Never throws: see `problem`. */
  async start(): Promise<HostStatus | undefined> {
    if (this.state === 'stopped') throw new Error('the functions host was stopped');
    if (this.state === 'idle') this.spawnHost();
    return this.whenReady(this.options.readyTimeoutMs);
  }

  /** The listening port and boot report, waiting up to `timeoutMs` for a (re)start; undefined if none came. */
  whenReady(timeoutMs: number): Promise<HostStatus | undefined> {
    if (this.state === 'ready' && this.status) return Promise.resolve(this.status);
    if (this.state === 'stopped') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      const waiter = (status: HostStatus | undefined) => {
        clearTimeout(timer);
        resolve(status);
      };
      this.waiters.push(waiter);
    });
  }

  /** Why the host is not ready (for error responses). */
  get problem(): string {
    return this.lastProblem;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times the process was started again after the first start. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Replace the running process now (e.g. a function's code changed). */
  async restart(): Promise<void> {
    if (this.state === 'stopped') return;
    clearTimeout(this.restartTimer);
    this.backoffMs = MIN_BACKOFF_MS;
    const child = this.child;
    this.child = undefined; // its exit is expected now, not a crash
    clearTimeout(this.readyTimer);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = this.exited;
      this.killChild(child);
      await exited;
    }
    if ((this.state as State) === 'stopped') return; // stop() came while we waited
    this.restarts += 1;
    this.spawnHost();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return this.exited;
    this.state = 'stopped';
    clearTimeout(this.restartTimer);
    clearTimeout(this.readyTimer);
    this.lastProblem = 'the functions host was stopped';
    this.settleWaiters(undefined);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) this.killChild(child);
    await this.exited;
  }

  /**
   * A request could not reach the host. Its 'exit' event may not have arrived
   * yet (the process died a moment ago), and until it does the next request
   * would be sent to the dead port too: if the port no longer answers, treat
   * the host as down now (requests then wait for the restart) and make sure
   * the process is gone. Resolves once decided.
   */
  async noteUnreachable(): Promise<void> {
    const child = this.child;
    const port = this.status?.port;
    if (this.state !== 'ready' || !child || port === undefined) return;
    const answers = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (answers) {
      // The port still answers, yet a request was dropped: the process may be winding down
      // (a handler called exit()). Give its exit event a moment, so the next request waits
      // for the restart instead of meeting the dying host.
      const grace = new Promise<void>((resolve) => setTimeout(resolve, DYING_HOST_GRACE_MS).unref());
      await Promise.race([this.exited, grace]);
      return;
    }
    if (this.child !== child || this.state !== 'ready') return;
    this.state = 'starting';
    this.status = undefined;
    this.lastProblem = 'the functions host stopped answering';
    this.killChild(child);
  }

  private killChild(child: ChildProcess): void {
    child.stdin?.end();
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    force.unref();
    child.once('exit', () => clearTimeout(force));
  }

  private settleWaiters(status: HostStatus | undefined): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter(status);
  }

  private environment(): Record<string, string> {
    return { ...denoBaseEnvironment(this.options.denoDir), ...this.options.env };
  }

  private arguments(nonce: string, launch: HostLaunch): string[] {
    const o = this.options;
    const manifest = {
      functions: launch.functions.map((f) => ({ name: f.name, url: pathToFileURL(f.entrypoint).href })),
      bootTimeoutMs: o.bootTimeoutMs,
    };
    return [
      'run',
      '--no-prompt',
      ...(o.denoConfig ? [`--config=${o.denoConfig}`] : ['--no-config', '--node-modules-dir=none']),
      ...(o.envFile ? [`--env-file=${o.envFile}`] : []),
      `--allow-net=${o.allowNet.join(',')}`,
      '--allow-env',
      // exceljs loads fstream, which calls process.umask() as it is imported; the host imports
      // functions dynamically, and Deno then asks for this one system permission (nothing else).
      '--allow-sys=umask',
      `--allow-read=${o.allowRead.join(',')}`,
      o.hostScript,
      nonce,
      JSON.stringify(manifest),
    ];
  }

  private spawnHost(): void {
    const nonce = `functions-host-ready-${randomBytes(8).toString('hex')}`;
    let launch: HostLaunch;
    try {
      launch = this.options.launch();
    } catch (error) {
      this.lastProblem = `cannot list the functions: ${(error as Error).message}`;
      this.options.log(this.lastProblem);
      this.scheduleRestart();
      return;
    }
    this.state = 'starting';
    this.status = undefined;
    this.startedAt = Date.now();
    const child = spawn(this.options.denoPath, this.arguments(nonce, launch), {
      cwd: this.options.cwd,
      env: this.environment(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    let stderrTail = '';
    let ended = false;
    const alreadyEnded = (): boolean => {
      // 'error' and 'exit' can both fire for one process; react once.
      if (ended || this.child !== child || this.state === 'stopped') return true;
      ended = true;
      clearTimeout(this.readyTimer);
      return false;
    };

    createInterface({ input: child.stdout! }).on('line', (line) => {
      const at = line.indexOf(nonce);
      if (at === -1) return this.options.log(line);
      if (this.child !== child) return;
      try {
        this.status = JSON.parse(line.slice(at + nonce.length)) as HostStatus;
      } catch (error) {
        this.options.log(`unreadable ready line: ${line} (${(error as Error).message})`);
        return;
      }
      clearTimeout(this.readyTimer);
      this.state = 'ready';
      this.lastProblem = '';
      this.settleWaiters(this.status);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderrTail = line;
      this.options.log(line);
    });
    // If the process dies, writing to its stdin fails: that is reported by 'exit'.
    child.stdin!.on('error', () => {});

    this.readyTimer = setTimeout(() => {
      if (this.child !== child || this.state !== 'starting') return;
      this.lastProblem = `the functions host did not start within ${this.options.readyTimeoutMs} ms`;
      this.options.log(`${this.lastProblem}; killing it and trying again`);
      this.killChild(child);
    }, this.options.readyTimeoutMs);

    child.once('error', (error) => {
      if (alreadyEnded()) return;
      this.lastProblem = `cannot run Deno (${this.options.denoPath}): ${error.message}`;
      this.options.log(this.lastProblem);
      this.scheduleRestart();
    });
    child.once('exit', (code, signal) => {
      if (alreadyEnded()) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.lastProblem = `the functions host exited (${how})${stderrTail ? `: ${stderrTail}` : ''}`;
      this.options.log(this.lastProblem);
      if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.backoffMs = MIN_BACKOFF_MS;
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (this.state === 'stopped') return;
    this.state = 'waiting-to-restart';
    this.status = undefined;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.options.log(`restarting the functions host in ${delay} ms`);
    this.restartTimer = setTimeout(() => {
      if (this.state !== 'waiting-to-restart') return;
      this.restarts += 1;
      this.spawnHost();
    }, delay);
  }
}
