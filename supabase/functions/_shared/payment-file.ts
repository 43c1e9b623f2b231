// A payment run's payment file (docs/payment-file.md), as CSV and as XLSX:
// one row per claim line — provider ODS code and name, Claim ID, service,
// component, period, units, unit price, amount — then a control total row
// (how many claims and lines, and the total).
//
// The rows come from public.payment_run_file_rows, the run from
// public.payment_runs / payment_deliveries_due. Before anything is written the
// rows are checked against the run: their amounts must add up to the run's
// total to the penny, and they must name exactly the run's number of claims.
// A file that does not add up is never produced (PaymentFileMismatch): money
// must not leave on a file whose control total disagrees with the run.
//
// Runs unchanged in Deno (the edge functions) and in Node (unit tests): only
// web APIs and `exceljs`, mapped in supabase/functions/deno.json to the same
// version the root package.json installs.
//
// CSV: RFC 4180 (comma separated, CRLF line ends, a field quoted when it holds
// a comma, a quote or a line break, quotes doubled), UTF-8 with a byte-order
// mark so Excel reads "Île" correctly. A text cell that a spreadsheet would
// run as a formula — starting with = + - @, a tab or a carriage return — is
// written with an apostrophe in front ("=HYPERLINK(…)" becomes
// "'=HYPERLINK(…)"), OWASP's advice against CSV injection. Numbers are written
// as numbers (money with two decimals, no £ sign), never neutralised: a
// negative amount stays a number. The same rules as the portal's own CSV
// downloads (src/lib/csv.ts), repeated here because edge functions cannot
// import from src/.
//
// XLSX: text cells are stored as text, never as formulas, so the same names
// cannot run in Excel either.
import ExcelJS from 'exceljs';

/** One claim line, as public.payment_run_file_rows returns it (numbers may arrive as strings). */
export interface PaymentFileRow {
  line_number: number;
  provider_ods_code: string;
  provider_name: string;
  claim_number: number | string;
  service: string;
  component: string;
  period: string;
  units: number | string | null;
  unit_price: number | string | null;
  amount: number | string;
}

/** What the file says about its run. */
export interface PaymentFileRun {
  run_number: number | string;
  commissioner_ods_code: string;
  commissioner_name: string;
  /** ISO date, `YYYY-MM-DD`. */
  payment_date: string;
  claim_count: number | string;
  total: number | string;
}

export type PaymentFileFormat = 'csv' | 'xlsx';

export const PAYMENT_FILE_CONTENT_TYPES: Record<PaymentFileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const PAYMENT_FILE_HEADERS = [
  'Provider ODS code',
  'Provider name',
  'Claim ID',
  'Service',
  'Component',
  'Period',
  'Units',
  'Unit price',
  'Amount',
] as const;

/** The first cell of the control total row. */
export const CONTROL_TOTAL_LABEL = 'Control total';

/** Excel number format for money: £ and two decimals, thousands separated. */
export const MONEY_FORMAT = '"£"#,##0.00';

/** The rows do not add up to the run: the file is not written. */
export class PaymentFileMismatch extends Error {
  override name = 'PaymentFileMismatch';
}

