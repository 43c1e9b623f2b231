// The payment file renderers (supabase/functions/_shared/payment-file.ts), in
// Node: CSV quoting and formula neutralising, the XLSX read back with exceljs
// (rows, £ formats, control total = sum of the lines), and the refusal to
// render a file whose lines do not add up to the run's total.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  CONTROL_TOTAL_LABEL,
  controlTotals,
  csvField,
  formatPence,
  MONEY_FORMAT,
  PAYMENT_FILE_HEADERS,
  PaymentFileMismatch,
  paymentFileName,
  renderPaymentCsv,
  renderPaymentXlsx,
  toPence,
  UTF8_BOM,
  type PaymentFileRow,
  type PaymentFileRun,
} from '../../supabase/functions/_shared/payment-file.ts';

function line(overrides: Partial<PaymentFileRow>): PaymentFileRow {
  return {
    line_number: 1,
    provider_ods_code: 'ZP1001',
    provider_name: 'Riverside Medical Practice',
    claim_number: 36001,
    service: 'Complex Care Plans',
    component: 'Care plan',
    period: 'Q2 2025/26',
    units: 3,
    unit_price: 193.42,
    amount: 580.26,
    ...overrides,
  };
}

// Two claims, three lines; amounts arrive as numbers and as strings (postgres.js gives numeric as text).
const ROWS: PaymentFileRow[] = [
  line({ line_number: 1 }),
  line({ line_number: 2, component: 'Retainer', units: 1, unit_price: '1500.00', amount: '1500.00' }),
  line({
    line_number: 3,
    provider_ods_code: 'ZP1002',
    provider_name: 'Bridge Street Surgery, "Annexe"',
    claim_number: '36002',
    service: 'Depot Antipsychotic Injections',
    component: 'Injection',
    units: 7,
    unit_price: 12.5,
    amount: 87.5,
  }),
];
const TOTAL_PENCE = 58026 + 150000 + 8750;

const RUN: PaymentFileRun = {
  run_number: 9001,
  commissioner_ods_code: 'ZN1',
  commissioner_name: 'Northshire ICB',
  payment_date: '2026-12-15',
  claim_count: 2,
  total: '2167.76',
};

