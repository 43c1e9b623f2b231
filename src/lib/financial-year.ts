// NHS financial years run from 1 April to 31 March and are written "2025/26".
// Dates here are calendar dates (YYYY-MM-DD, as Postgres `date` columns come
// back), taken as they are: no time zone moves them.
import dayjs, { type Dayjs } from 'dayjs';
import { toUkTime } from './dates.ts';

const YEAR_PATTERN = /^(\d{4})\/(\d{2})$/;

/** "2025/26" for a start year of 2025. */
export function financialYearStarting(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** The start year of "2025/26" (2025), or undefined when it is not a well-formed financial year. */
export function startYearOf(financialYear: string): number | undefined {
  const match = YEAR_PATTERN.exec(financialYear);
  if (!match) return undefined;
  const start = Number(match[1]);
  return Number(match[2]) === (start + 1) % 100 ? start : undefined;
}

/** The financial year a date falls in, e.g. 2026-11-23 → "2026/27", 2026-03-31 → "2025/26". A Date or instant is read in London time. */
export function financialYearOf(date: string | Date | Dayjs): string {
  const day = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? dayjs(date) : toUkTime(date);
  if (!day || !day.isValid()) throw new Error(`not a date: ${String(date)}`);
  const year = day.year();
  return financialYearStarting(day.month() >= 3 ? year : year - 1);
}

/** First and last day of a financial year: "2025/26" → { start: '2025-04-01', end: '2026-03-31' }. */
export function financialYearRange(financialYear: string): { start: string; end: string } {
  const start = startYearOf(financialYear);
  if (start === undefined) throw new Error(`not a financial year: ${financialYear}`);
  return { start: `${start}-04-01`, end: `${start + 1}-03-31` };
}

/** Whether a calendar date (YYYY-MM-DD) lies in the financial year (inclusive). */
export function isInFinancialYear(date: string, financialYear: string): boolean {
  const start = startYearOf(financialYear);
  if (start === undefined) return false;
  const { start: from, end: to } = financialYearRange(financialYear);
  return date >= from && date <= to;
}

/** Financial years from `before` years back to `after` years ahead of the one `today` falls in, newest first. */
export function financialYearsAround(today: string | Date | Dayjs, before = 3, after = 1): string[] {
  const current = startYearOf(financialYearOf(today))!;
  const years: string[] = [];
  for (let year = current + after; year >= current - before; year -= 1) years.push(financialYearStarting(year));
  return years;
}

