// The Achievement Summary Report renderers (supabase/functions/_shared/achievement-summary.ts),
// in Node: one row per indicator with its inputs and a declared total per
// declaration, numerics written exactly in the CSV, text neutralised, the XLSX
// read back with exceljs, and the refusal to render a declaration whose
// indicators do not add up to its declared payment.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  ACHIEVEMENT_SUMMARY_HEADERS,
  AchievementSummaryMismatch,
  achievementSummaryFileName,
  DECLARATION_TOTAL_LABEL,
  declarationTotals,
  renderAchievementSummaryCsv,
  renderAchievementSummaryXlsx,
  type AchievementSummaryRow,
} from '../../supabase/functions/_shared/achievement-summary.ts';
import { MONEY_FORMAT, UTF8_BOM } from '../../supabase/functions/_shared/payment-file.ts';

function row(overrides: Partial<AchievementSummaryRow>): AchievementSummaryRow {
  return {
    declaration_id: 'd1',
    provider_ods_code: 'ZP1001',
    provider_name: 'Riverside Medical Centre',
    service_name: 'Network Contract DES 2025/26',
    achievement_date: '2025-09-30',
    declaration_status: 'awaiting_provider_declaration',
    declared_points: '142.6000',
    declared_payment: '28737.80',
    calculated_payment: '28737.80',
    group_code: 'CAIP',
    group_name: 'Capacity and Access Improvement Payment',
    indicator_code: 'CAIP01',
    indicator_description: 'Patient experience',
    payment_basis: 'per_point',
    network: false,
    numerator: 100,
    denominator: 100,
    count: null,
    percentage: '100.0000',
    lower_threshold: null,
    upper_threshold: null,
    max_points: '60.00',
    points: '60.0000',
    payment_rate: '198.00',
    list_size: 10000,
    reference_list_size: 10000,
    list_size_adjustment: '1.000000',
    payment_exact: '11880.000000',
    awaiting_network: false,
    ...overrides,
  };
}

// ZP1001: three indicators (£11,880 + £7,920 + ACC-08 42.6 × £198 = £8,434.80, VI-01 50 × £10.06 = £503); ZP1002: one, waiting for its PCN.
const ROWS: AchievementSummaryRow[] = [
  row({}),
  row({ indicator_code: 'CAIP02', max_points: '40.00', points: '40.0000', payment_exact: '7920.000000' }),
  row({ group_code: 'IIF', group_name: 'Investment and Impact Fund', indicator_code: 'ACC-08', indicator_description: '=HYPERLINK("x")',
    numerator: 88, percentage: '88.0000', lower_threshold: '85.00', upper_threshold: '90.00', max_points: '71.00', points: '42.6000',
    payment_exact: '8434.800000', network: true }),
  row({ group_code: 'IIF', group_name: 'Investment and Impact Fund', indicator_code: 'VI-01', payment_basis: 'per_unit', numerator: null,
    denominator: null, count: 50, percentage: null, max_points: '0.00', points: '0', payment_rate: '10.06', payment_exact: '503.000000' }),
  row({ declaration_id: 'd2', provider_ods_code: 'ZP1002', provider_name: 'Bridge Street Surgery, "Annexe"', declaration_status: 'awaiting_network_achievement',
    declared_points: '0.0000', declared_payment: '0.00', calculated_payment: '0.00', group_code: 'IIF', group_name: 'Investment and Impact Fund',
    indicator_code: 'ACC-08', network: true, awaiting_network: true, points: '0', payment_exact: '0.000000', list_size_adjustment: '0.800000' }),
];

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
  return records;
}

describe('Achievement Summary Report', () => {
  it('CSV: header, the indicator rows with their inputs as the database wrote them, a declared total per declaration', () => {
    const csv = renderAchievementSummaryCsv(ROWS);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const records = parseCsv(csv.slice(1));
    expect(records[0]).toEqual([...ACHIEVEMENT_SUMMARY_HEADERS]);
    expect(records.every((r) => r.length === ACHIEVEMENT_SUMMARY_HEADERS.length)).toBe(true);
    expect(records.map((r) => [r[0], r[6], r[17], r[22]])).toEqual([
      ['Provider ODS code', 'Indicator', 'Points', 'Payment (£, unrounded)'],
      ['ZP1001', 'CAIP01', '60.0000', '11880.000000'],
      ['ZP1001', 'CAIP02', '40.0000', '7920.000000'],
      ['ZP1001', 'ACC-08', '42.6000', '8434.800000'],
      ['ZP1001', 'VI-01', '0', '503.000000'],
      [DECLARATION_TOTAL_LABEL, '', '142.6000', '28737.80'],
      ['ZP1002', 'ACC-08', '0', '0.000000'],
      [DECLARATION_TOTAL_LABEL, '', '0.0000', '0.00'],
    ]);
    expect(records[3]!.slice(3, 16)).toEqual([
      '30/09/2025', 'Awaiting provider declaration', 'IIF Investment and Impact Fund', 'ACC-08', "'=HYPERLINK(\"x\")", 'Per point', 'Yes', '88', '100', '',
      '88.0000', '85.00', '90.00',
    ]);
    expect(records[5]![1]).toBe('ZP1001 Riverside Medical Centre, Network Contract DES 2025/26, 30/09/2025');
    expect(records[6]![1]).toBe('Bridge Street Surgery, "Annexe"');
    expect(records[6]![9]).toBe('Yes (awaiting network achievement)');
    expect(achievementSummaryFileName(ROWS, 'csv')).toBe('achievement-summary-2025-09-30.csv');
  });

  it('XLSX: the same rows as numbers with £ formats; each declared total is its indicators\' sum rounded once', async () => {
    const bytes = await renderAchievementSummaryXlsx(ROWS);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(8);
    expect(sheet.getRow(1).values).toEqual([undefined, ...ACHIEVEMENT_SUMMARY_HEADERS]);
    let sum = 0;
    for (let r = 2; r <= 5; r++) sum += sheet.getRow(r).getCell(23).value as number;
    const total = sheet.getRow(6);
    expect(total.getCell(1).value).toBe(DECLARATION_TOTAL_LABEL);
    expect(total.getCell(23).value).toBe(28737.8);
    expect(total.getCell(23).numFmt).toBe(MONEY_FORMAT);
    expect(Math.round(sum * 100)).toBe(2873780);
    expect(total.getCell(18).value).toBe(142.6);
    // Text stays text: the formula-looking description is not a formula.
    expect(sheet.getRow(4).getCell(8).value).toBe('=HYPERLINK("x")');
    expect(sheet.getRow(4).getCell(8).formula).toBeUndefined();
  });

  it('refuses a declaration whose indicators do not add up to its declared payment, and an empty report', () => {
    const wrong = ROWS.map((r) => (r.declaration_id === 'd1' ? { ...r, declared_payment: '28737.79' } : r));
    expect(() => declarationTotals(wrong)).toThrow(AchievementSummaryMismatch);
    expect(() => renderAchievementSummaryCsv(wrong)).toThrow(
      'ZP1001 Riverside Medical Centre, Network Contract DES 2025/26, 30/09/2025: its indicators add up to £28737.80, but £28737.79 is declared. The report is not produced.',
    );
    expect(() => renderAchievementSummaryCsv([])).toThrow('There is nothing to report');
    expect(() => renderAchievementSummaryCsv([row({ payment_exact: 'NaN' })])).toThrow(AchievementSummaryMismatch);
  });
});
