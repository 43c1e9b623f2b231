// The Achievement Summary Report ("Run Achievement Summary Report" on the
// Declare and Declaration Management pages), as CSV and as XLSX: for each
// declaration chosen, one row per indicator with every input of its
// calculation — values, thresholds, points, £ per point or unit, list sizes
// and adjustment, the exact payment — then a total row with the figures being
// declared (points, and the payment rounded once).
//
// The rows come from public.achievement_summary_rows (the database decides
// who reads which declaration). Before anything is written each declaration
// is checked: its indicators' payments, summed unrounded and rounded once by
// the database (calculated_payment), must equal the declared payment to the
// penny. A report that does not add up is never produced
// (AchievementSummaryMismatch).
//
// CSV and XLSX follow the payment file's rules (_shared/payment-file.ts, whose
// helpers this reuses): RFC 4180 with a byte-order mark, text that a
// spreadsheet would run as a formula neutralised, numbers as numbers, money
// with the £ format in Excel. Runs unchanged in Deno and in Node.
import ExcelJS from 'exceljs';
import { csvField, formatPence, MONEY_FORMAT, PAYMENT_FILE_CONTENT_TYPES, toPence, UTF8_BOM, type PaymentFileFormat } from './payment-file.ts';

/** One indicator of one declaration, as public.achievement_summary_rows returns it (numerics may arrive as strings). */
export interface AchievementSummaryRow {
  declaration_id: string;
  provider_ods_code: string;
  provider_name: string;
  service_name: string;
  /** ISO date, `YYYY-MM-DD`. */
  achievement_date: string;
  declaration_status: string;
  declared_points: number | string | null;
  declared_payment: number | string | null;
  calculated_payment: number | string | null;
  group_code: string;
  group_name: string;
  indicator_code: string;
  indicator_description: string;
  payment_basis: string;
  network: boolean;
  numerator: number | null;
  denominator: number | null;
  count: number | null;
  percentage: number | string | null;
  lower_threshold: number | string | null;
  upper_threshold: number | string | null;
  max_points: number | string;
  points: number | string;
  payment_rate: number | string;
  list_size: number | null;
  reference_list_size: number | null;
  list_size_adjustment: number | string;
  payment_exact: number | string;
  awaiting_network: boolean;
}

export type AchievementSummaryFormat = PaymentFileFormat;
export const ACHIEVEMENT_SUMMARY_CONTENT_TYPES = PAYMENT_FILE_CONTENT_TYPES;

export const ACHIEVEMENT_SUMMARY_HEADERS = [
  'Provider ODS code',
  'Provider name',
  'Service',
  'Achievement date',
  'Declaration status',
  'Indicator group',
  'Indicator',
  'Description',
  'Basis',
  'Network',
  'Numerator',
  'Denominator',
  'Count',
  'Percentage',
  'Lower threshold',
  'Upper threshold',
  'Maximum points',
  'Points',
  'Rate (£)',
  'List size',
  'Reference list size',
  'List size adjustment',
  'Payment (£, unrounded)',
] as const;

/** The first cell of each declaration's total row. */
export const DECLARATION_TOTAL_LABEL = 'Declared total';

export const STATUS_LABELS: Record<string, string> = {
  awaiting_network_achievement: 'Awaiting network achievement',
  awaiting_provider_declaration: 'Awaiting provider declaration',
  awaiting_commissioner_approval: 'Awaiting Commissioning Organisation approval',
  awaiting_finance_approval: 'Awaiting finance approval',
  approved_for_payment: 'Approved for payment',
};

