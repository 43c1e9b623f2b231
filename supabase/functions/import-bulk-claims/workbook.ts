// The bulk claims spreadsheet: writing the template and reading an upload.
// Runs unchanged in Deno (the function) and Node (unit tests): exceljs and
// fflate by bare specifier, mapped in supabase/functions/deno.json.
//
// Reading treats every cell as a value: a formula cell becomes its own text
// ("=HYPERLINK(…)"), never its cached result and never evaluated; rich text and
// hyperlinks become their text. What the rows mean is the database's to decide
// (public.import_bulk_claims); this module only finds them.
import ExcelJS, { type CellValue, type Row } from 'exceljs';
import { unzipSync } from 'fflate';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Unpacked size allowed: a 5 MB upload that inflates past this is refused (zip bomb). */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const SHEET_NAME = 'Bulk claims';

/** The columns, in the template's order; upload headers are matched by these names (any case). */
export const COLUMNS = [
  { key: 'ods_code', header: 'Provider ODS code', width: 18 },
  { key: 'provider_name', header: 'Provider name', width: 34 },
  { key: 'service', header: 'Service', width: 40 },
  { key: 'component', header: 'Component', width: 32 },
  { key: 'kind', header: 'Kind', width: 10 },
  { key: 'period', header: 'Period', width: 14 },
  { key: 'unit_price', header: 'Unit price or amount (£)', width: 22 },
  { key: 'units', header: 'Units', width: 10 },
] as const;
/** Columns an upload must have (the others are for reading only). */
const REQUIRED = ['ods_code', 'service', 'component', 'period', 'units'] as const;

export interface TemplateRow {
  provider_ods_code: string;
  provider_name: string;
  service_name: string;
  component_name: string;
  kind: 'unit' | 'retainer';
  period_label: string;
  unit_price: number | string | null;
  closes_on: string | null;
}

export interface UploadedRow {
  row: number;
  ods_code: string | null;
  service: string | null;
  component: string | null;
  period: string | null;
  units: string | number | null;
}

/** The file is not something this function reads; `status` is the HTTP answer (415, 422). */
export class WorkbookError extends Error {
  constructor(
    readonly status: 415 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const INSTRUCTIONS = [
  'How to make bulk claims',
  '1. On the "Bulk claims" sheet, enter the units in the Units column for each row to claim. Leave the other columns as they are.',
  '2. Unit components: a whole number of units, 0 or more. Retainers: 1 to claim the fixed amount, 0 or blank not to.',
  '3. A blank Units cell claims nothing for that row. Rows of one provider, service and period become one claim.',
  '4. Save the file as Excel (.xlsx), at most 5 MB, and upload it on the Bulk Claims page.',
  '5. Every row is checked: if any row cannot be claimed, nothing is created and the page lists each row\'s problem. Correct them and upload again.',
  '6. Each claim is created by you, counts as your Tier 1 approval and waits for Tier 2 review by someone else.',
  'Prices are shown for reading only: the portal computes every amount itself. Formulas are not calculated: type numbers.',
  'Not in the template, because the practice claims them itself: components that need evidence, and services with questions only the practice can answer.',
];

/** The template workbook: the rows (units empty) and an instructions sheet. */
export async function buildTemplate(rows: TemplateRow[], title: string): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Commissioning Portal';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({ header: column.header, key: column.key, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow({
      ods_code: row.provider_ods_code,
      provider_name: row.provider_name,
      service: row.service_name,
      component: row.component_name,
      kind: row.kind === 'retainer' ? 'Retainer' : 'Unit',
      period: row.period_label,
      unit_price: row.unit_price === null ? null : Number(row.unit_price),
      units: null,
    });
  }
  sheet.getColumn('unit_price').numFmt = '£#,##0.00';
  const unitsColumn = COLUMNS.findIndex((column) => column.key === 'units') + 1;
  for (let r = 2; r <= rows.length + 1; r++) {
    const cell = sheet.getCell(r, unitsColumn);
    cell.dataValidation = {
      type: 'whole',
      operator: 'between',
      formulae: [0, 100000],
      allowBlank: true,
      showErrorMessage: true,
      errorTitle: 'Units',
      error: 'Enter a whole number of units from 0 to 100,000 (retainers: 0 or 1).',
    };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF8DC' } };
  }
  const help = workbook.addWorksheet('Instructions');
  help.getColumn(1).width = 120;
  help.addRow([title]).font = { bold: true, size: 14 };
  for (const line of INSTRUCTIONS) help.addRow([line]).alignment = { wrapText: true };
  if (rows.length === 0) help.addRow(['There is nothing to claim for this period: every provider has claimed it, or no window is open.']);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** Is it an Excel workbook (.xlsx)? Decided by the bytes: a zip holding xl/workbook.xml, without macros. */
