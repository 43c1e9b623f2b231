// The bulk claims workbook module of the import-bulk-claims function, in Node:
// cells read as values (formulas as their text, never their cached result),
// blank rows left out, header columns found by name, and files that are not
// an .xlsx (or carry macros) refused by their bytes.
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildTemplate, cellValue, readClaimRows, WorkbookError } from '../../supabase/functions/import-bulk-claims/workbook.ts';

async function bytesOf(book: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
}

async function refusal(bytes: Uint8Array): Promise<WorkbookError> {
  const error = await readClaimRows(bytes).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkbookError);
  return error as WorkbookError;
}

describe('bulk claims workbook', () => {
  it('reads every kind of cell as a value, never evaluating a formula', () => {
    expect(cellValue(12)).toBe(12);
    expect(cellValue('  ZP1001 ')).toBe('  ZP1001 ');
    expect(cellValue(null)).toBeNull();
    expect(cellValue(true)).toBe('TRUE');
    expect(cellValue(new Date('2025-10-01T00:00:00Z'))).toBe('2025-10-01');
    expect(cellValue({ formula: 'HYPERLINK("http://evil.example","12")', result: 12 })).toBe('=HYPERLINK("http://evil.example","12")');
    expect(cellValue({ sharedFormula: 'A1*2', result: 4 } as ExcelJS.CellValue)).toBe('=A1*2');
    expect(cellValue({ richText: [{ text: 'Complex ' }, { text: 'care' }] })).toBe('Complex care');
    expect(cellValue({ text: 'ZP1002', hyperlink: 'http://evil.example' })).toBe('ZP1002');
    expect(cellValue({ error: '#N/A' } as ExcelJS.CellValue)).toBe('#N/A');
  });

  it('round-trips the template: rows with their sheet row numbers, units blank, blank rows left out', async () => {
    const template = await buildTemplate(
      [
        { provider_ods_code: 'ZP1001', provider_name: 'Riverside', service_name: 'Complex Care Plans 2025/26', component_name: 'Complex care plan created', kind: 'unit', period_label: 'Q3 2025/26', unit_price: '193.42', closes_on: '2026-01-06' },
        { provider_ods_code: 'ZP1001', provider_name: 'Riverside', service_name: 'Complex Care Plans 2025/26', component_name: 'Care co-ordination retainer', kind: 'retainer', period_label: 'Q3 2025/26', unit_price: '1500.00', closes_on: '2026-01-06' },
      ],
      'Bulk claims for Q3 2025/26',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.buffer as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Bulk claims', 'Instructions']);
    const sheet = book.getWorksheet('Bulk claims')!;
    sheet.getCell('H2').value = 12;
    sheet.addRow([]);
    sheet.addRow(['ZP1002', null, 'Complex Care Plans 2025/26', 'Complex care plan created', 'Unit', 'Q3 2025/26', 200, '  5 ']);
    expect(await readClaimRows(await bytesOf(book))).toEqual([
      { row: 2, ods_code: 'ZP1001', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: 12 },
      { row: 3, ods_code: 'ZP1001', service: 'Complex Care Plans 2025/26', component: 'Care co-ordination retainer', period: 'Q3 2025/26', units: null },
      { row: 5, ods_code: 'ZP1002', service: 'Complex Care Plans 2025/26', component: 'Complex care plan created', period: 'Q3 2025/26', units: '5' },
    ]);
  });

  it('finds the columns by their headers, in any order and letter case', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Mine');
    sheet.addRow(['UNITS', 'period', 'Component', 'Service', 'Provider ODS code']);
    sheet.addRow([3, 'Q3 2025/26', 'Home visit', 'Home Visits', 'ZP3001']);
    expect(await readClaimRows(await bytesOf(book))).toEqual([
      { row: 2, ods_code: 'ZP3001', service: 'Home Visits', component: 'Home visit', period: 'Q3 2025/26', units: 3 },
    ]);
  });

  it('refuses a workbook without the template\'s columns (422), and files that are not .xlsx or carry macros (415)', async () => {
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['Name', 'Units']);
    expect(await refusal(await bytesOf(other))).toMatchObject({ status: 422, code: 'not_template', message: expect.stringMatching(/no "Provider ODS code", "Service", "Component", "Period" column/) });

    expect(await refusal(new TextEncoder().encode('%PDF-1.7'))).toMatchObject({ status: 415, code: 'not_xlsx' });
    // A zip, but a Word document.
    const docx = zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'word/document.xml': new TextEncoder().encode('<w:document/>') });
    expect(await refusal(docx)).toMatchObject({ status: 415, code: 'not_xlsx' });
    // A workbook with a VBA project.
    const xlsm = zipSync({
      '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
      'xl/workbook.xml': new TextEncoder().encode('<workbook/>'),
      'xl/vbaProject.bin': new Uint8Array([1, 2, 3]),
    });
    expect(await refusal(xlsm)).toMatchObject({ status: 415, code: 'macros' });
  });
});