/** A declaration's indicators do not add up to its declared payment: the report is not written. */
export class AchievementSummaryMismatch extends Error {
  override name = 'AchievementSummaryMismatch';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** `2025-09-30` → `30/09/2025`. */
function ukDate(iso: string): string {
  if (!ISO_DATE.test(iso)) throw new AchievementSummaryMismatch(`The achievement date ${iso} is not a date (YYYY-MM-DD).`);
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** A numeric as a number (null stays null); refuses anything that is not a plain decimal. */
function decimal(value: number | string | null, what: string): number | null {
  if (value === null) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!DECIMAL.test(text) && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new AchievementSummaryMismatch(`${what} is not a number: ${String(value)}`);
  }
  return Number(text);
}

/** A numeric for the CSV: its decimal text as the database gave it (no floating-point rounding), empty for null. */
function decimalText(value: number | string | null, what: string): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!DECIMAL.test(text) && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new AchievementSummaryMismatch(`${what} is not a number: ${String(value)}`);
  }
  return text;
}

export interface DeclarationTotal {
  declaration_id: string;
  label: string;
  points: number | string | null;
  paymentPence: number;
  /** Index (in the rows) of the declaration's last indicator. */
  lastRow: number;
}

/**
 * The declarations of the rows, in order, each checked: its indicators' payments (summed unrounded and rounded once by
 * the database) must equal the declared payment. Throws AchievementSummaryMismatch otherwise, or when there are no rows.
 */
export function declarationTotals(rows: readonly AchievementSummaryRow[]): DeclarationTotal[] {
  if (rows.length === 0) throw new AchievementSummaryMismatch('There is nothing to report: no indicator results for these declarations.');
  const totals: DeclarationTotal[] = [];
  rows.forEach((row, index) => {
    const last = totals.at(-1);
    if (last && last.declaration_id === row.declaration_id) {
      last.lastRow = index;
      return;
    }
    const label = `${row.provider_ods_code} ${row.provider_name}, ${row.service_name}, ${ukDate(row.achievement_date)}`;
    if (row.declared_payment === null || row.calculated_payment === null) {
      throw new AchievementSummaryMismatch(`${label}: no payment has been calculated. The report is not produced.`);
    }
    const declared = toPence(row.declared_payment, `The declared payment of ${label}`);
    const calculated = toPence(row.calculated_payment, `The calculated payment of ${label}`);
    if (declared !== calculated) {
      throw new AchievementSummaryMismatch(
        `${label}: its indicators add up to £${formatPence(calculated)}, but £${formatPence(declared)} is declared. The report is not produced.`,
      );
    }
    totals.push({ declaration_id: row.declaration_id, label, points: row.declared_points, paymentPence: declared, lastRow: index });
  });
  return totals;
}

/** `achievement-summary-2025-09-30.csv` (the latest achievement date in the report). */
export function achievementSummaryFileName(rows: readonly AchievementSummaryRow[], format: AchievementSummaryFormat): string {
  const latest = rows.map((row) => row.achievement_date).filter((date) => ISO_DATE.test(date)).sort().at(-1);
  return `achievement-summary-${latest ?? 'empty'}.${format}`;
}

function basisLabel(basis: string): string {
  return basis === 'per_unit' ? 'Per unit' : basis === 'per_point' ? 'Per point' : basis;
}

/** The cells of one indicator row, numbers as numbers (XLSX) or exact text (CSV). */
function cells<N>(row: AchievementSummaryRow, number: (value: number | string | null, what: string) => N) {
  const what = `${row.provider_ods_code} ${row.indicator_code}`;
  return [
    row.provider_ods_code,
    row.provider_name,
    row.service_name,
    ukDate(row.achievement_date),
    STATUS_LABELS[row.declaration_status] ?? row.declaration_status,
    `${row.group_code} ${row.group_name}`,
    row.indicator_code,
    row.indicator_description,
    basisLabel(row.payment_basis),
    row.network ? (row.awaiting_network ? 'Yes (awaiting network achievement)' : 'Yes') : 'No',
    row.numerator,
    row.denominator,
    row.count,
    number(row.percentage, `The percentage of ${what}`),
    number(row.lower_threshold, `The lower threshold of ${what}`),
    number(row.upper_threshold, `The upper threshold of ${what}`),
    number(row.max_points, `The maximum points of ${what}`),
    number(row.points, `The points of ${what}`),
    number(row.payment_rate, `The rate of ${what}`),
    row.list_size,
    row.reference_list_size,
    number(row.list_size_adjustment, `The list size adjustment of ${what}`),
    number(row.payment_exact, `The payment of ${what}`),
  ] as const;
}

