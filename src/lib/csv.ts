// CSV text from rows, as RFC 4180 writes it (comma separated, CRLF line ends,
// fields quoted when they hold a comma, a quote or a line break, quotes
// doubled). Text that a spreadsheet would run as a formula — starting with
// =, +, -, @, a tab or a carriage return — is prefixed with an apostrophe
// (OWASP's advice on CSV injection), so "=HYPERLINK(…)" in a name stays text.
// Numbers are written as they are. Pure: the caller adds a byte-order mark
// and downloads (see downloadCsv).
import { saveBlob } from './save-blob.ts';

export type CsvValue = string | number | boolean | null | undefined;

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => CsvValue;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, escaped. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, then one line per row; every line ends with CRLF. */
export function toCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  const lines = [columns.map((column) => csvField(column.header))];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))));
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** Byte-order mark: tells Excel the file is UTF-8 (otherwise "Île" arrives as "ÃŽle"). */
export const UTF8_BOM = '\uFEFF';

/** Save CSV text as a file in the browser, UTF-8 with a byte-order mark. */
export function downloadCsv(fileName: string, csv: string): void {
  saveBlob(new Blob([UTF8_BOM, csv], { type: 'text/csv;charset=utf-8' }), fileName);
}