/** The control totals of a file that adds up. */
export interface PaymentFileTotals {
  lines: number;
  claims: number;
  /** The total in pence (exact). */
  totalPence: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONEY = /^-?\d{1,12}(\.\d{1,2})?$/;

/** Exact pence from a numeric(12,2) that arrived as a number or a string. */
export function toPence(value: number | string, what: string): number {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  if (!MONEY.test(text)) throw new PaymentFileMismatch(`${what} is not an amount of money: ${String(value)}`);
  const [pounds, pence = ''] = text.replace('-', '').split('.');
  const magnitude = Number(pounds) * 100 + Number(pence.padEnd(2, '0'));
  return text.startsWith('-') ? -magnitude : magnitude;
}

/** `1234.5` → `1234.50`, from pence (no floating-point rounding on the way). */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const magnitude = Math.abs(pence);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

function wholeNumber(value: number | string, what: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new PaymentFileMismatch(`${what} is not a whole number: ${String(value)}`);
  return n;
}

/**
 * Checks the rows against the run and answers the control totals; throws
 * PaymentFileMismatch when the amounts do not add up to the run's total or the
 * rows name a different number of claims.
 */
export function controlTotals(run: PaymentFileRun, rows: readonly PaymentFileRow[]): PaymentFileTotals {
  const runNumber = wholeNumber(run.run_number, 'The run number');
  if (!ISO_DATE.test(run.payment_date)) throw new PaymentFileMismatch(`The payment date ${run.payment_date} is not a date (YYYY-MM-DD).`);
  let totalPence = 0;
  const claims = new Set<string>();
  for (const row of rows) {
    totalPence += toPence(row.amount, `The amount of claim ${String(row.claim_number)}`);
    claims.add(String(wholeNumber(row.claim_number, 'A Claim ID')));
  }
  const runTotal = toPence(run.total, `The total of run ${runNumber}`);
  if (totalPence !== runTotal) {
    throw new PaymentFileMismatch(
      `Run ${runNumber}: its claim lines add up to £${formatPence(totalPence)}, but the run's total is £${formatPence(runTotal)}. The payment file is not produced.`,
    );
  }
  const claimCount = wholeNumber(run.claim_count, 'The claim count');
  if (claims.size !== claimCount) {
    throw new PaymentFileMismatch(
      `Run ${runNumber}: its lines name ${claims.size} claim(s), but the run has ${claimCount}. The payment file is not produced.`,
    );
  }
  return { lines: rows.length, claims: claims.size, totalPence };
}

/** `payment-run-9001-2026-12-15.csv` */
export function paymentFileName(run: Pick<PaymentFileRun, 'run_number' | 'payment_date'>, format: PaymentFileFormat): string {
  const runNumber = wholeNumber(run.run_number, 'The run number');
  if (!ISO_DATE.test(run.payment_date)) throw new PaymentFileMismatch(`The payment date ${run.payment_date} is not a date (YYYY-MM-DD).`);
  return `payment-run-${runNumber}-${run.payment_date}.${format}`;
}

/** `2026-12-15` → `15/12/2026` (UK order, for people reading the file). */
function ukDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** The control total row's description: which run, for whom, paid when. */
export function runDescription(run: PaymentFileRun): string {
  return `Run ${String(run.run_number)} for ${run.commissioner_ods_code} ${run.commissioner_name}, payment date ${ukDate(run.payment_date)}`;
}

// ---------------------------------------------------------------- CSV

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: text neutralised against formulas and quoted when needed; numbers as they are. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Byte-order mark: tells Excel the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

function optionalMoney(value: number | string | null, what: string): string {
  return value === null ? '' : formatPence(toPence(value, what));
}

/** The CSV file: byte-order mark, header, one line per claim line, the control total line. */
export function renderPaymentCsv(run: PaymentFileRun, rows: readonly PaymentFileRow[]): string {
  const totals = controlTotals(run, rows);
  const line = (fields: string[]) => `${fields.join(',')}\r\n`;
  let csv = UTF8_BOM + line(PAYMENT_FILE_HEADERS.map((header) => csvField(header)));
  for (const row of rows) {
    const claim = String(row.claim_number);
    csv += line([
      csvField(row.provider_ods_code),
      csvField(row.provider_name),
      csvField(wholeNumber(row.claim_number, 'A Claim ID')),
      csvField(row.service),
      csvField(row.component),
      csvField(row.period),
      row.units === null ? '' : csvField(wholeNumber(row.units, `The units of claim ${claim}`)),
      optionalMoney(row.unit_price, `The unit price of claim ${claim}`),
      formatPence(toPence(row.amount, `The amount of claim ${claim}`)),
    ]);
  }
  // Control total: claim count under Claim ID, line count under Units, the total under Amount.
  csv += line([
    csvField(CONTROL_TOTAL_LABEL),
    csvField(runDescription(run)),
    csvField(totals.claims),
    '',
    '',
    '',
    csvField(totals.lines),
    '',
    formatPence(totals.totalPence),
  ]);
  return csv;
}

// ---------------------------------------------------------------- XLSX

const COLUMN_WIDTHS = [18, 34, 10, 34, 34, 14, 8, 13, 15];

/** The XLSX file (one sheet named after the run), as bytes. */
export async function renderPaymentXlsx(run: PaymentFileRun, rows: readonly PaymentFileRow[]): Promise<Uint8Array<ArrayBuffer>> {
  const totals = controlTotals(run, rows);
  const runNumber = wholeNumber(run.run_number, 'The run number');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'NHS Commissioning Portal';
  workbook.title = `Payment run ${runNumber}`;
  workbook.subject = runDescription(run);
  // Fixed dates: the same run always gives the same workbook properties.
  workbook.created = new Date(`${run.payment_date}T00:00:00Z`);
  workbook.modified = workbook.created;

  const sheet = workbook.addWorksheet(`Run ${runNumber}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = PAYMENT_FILE_HEADERS.map((header, index) => ({ header, width: COLUMN_WIDTHS[index] }));
  sheet.getRow(1).font = { bold: true };
  sheet.getColumn(3).numFmt = '0';
  sheet.getColumn(7).numFmt = '0';
  sheet.getColumn(8).numFmt = MONEY_FORMAT;
  sheet.getColumn(9).numFmt = MONEY_FORMAT;

  for (const row of rows) {
    const claim = String(row.claim_number);
    sheet.addRow([
      row.provider_ods_code,
      row.provider_name,
      wholeNumber(row.claim_number, 'A Claim ID'),
      row.service,
      row.component,
      row.period,
      row.units === null ? null : wholeNumber(row.units, `The units of claim ${claim}`),
      row.unit_price === null ? null : toPence(row.unit_price, `The unit price of claim ${claim}`) / 100,
      toPence(row.amount, `The amount of claim ${claim}`) / 100,
    ]);
  }

  const control = sheet.addRow([
    CONTROL_TOTAL_LABEL,
    runDescription(run),
    totals.claims,
    null,
    null,
    null,
    totals.lines,
    null,
    totals.totalPence / 100,
  ]);
  control.font = { bold: true };
  control.border = { top: { style: 'thin' }, bottom: { style: 'double' } };
  // The counts read "3 claims" and "5 lines" in Excel while staying numbers.
  control.getCell(3).numFmt = '0 "claims"';
  control.getCell(7).numFmt = '0 "lines"';
  control.getCell(9).numFmt = MONEY_FORMAT;

  // exceljs answers a Node Buffer (Deno's is its Node polyfill): copy it into a plain byte array.
  const buffer = (await workbook.xlsx.writeBuffer()) as unknown as Uint8Array;
  return new Uint8Array(buffer);
}
