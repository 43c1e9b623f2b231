// Money as people in England read it: pounds and pence, "£1,234.56". The
// database stores numeric(12,2); PostgREST returns it as a number (or a string
// for large values), so both are accepted.

const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The largest amount numeric(12,2) holds: 9,999,999,999.99. */
export const MAX_MONEY = 9_999_999_999.99;

/** A number of pounds from a number or a numeric string; undefined for anything else. */
export function toPounds(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const amount = typeof value === 'number' ? value : Number(String(value).replace(/[£,\s]/g, ''));
  return Number.isFinite(amount) ? amount : undefined;
}

/** "£1,234.56" (negative: "-£12.00"), or the fallback when there is no amount. */
export function formatMoney(value: number | string | null | undefined, fallback = '–'): string {
  const amount = toPounds(value);
  return amount === undefined ? fallback : POUNDS.format(amount);
}

/** Whether an amount has at most two decimal places and fits numeric(12,2) (0 to MAX_MONEY). */
export function isValidMoney(value: number | string | null | undefined): boolean {
  const amount = toPounds(value);
  if (amount === undefined || amount < 0 || amount > MAX_MONEY) return false;
  return Math.abs(Math.round(amount * 100) - amount * 100) < 1e-6;
}
