// toCsv (src/lib/csv.ts): RFC 4180 quoting, CRLF line ends, and the
// apostrophe that keeps spreadsheet formulas (CSV injection) as text.
import { describe, expect, it } from 'vitest';
import { csvField, toCsv, type CsvColumn } from '../../src/lib/csv.ts';

interface Row {
  code: string;
  name: string;
  units?: number | null;
}

const columns: CsvColumn<Row>[] = [
  { header: 'ODS code', value: (row) => row.code },
  { header: 'Name', value: (row) => row.name },
  { header: 'Units', value: (row) => row.units },
];

describe('toCsv', () => {
  it('writes a header line and one line per row, each ending in CRLF', () => {
    const csv = toCsv<Row>(
      [
        { code: 'ZP1003', name: 'Mill Lane Practice', units: 12 },
        { code: 'ZP1004', name: 'Hill Top Surgery', units: null },
      ],
      columns,
    );
    expect(csv).toBe('ODS code,Name,Units\r\nZP1003,Mill Lane Practice,12\r\nZP1004,Hill Top Surgery,\r\n');
  });

  it('has only the header for no rows', () => {
    expect(toCsv<Row>([], columns)).toBe('ODS code,Name,Units\r\n');
  });

  it('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    const csv = toCsv<Row>(
      [
        { code: 'A', name: 'Smith, Jones & Partners' },
        { code: 'B', name: 'The "Old" Surgery' },
        { code: 'C', name: 'Line one\nLine two' },
        { code: 'D', name: 'Carriage\r\nreturn' },
      ],
      columns,
    );
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe('A,"Smith, Jones & Partners",');
    expect(lines[2]).toBe('B,"The ""Old"" Surgery",');
    // A quoted field keeps its own line break: the record spans two physical lines.
    expect(csv).toContain('C,"Line one\nLine two",\r\n');
    expect(csv).toContain('D,"Carriage\r\nreturn",\r\n');
  });

  it('prefixes text that a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+44 20 7946 0000')).toBe("'+44 20 7946 0000");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvField('\t=cmd')).toBe("'\t=cmd");
    // Still quoted when it also holds a quote or comma (the apostrophe goes inside the quotes).
    expect(csvField('=HYPERLINK("http://x.example","click")')).toBe('"\'=HYPERLINK(""http://x.example"",""click"")"');
    // Only at the start: a hyphen inside a name is left alone.
    expect(csvField('Smith-Jones')).toBe('Smith-Jones');
  });

  it('writes numbers and booleans as they are, and empty fields for missing values', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(1234.5)).toBe('1234.5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('escapes headers too', () => {
    const csv = toCsv<Row>([], [{ header: 'Name, full', value: (row) => row.name }]);
    expect(csv).toBe('"Name, full"\r\n');
  });

  it('keeps non-ASCII text as it is (the byte-order mark is added when the file is saved)', () => {
    const csv = toCsv<Row>([{ code: 'X1', name: 'Café Île – Ōmura' }], columns);
    expect(csv).toContain('X1,Café Île – Ōmura,');
    expect(csv.startsWith('\uFEFF')).toBe(false);
  });
});