/** RFC 4180 parser (enough for the tests): fields, quotes, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

describe('money in pence', () => {
  it('reads numbers and numeric strings exactly', () => {
    expect(toPence(193.42, 'x')).toBe(19342);
    expect(toPence('1500.00', 'x')).toBe(150000);
    expect(toPence('0.1', 'x')).toBe(10);
    expect(toPence(-12.5, 'x')).toBe(-1250);
    expect(formatPence(216776)).toBe('2167.76');
    expect(formatPence(5)).toBe('0.05');
    expect(formatPence(-1250)).toBe('-12.50');
  });

  it('refuses what is not money', () => {
    expect(() => toPence('12.345', 'The amount')).toThrow(PaymentFileMismatch);
    expect(() => toPence('£12', 'The amount')).toThrow(PaymentFileMismatch);
    expect(() => toPence(Number.NaN, 'The amount')).toThrow(PaymentFileMismatch);
  });
});

describe('control totals', () => {
  it('count the lines and claims and add the amounts', () => {
    expect(controlTotals(RUN, ROWS)).toEqual({ lines: 3, claims: 2, totalPence: TOTAL_PENCE });
  });

  it('refuse rows whose sum differs from the run total, by as little as a penny', () => {
    expect(() => controlTotals({ ...RUN, total: '2167.75' }, ROWS)).toThrow(/add up to £2167\.76, but the run's total is £2167\.75/);
  });

  it('refuse rows that name a different number of claims', () => {
    expect(() => controlTotals({ ...RUN, claim_count: 3 }, ROWS)).toThrow(/name 2 claim\(s\), but the run has 3/);
  });

  it('an empty run adds up only to £0.00 with no claims', () => {
    expect(controlTotals({ ...RUN, claim_count: 0, total: 0 }, [])).toEqual({ lines: 0, claims: 0, totalPence: 0 });
  });
});

describe('file names', () => {
  it('name the run number and the payment date', () => {
    expect(paymentFileName(RUN, 'csv')).toBe('payment-run-9001-2026-12-15.csv');
    expect(paymentFileName({ run_number: '9002', payment_date: '2027-01-05' }, 'xlsx')).toBe('payment-run-9002-2027-01-05.xlsx');
  });

  it('refuse a payment date that could put anything else in the name', () => {
    expect(() => paymentFileName({ run_number: 9001, payment_date: '../etc' }, 'csv')).toThrow(PaymentFileMismatch);
  });
});

describe('CSV', () => {
  it('neutralises text a spreadsheet would run as a formula, with an apostrophe', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvField(`${start}HYPERLINK("http://x")`).replace(/^"|"$/g, '')).toMatch(/^'/);
    }
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // Numbers are data, not text: a negative amount is not neutralised.
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField('Plain, with comma')).toBe('"Plain, with comma"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('is a byte-order mark, the header, one line per claim line and the control total, with CRLF line ends', () => {
    const csv = renderPaymentCsv(RUN, ROWS);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parseCsv(csv.slice(1));
    expect(records).toEqual([
      [...PAYMENT_FILE_HEADERS],
      ['ZP1001', 'Riverside Medical Practice', '36001', 'Complex Care Plans', 'Care plan', 'Q2 2025/26', '3', '193.42', '580.26'],
      ['ZP1001', 'Riverside Medical Practice', '36001', 'Complex Care Plans', 'Retainer', 'Q2 2025/26', '1', '1500.00', '1500.00'],
      ['ZP1002', 'Bridge Street Surgery, "Annexe"', '36002', 'Depot Antipsychotic Injections', 'Injection', 'Q2 2025/26', '7', '12.50', '87.50'],
      [CONTROL_TOTAL_LABEL, 'Run 9001 for ZN1 Northshire ICB, payment date 15/12/2026', '2', '', '', '', '3', '', '2167.76'],
    ]);
  });

  it('keeps a formula-like provider name as text', () => {
    const rows = [line({ provider_name: '=HYPERLINK("http://evil.example","Click")', amount: 580.26 })];
    const records = parseCsv(renderPaymentCsv({ ...RUN, claim_count: 1, total: 580.26 }, rows).slice(1));
    expect(records[1]![1]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
  });

  it('control total equals the sum of the amount column', () => {
    const records = parseCsv(renderPaymentCsv(RUN, ROWS).slice(1));
    const lines = records.slice(1, -1);
    const sum = lines.reduce((pence, record) => pence + toPence(record[8]!, 'amount'), 0);
    expect(toPence(records.at(-1)![8]!, 'control total')).toBe(sum);
    expect(sum).toBe(toPence(RUN.total, 'run total'));
  });

  it('is not rendered when the lines do not add up', () => {
    expect(() => renderPaymentCsv({ ...RUN, total: '2200.00' }, ROWS)).toThrow(PaymentFileMismatch);
  });
});

describe('XLSX (read back with exceljs)', () => {
  async function readBack(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(1);
    return workbook.worksheets[0]!;
  }

  it('has one sheet: header row, one row per claim line, then the control total row', async () => {
    const sheet = await readBack(await renderPaymentXlsx(RUN, ROWS));
    expect(sheet.name).toBe('Run 9001');
    expect(sheet.rowCount).toBe(1 + ROWS.length + 1);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...PAYMENT_FILE_HEADERS]);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      'ZP1001', 'Riverside Medical Practice', 36001, 'Complex Care Plans', 'Care plan', 'Q2 2025/26', 3, 193.42, 580.26,
    ]);
    expect((sheet.getRow(4).values as unknown[]).slice(1)).toEqual([
      'ZP1002', 'Bridge Street Surgery, "Annexe"', 36002, 'Depot Antipsychotic Injections', 'Injection', 'Q2 2025/26', 7, 12.5, 87.5,
    ]);
  });

  it('writes money as numbers with a £ two-decimal format', async () => {
    const sheet = await readBack(await renderPaymentXlsx(RUN, ROWS));
    for (let r = 2; r <= 1 + ROWS.length; r++) {
      for (const c of [8, 9]) {
        const cell = sheet.getRow(r).getCell(c);
        expect(typeof cell.value).toBe('number');
        expect(cell.numFmt).toBe(MONEY_FORMAT);
      }
    }
    expect(MONEY_FORMAT).toBe('"£"#,##0.00');
  });

  it('its control total row counts the claims and lines and equals the sum of the amounts', async () => {
    const sheet = await readBack(await renderPaymentXlsx(RUN, ROWS));
    const control = sheet.getRow(sheet.rowCount);
    expect(control.getCell(1).value).toBe(CONTROL_TOTAL_LABEL);
    expect(control.getCell(2).value).toBe('Run 9001 for ZN1 Northshire ICB, payment date 15/12/2026');
    expect(control.getCell(3).value).toBe(2);
    expect(control.getCell(7).value).toBe(3);
    expect(control.getCell(9).numFmt).toBe(MONEY_FORMAT);
    let sumPence = 0;
    for (let r = 2; r < sheet.rowCount; r++) sumPence += Math.round((sheet.getRow(r).getCell(9).value as number) * 100);
    expect(Math.round((control.getCell(9).value as number) * 100)).toBe(sumPence);
    expect(sumPence).toBe(TOTAL_PENCE);
  });

  it('stores a formula-like name as text, not as a formula', async () => {
    const name = '=HYPERLINK("http://evil.example","Click")';
    const sheet = await readBack(await renderPaymentXlsx({ ...RUN, claim_count: 1, total: 580.26 }, [line({ provider_name: name })]));
    const cell = sheet.getRow(2).getCell(2);
    expect(cell.value).toBe(name);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
  });

  it('is not rendered when the lines do not add up', async () => {
    await expect(renderPaymentXlsx({ ...RUN, total: '2167.77' }, ROWS)).rejects.toThrow(PaymentFileMismatch);
  });
});
