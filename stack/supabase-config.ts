// Reads `supabase/config.toml` — the same file the Supabase CLI uses — so the
// local stack honours the settings a hosted project is configured with.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { projectRoot } from './config.ts';

export type SupabaseConfig = Record<string, unknown>;

export const supabaseConfigPath = path.join(projectRoot, 'supabase', 'config.toml');

let cached: SupabaseConfig | undefined;

/** The parsed config.toml (read once per process). */
export function readSupabaseConfig(file = supabaseConfigPath): SupabaseConfig {
  if (file !== supabaseConfigPath) return parse(fs.readFileSync(file, 'utf8')) as SupabaseConfig;
  cached ??= parse(fs.readFileSync(file, 'utf8')) as SupabaseConfig;
  return cached;
}

/** A nested setting by dotted path, e.g. `setting('auth.email.enable_confirmations', true)`. */
export function setting<T>(pathText: string, fallback: T, config: SupabaseConfig = readSupabaseConfig()): T {
  let node: unknown = config;
  for (const key of pathText.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in (node as object))) return fallback;
    node = (node as Record<string, unknown>)[key];
  }
  return node as T;
}

/** Sizes as the CLI writes them ("5MiB", "50MB", 1024) in bytes. */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(value);
  if (!match) throw new Error(`Not a size: "${value}"`);
  const units: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2, gb: 1000 ** 3, gib: 1024 ** 3 };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!);
}
