import { describe, expect, it } from 'vitest';
import { formatMoney, isValidMoney, toPounds } from '../../src/lib/money.ts';

describe('formatMoney', () => {
  it('writes pounds and pence with thousands separators', () => {
    expect(formatMoney(193.42)).toBe('£193.42');
    expect(formatMoney(1234.5)).toBe('£1,234.50');
    expect(formatMoney('2321.04')).toBe('£2,321.04');
    expect(formatMoney(0)).toBe('£0.00');
    expect(formatMoney(9999999999.99)).toBe('£9,999,999,999.99');
  });
  it('gives the fallback for no amount', () => {
    expect(formatMoney(null)).toBe('–');
    expect(formatMoney(undefined, 'none')).toBe('none');
    expect(formatMoney('abc')).toBe('–');
  });
});

describe('isValidMoney', () => {
  it('accepts pounds and pence inside numeric(12,2)', () => {
    expect(isValidMoney(193.42)).toBe(true);
    expect(isValidMoney('0')).toBe(true);
    expect(isValidMoney(9999999999.99)).toBe(true);
  });
  it('refuses fractions of a penny, negatives and too much', () => {
    expect(isValidMoney(1.005)).toBe(false);
    expect(isValidMoney(-1)).toBe(false);
    expect(isValidMoney(10_000_000_000)).toBe(false);
    expect(isValidMoney(null)).toBe(false);
  });
  it('reads "£1,234.56"', () => {
    expect(toPounds('£1,234.56')).toBe(1234.56);
  });
});
