// Vite configuration for the portal (src/).
//
// The portal needs two public values: the Supabase project URL and its anon
// key. They are compiled in as `import.meta.env.VITE_SUPABASE_URL` and
// `import.meta.env.VITE_SUPABASE_ANON_KEY`, taken from the first of:
//   1. VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY (environment or .env files),
//   2. SUPABASE_URL / SUPABASE_ANON_KEY (a hosted project),
//   3. `<STACK_DATA_DIR or .stack>/env.json`, written by the local stack.
// `npm start` does not go through this file's default export: it starts Vite
// programmatically with `portalViteConfig()` and passes the values itself.
// The service-role key is never read here and never reaches the browser.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer, defineConfig, loadEnv, type LogLevel, type UserConfig, type ViteDevServer } from 'vite';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

export const PORTAL_HOST = '127.0.0.1';
export const PORTAL_PORT = 5173;

export interface PortalEnv {
  supabaseUrl: string;
  supabaseAnonKey: string;
}

export interface PortalViteOptions {
  /** Compiled into the bundle; leave out to let Vite read VITE_* variables itself. */
  env?: PortalEnv;
  port?: number;
}

/** The whole Vite configuration; usable with `createServer({ configFile: false, ...portalViteConfig() })`. */
export function portalViteConfig(options: PortalViteOptions = {}): UserConfig {
  const port = options.port ?? PORTAL_PORT;
  const define: Record<string, string> = {};
  if (options.env) {
    define['import.meta.env.VITE_SUPABASE_URL'] = JSON.stringify(options.env.supabaseUrl);
    define['import.meta.env.VITE_SUPABASE_ANON_KEY'] = JSON.stringify(options.env.supabaseAnonKey);
  }
  return {
    root: projectRoot,
    plugins: [react()],
    define,
    envPrefix: 'VITE_',
    server: { host: PORTAL_HOST, port, strictPort: true },
    preview: { host: PORTAL_HOST, port, strictPort: true },
    build: {
      outDir: 'dist',
      // Ant Design and Refine make one large vendor bundle; that is expected for now.
      chunkSizeWarningLimit: 2048,
    },
  };
}

export interface PortalDevServer {
  /** e.g. http://127.0.0.1:5173 */
  url: string;
  port: number;
  /** Closes Vite (watcher, HMR socket) and the HTTP server. */
  close(): Promise<void>;
}

/**
 * Starts Vite's dev server for the portal from code (`npm start`, the e2e test).
 * Vite runs in middleware mode on an HTTP server of ours: a standalone Vite
 * server installs its own SIGTERM handler that exits the process, which would
 * cut short the caller's orderly shutdown of the gateway and Postgres.
 * `port: 0` picks a free port.
 */
export async function startPortalDevServer(options: {
  env: PortalEnv;
  port?: number;
  logLevel?: LogLevel;
  /** false for tests: no file watching, so a file saved mid-test never reloads the page. */
  watch?: boolean;
}): Promise<PortalDevServer> {
  let vite: ViteDevServer | undefined;
  const httpServer = http.createServer((req, res) => {
    if (vite) {
      vite.middlewares(req, res);
    } else {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('The portal is starting; try again in a moment.');
    }
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? PORTAL_PORT, PORTAL_HOST, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const base = portalViteConfig({ env: options.env, port });
  try {
    vite = await createServer({
      ...base,
      configFile: false,
      appType: 'spa',
      mode: 'development',
      // Vite takes NODE_ENV from the process when it is set, and tests run with
      // NODE_ENV=test: the browser would get test builds of React and antd (antd
      // then gives every dialog the same aria id). The portal is always a development build here,
      // with its own dependency cache so a test-mode cache is never reused.
      define: { ...base.define, 'process.env.NODE_ENV': JSON.stringify('development') },
      cacheDir: path.join(projectRoot, 'node_modules', '.vite', 'portal-dev-server'),
      clearScreen: false,
      logLevel: options.logLevel ?? 'info',
      // The page's Vite client always opens its socket: keep it on our server (with
      // hmr off it would try Vite's default port and log errors); without a file
      // watcher nothing is ever pushed through it.
      server: {
        ...base.server,
        middlewareMode: true,
        hmr: { server: httpServer },
        ...(options.watch === false ? { watch: null } : {}),
      },
    });
  } catch (error) {
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    throw error;
  }
  const running = vite;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${PORTAL_HOST}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await running.close();
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/** Reads the local stack's env.json, if the stack has been started in this checkout. */
function readStackEnvFile(): Record<string, string> | undefined {
  const dataDir = path.resolve(projectRoot, process.env.STACK_DATA_DIR ?? '.stack');
  const file = path.join(dataDir, 'env.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Resolves the Supabase project for `vite`, `vite build` and `vite preview` run directly. */
export function portalEnvFor(mode: string): PortalEnv | undefined {
  const fromVite = loadEnv(mode, projectRoot, ['VITE_SUPABASE_', 'SUPABASE_']);
  const url = fromVite.VITE_SUPABASE_URL || fromVite.SUPABASE_URL;
  const anonKey = fromVite.VITE_SUPABASE_ANON_KEY || fromVite.SUPABASE_ANON_KEY;
  if (url && anonKey) return { supabaseUrl: url, supabaseAnonKey: anonKey };
  const stack = readStackEnvFile();
  if (stack?.SUPABASE_URL && stack.SUPABASE_ANON_KEY) {
    return { supabaseUrl: stack.SUPABASE_URL, supabaseAnonKey: stack.SUPABASE_ANON_KEY };
  }
  return undefined;
}

export default defineConfig(({ mode }) => {
  const env = portalEnvFor(mode);
  return portalViteConfig(env ? { env } : {});
});