function sniffXlsx(bytes: Uint8Array): void {
  const notXlsx = () =>
    new WorkbookError(415, 'not_xlsx', 'The file is not an Excel workbook (.xlsx). Download the template, fill it in and save it as .xlsx.');
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) throw notXlsx();
  const names: string[] = [];
  let unpacked = 0;
  try {
    // List the parts without inflating any (filter answers false).
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        unpacked += file.originalSize;
        return false;
      },
    });
  } catch {
    throw notXlsx();
  }
  if (!names.includes('xl/workbook.xml') || !names.includes('[Content_Types].xml')) throw notXlsx();
  if (names.some((name) => name === 'xl/vbaProject.bin' || name.startsWith('xl/macrosheets/'))) {
    throw new WorkbookError(415, 'macros', 'The workbook contains macros, which are never accepted. Save it as an Excel Workbook (.xlsx) without macros.');
  }
  if (unpacked > MAX_UNPACKED_BYTES) {
    throw new WorkbookError(415, 'too_large_unpacked', 'The workbook unpacks to more than 64 MB: upload only the Bulk claims sheet.');
  }
}

/** A cell as the value typed: numbers stay numbers; everything else is text; nothing is evaluated. */
export function cellValue(value: CellValue): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('formula' in value && typeof value.formula === 'string') return `=${value.formula}`;
    if ('sharedFormula' in value && typeof value.sharedFormula === 'string') return `=${value.sharedFormula}`;
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((part) => part.text).join('');
    if ('text' in value && (typeof value.text === 'string' || typeof value.text === 'object')) {
      return typeof value.text === 'string' ? value.text : cellValue(value.text as CellValue);
    }
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

function text(value: string | number | null): string | null {
  if (value === null) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

/** The rows of an uploaded workbook (blank rows left out). Throws WorkbookError for a file that is not the template. */
export async function readClaimRows(bytes: Uint8Array): Promise<UploadedRow[]> {
  sniffXlsx(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw new WorkbookError(415, 'not_xlsx', 'The workbook could not be read: it may be damaged. Open it in Excel, save it as .xlsx and upload it again.');
  }
  const sheet = workbook.getWorksheet(SHEET_NAME) ?? workbook.worksheets[0];
  if (!sheet) throw new WorkbookError(422, 'not_template', 'The workbook has no sheets. Download the template and fill it in.');

  const positions = new Map<string, number>();
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, column) => {
    const header = String(cellValue(cell.value) ?? '').trim().toLowerCase();
    const known = COLUMNS.find((c) => c.header.toLowerCase() === header);
    if (known && !positions.has(known.key)) positions.set(known.key, column);
  });
  const missing = REQUIRED.filter((key) => !positions.has(key)).map((key) => COLUMNS.find((c) => c.key === key)!.header);
  if (missing.length > 0) {
    throw new WorkbookError(422, 'not_template', `The sheet "${sheet.name}" is not the bulk claims template: its first row has no ${missing.map((m) => `"${m}"`).join(', ')} column. Download the template and enter units in it.`);
  }

  const rows: UploadedRow[] = [];
  const at = (row: Row, key: (typeof REQUIRED)[number]) => cellValue(row.getCell(positions.get(key)!).value);
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const units = at(row, 'units');
    const entry: UploadedRow = {
      row: r,
      ods_code: text(at(row, 'ods_code')),
      service: text(at(row, 'service')),
      component: text(at(row, 'component')),
      period: text(at(row, 'period')),
      units: typeof units === 'number' ? units : text(units),
    };
    if (entry.ods_code === null && entry.service === null && entry.component === null && entry.period === null && entry.units === null) continue;
    rows.push(entry);
  }
  return rows;
}
