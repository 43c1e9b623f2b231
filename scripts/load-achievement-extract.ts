// Load an achievement extract or list sizes from a CSV file into the portal,
// through the database's own load functions (service role):
//   public.load_achievement_extract — rows become submitted, calculated
//     achievement (source "extract"); the practice cannot change it by hand;
//   public.load_list_sizes — list sizes with their effective dates (the
//     affected achievement is flagged and recalculated by the job).
// Automatic extracts from GP systems are outside this product: this is for
// demos, tests and one-off loads (docs/achievement.md "Extracts").
//
//   npx tsx scripts/load-achievement-extract.ts achievement.csv [--service <service id>]
//   npx tsx scripts/load-achievement-extract.ts list-sizes.csv
//
// The kind is told by the header:
//   ods_code,service_id,achievement_date,indicator_code,numerator,denominator,count
//     (service_id may be left out when --service is given; numerator and
//     denominator for percentage indicators, count for per-unit ones)
//   ods_code,effective_from,list_size
// Dates are YYYY-MM-DD. Empty cells are null.
//
// Where: SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY from the environment (a
// hosted project), else the local stack's <data dir>/env.json (`npm start`
// or `npm run stack` must be running). Rows are sent in batches of 20,000;
// each batch is checked whole and loads all or nothing, and a refusal names
// the row (numbered within its batch) and the rule.
import fs from 'node:fs/promises';
import { loadStackConfig } from '../stack/config.ts';
import { envFilePath, type StackEnv } from '../stack/index.ts';

const BATCH = 20_000;
const EXTRACT_COLUMNS = ['ods_code', 'service_id', 'achievement_date', 'indicator_code', 'numerator', 'denominator', 'count'];
const LIST_SIZE_COLUMNS = ['ods_code', 'effective_from', 'list_size'];

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

/** A cell as JSON: empty → null, a plain whole number → number, anything else stays text (the database says what is wrong with it). */
function cell(value: string | undefined): string | number | null {
  const v = (value ?? '').trim();
  if (v === '') return null;
  return /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v;
}

export type LoadKind = 'extract' | 'list_sizes';

/** The rows of a CSV file as the load function's JSON rows, and which load they are for. */
export function rowsFromCsv(text: string, service?: string): { kind: LoadKind; rows: Record<string, string | number | null>[] } {
  const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new Error('The file is empty.');
  const columns = header.map((h) => h.trim().toLowerCase());
  const has = (names: string[]) => names.every((n) => columns.includes(n));
  let kind: LoadKind;
  if (has(LIST_SIZE_COLUMNS)) kind = 'list_sizes';
  else if (has(EXTRACT_COLUMNS.filter((c) => c !== 'service_id')) && (columns.includes('service_id') || service)) kind = 'extract';
  else {
    throw new Error(
      `Unrecognised header "${header.join(',')}". Expected ${EXTRACT_COLUMNS.join(',')} (service_id may come from --service) or ${LIST_SIZE_COLUMNS.join(',')}.`,
    );
  }
  const wanted = kind === 'extract' ? EXTRACT_COLUMNS : LIST_SIZE_COLUMNS;
  const rows = body.map((values) => {
    const row: Record<string, string | number | null> = {};
    for (const name of wanted) {
      const index = columns.indexOf(name);
      const raw = index >= 0 ? values[index] : undefined;
      // Codes, ids and dates stay text; the figures become numbers.
      row[name] = ['ods_code', 'service_id', 'achievement_date', 'indicator_code', 'effective_from'].includes(name) ? (raw ?? '').trim() || null : cell(raw);
    }
    if (kind === 'extract' && row.service_id === null && service) row.service_id = service;
    return row;
  });
  return { kind, rows };
}

async function target(): Promise<{ url: string; serviceRoleKey: string }> {
  const url = process.env.SUPABASE_URL;
  const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (url && serviceRoleKey) return { url, serviceRoleKey };
  const file = envFilePath(loadStackConfig());
  let env: StackEnv;
  try {
    env = JSON.parse(await fs.readFile(file, 'utf8')) as StackEnv;
  } catch {
    throw new Error(`No SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY in the environment, and no local stack (${file} not found): start it with npm start.`);
  }
  return { url: env.SUPABASE_URL, serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY };
}

/** POST /rest/v1/rpc/<fn> with the service-role key (plain fetch: supabase-js needs WebSocket support Node 20 lacks). */
async function rpc(url: string, serviceRoleKey: string, fn: string, args: Record<string, unknown>): Promise<{ data: unknown; error: { message: string } | null }> {
  const response = await fetch(`${url.replace(/\/+$/, '')}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok) {
    const message = (body as { message?: unknown } | null)?.message;
    return { data: null, error: { message: typeof message === 'string' ? message : `HTTP ${response.status}: ${text.slice(0, 200)}` } };
  }
  return { data: body, error: null };
}

async function main(argv: string[]): Promise<void> {
  const serviceAt = argv.indexOf('--service');
  const service = serviceAt >= 0 ? argv[serviceAt + 1] : undefined;
  const files = argv.filter((a, i) => !a.startsWith('--') && !(serviceAt >= 0 && i === serviceAt + 1));
  if (files.length !== 1 || (serviceAt >= 0 && !service)) {
    throw new Error('Usage: npx tsx scripts/load-achievement-extract.ts <file.csv> [--service <service id>]');
  }
  const { kind, rows } = rowsFromCsv(await fs.readFile(files[0]!, 'utf8'), service);
  const { url, serviceRoleKey } = await target();
  let batchNumber = 0;
  for (let start = 0; start < rows.length; start += BATCH) {
    batchNumber++;
    const batch = rows.slice(start, start + BATCH);
    const label = rows.length > BATCH ? `batch ${batchNumber} (file rows ${start + 1}–${start + batch.length})` : `${batch.length} row(s)`;
    if (kind === 'list_sizes') {
      const { data, error } = await rpc(url, serviceRoleKey, 'load_list_sizes', { p_rows: batch });
      if (error) throw new Error(`${label} not loaded: ${error.message}`);
      console.log(`${label}: ${String(data)} list size(s) added or changed.`);
    } else {
      const { data, error } = await rpc(url, serviceRoleKey, 'load_achievement_extract', { p_rows: batch });
      if (error) throw new Error(`${label} not loaded: ${error.message}`);
      const r = data as { rows: number; achievements: number; changed: number; unchanged: number };
      console.log(`${label}: ${r.achievements} achievement(s), ${r.changed} submitted and calculated, ${r.unchanged} unchanged.`);
    }
  }
  if (rows.length === 0) console.log('The file has a header but no rows: nothing to load.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
