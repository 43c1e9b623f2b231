// Which functions exist and how each is configured, read the way the Supabase
// CLI reads them: every `supabase/functions/<name>/index.ts` whose folder name
// is a valid slug and does not start with `_` (shared code) or `.`, plus
// `[functions.<name>]` sections of config.toml (`enabled`, `verify_jwt`,
// `entrypoint`). Pure apart from reading the directory.
import fs from 'node:fs';
import path from 'node:path';
import { setting, type SupabaseConfig } from '../../supabase-config.ts';

export interface FunctionDefinition {
  name: string;
  /** Absolute path of the module that registers the handler. */
  entrypoint: string;
  /** Require a valid JWT in `Authorization` before the function runs (default true, like hosted). */
  verifyJwt: boolean;
}

export interface Discovery {
  functions: FunctionDefinition[];
  /** Folders or config sections that are not served, and why. */
  skipped: Array<{ name: string; reason: string }>;
}

/** The CLI's slug rule (`supabase functions new`). */
export const FUNCTION_SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

function functionSetting<T>(config: SupabaseConfig, name: string, key: string, fallback: T, type: 'boolean' | 'string'): T {
  // `setting` walks a dotted path; slugs never contain dots.
  const value = setting<unknown>(`functions.${name}.${key}`, fallback, config);
  if (typeof value !== type) {
    throw new Error(`config.toml: [functions.${name}] ${key} must be a ${type}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/**
 * @param functionsDir  folder holding `<name>/index.ts`
 * @param config        parsed config.toml
 * @param configDir     folder of config.toml (`entrypoint` paths are relative to it, as in the CLI)
 */
export function discoverFunctions(functionsDir: string, config: SupabaseConfig, configDir: string): Discovery {
  const configured = (config.functions ?? {}) as Record<string, unknown>;
  const candidates = new Map<string, string | undefined>();
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(functionsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    candidates.set(entry.name, undefined);
  }
  for (const name of Object.keys(configured)) candidates.set(name, undefined);

  const discovery: Discovery = { functions: [], skipped: [] };
  for (const name of [...candidates.keys()].sort()) {
    if (!FUNCTION_SLUG.test(name)) {
      discovery.skipped.push({ name, reason: 'not a valid function name (letters, digits, - and _, starting with a letter)' });
      continue;
    }
    if (!functionSetting(config, name, 'enabled', true, 'boolean')) {
      discovery.skipped.push({ name, reason: 'enabled = false in config.toml' });
      continue;
    }
    const configuredEntrypoint = functionSetting<string>(config, name, 'entrypoint', '', 'string');
    const entrypoint = configuredEntrypoint
      ? path.resolve(configDir, configuredEntrypoint)
      : path.join(functionsDir, name, 'index.ts');
    if (!fs.existsSync(entrypoint)) {
      discovery.skipped.push({ name, reason: `no entrypoint at ${entrypoint}` });
      continue;
    }
    discovery.functions.push({
      name,
      entrypoint,
      verifyJwt: functionSetting(config, name, 'verify_jwt', true, 'boolean'),
    });
  }
  return discovery;
}