// ---------------------------------------------------------------- CSV

/** The CSV report: byte-order mark, header, per declaration its indicator rows then its total row. */
export function renderAchievementSummaryCsv(rows: readonly AchievementSummaryRow[]): string {
  const totals = declarationTotals(rows);
  const line = (fields: string[]) => `${fields.join(',')}\r\n`;
  const blanks = (n: number) => Array.from({ length: n }, () => '');
  let csv = UTF8_BOM + line(ACHIEVEMENT_SUMMARY_HEADERS.map((header) => csvField(header)));
  let next = 0;
  rows.forEach((row, index) => {
    // Numerics as the database wrote them (never neutralised: a number is not a formula); text through csvField.
    csv += line(
      cells(row, (value, what) => ({ exact: decimalText(value, what) })).map((cell) =>
        cell === null ? '' : typeof cell === 'object' ? cell.exact : csvField(cell),
      ),
    );
    const total = totals[next];
    if (total && total.lastRow === index) {
      // Points under Points, the declared payment (rounded once) under Payment.
      csv += line([
        csvField(DECLARATION_TOTAL_LABEL),
        csvField(total.label),
        ...blanks(15),
        decimalText(total.points, `The declared points of ${total.label}`),
        ...blanks(4),
        formatPence(total.paymentPence),
      ]);
      next++;
    }
  });
  return csv;
}

// ---------------------------------------------------------------- XLSX

const COLUMN_WIDTHS = [12, 30, 30, 12, 26, 34, 10, 40, 10, 12, 10, 11, 8, 11, 10, 10, 10, 10, 9, 9, 10, 11, 16];
const POINTS_FORMAT = '#,##0.00##';
const EXACT_MONEY_FORMAT = '"£"#,##0.00####';

/** The XLSX report (one sheet), as bytes. */
export async function renderAchievementSummaryXlsx(rows: readonly AchievementSummaryRow[]): Promise<Uint8Array<ArrayBuffer>> {
  const totals = declarationTotals(rows);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'NHS Commissioning Portal';
  workbook.title = 'Achievement Summary Report';
  const latest = rows.map((row) => row.achievement_date).sort().at(-1)!;
  // Fixed dates: the same declarations always give the same workbook properties.
  workbook.created = new Date(`${latest}T00:00:00Z`);
  workbook.modified = workbook.created;

  const sheet = workbook.addWorksheet('Achievement summary', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ACHIEVEMENT_SUMMARY_HEADERS.map((header, index) => ({ header, width: COLUMN_WIDTHS[index] }));
  sheet.getRow(1).font = { bold: true };
  for (const column of [14, 15, 16, 17, 18]) sheet.getColumn(column).numFmt = POINTS_FORMAT;
  sheet.getColumn(19).numFmt = MONEY_FORMAT;
  sheet.getColumn(22).numFmt = '0.00####';
  sheet.getColumn(23).numFmt = EXACT_MONEY_FORMAT;

  let next = 0;
  rows.forEach((row, index) => {
    sheet.addRow([...cells(row, decimal)]);
    const total = totals[next];
    if (total && total.lastRow === index) {
      const totalRow = sheet.addRow([
        DECLARATION_TOTAL_LABEL,
        total.label,
        ...Array.from({ length: 15 }, () => null),
        decimal(total.points, `The declared points of ${total.label}`),
        null,
        null,
        null,
        null,
        total.paymentPence / 100,
      ]);
      totalRow.font = { bold: true };
      totalRow.border = { top: { style: 'thin' }, bottom: { style: 'double' } };
      totalRow.getCell(23).numFmt = MONEY_FORMAT;
      next++;
    }
  });

  // exceljs answers a Node Buffer (Deno's is its Node polyfill): copy it into a plain byte array.
  const buffer = (await workbook.xlsx.writeBuffer()) as unknown as Uint8Array;
  return new Uint8Array(buffer);
}
