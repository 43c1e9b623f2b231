import { describe, expect, it } from 'vitest';
import { financialYearOf, financialYearRange, financialYearsAround, isInFinancialYear, startYearOf } from '../../src/lib/financial-year.ts';
import { formatDateOnly, todayInLondon } from '../../src/lib/calendar-dates.ts';

describe('financial years (April to March)', () => {
  it('names the year a date falls in', () => {
    expect(financialYearOf('2026-11-23')).toBe('2026/27');
    expect(financialYearOf('2026-04-01')).toBe('2026/27');
    expect(financialYearOf('2026-03-31')).toBe('2025/26');
    expect(financialYearOf('2099-06-01')).toBe('2099/00');
  });
  it('reads an instant in London time: 23:30 UTC on 31 March in summer time is already 1 April', () => {
    expect(financialYearOf(new Date('2026-03-31T23:30:00Z'))).toBe('2026/27');
  });
  it('gives the first and last day', () => {
    expect(financialYearRange('2025/26')).toEqual({ start: '2025-04-01', end: '2026-03-31' });
    expect(() => financialYearRange('2025/27')).toThrow();
    expect(startYearOf('2025-26')).toBeUndefined();
  });
  it('says whether a date is inside', () => {
    expect(isInFinancialYear('2025-04-01', '2025/26')).toBe(true);
    expect(isInFinancialYear('2026-03-31', '2025/26')).toBe(true);
    expect(isInFinancialYear('2025-03-31', '2025/26')).toBe(false);
    expect(isInFinancialYear('2026-04-01', '2025/26')).toBe(false);
  });
  it('lists years around today, newest first', () => {
    expect(financialYearsAround('2026-11-23', 2, 1)).toEqual(['2027/28', '2026/27', '2025/26', '2024/25']);
  });
  it('formats calendar dates as DD/MM/YYYY without moving them', () => {
    expect(formatDateOnly('2026-03-31')).toBe('31/03/2026');
    expect(formatDateOnly(null)).toBe('–');
    expect(todayInLondon(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });
});
