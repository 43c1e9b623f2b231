// Where the Deno binary and Deno's cache live for the local functions host.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../config.ts';

/**
 * The Deno executable from the npm package `deno` (a dev dependency), or
 * `STACK_DENO_PATH`. The package's installer copies the platform binary next to
 * its package.json; `runInstall()` returns that path (and does the copy if an
 * install skipped its script).
 */
export function denoExecutable(): string {
  const override = process.env.STACK_DENO_PATH;
  if (override) return override;
  const require = createRequire(import.meta.url);
  let installer: { runInstall(): string };
  try {
    installer = require('deno/install_api.cjs') as { runInstall(): string };
  } catch (error) {
    throw new Error('The npm package "deno" is not installed (it is a dev dependency): run `npm install`', { cause: error });
  }
  return installer.runInstall();
}

/**
 * Deno's cache (npm packages the functions import, compiled code): `STACK_DENO_DIR`,
 * else `DENO_DIR`, else `node_modules/.cache/deno` — one cache per checkout, shared
 * by the developer's stack and the test stacks, so only the first run downloads.
 */
export function denoCacheDir(): string {
  const dir = process.env.STACK_DENO_DIR || process.env.DENO_DIR || path.join(projectRoot, 'node_modules', '.cache', 'deno');
  return path.resolve(projectRoot, dir);
}

/** `deno.json` or `deno.jsonc` in the functions folder, if there is one. */
export function denoConfigFile(functionsDir: string): string | undefined {
  for (const name of ['deno.json', 'deno.jsonc']) {
    const file = path.join(functionsDir, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Variables passed through from the gateway's environment so Deno can reach the
 * npm registry (proxies, a custom registry, extra CA certificates: Deno reads
 * NODE_EXTRA_CA_CERTS and DENO_CERT, not SSL_CERT_FILE).
 */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NPM_CONFIG_REGISTRY',
  'NODE_EXTRA_CA_CERTS',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
];

/** The environment every Deno process of the stack starts from (before the functions' own variables). */
export function denoBaseEnvironment(denoDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    DENO_DIR: denoDir,
    DENO_NO_UPDATE_CHECK: '1',
    // The project's package.json and node_modules belong to the Node side.
    DENO_NO_PACKAGE_JSON: '1',
    NO_COLOR: '1',
  };
}
