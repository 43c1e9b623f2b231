// NHS-number detection (supabase/functions/_shared/nhs-number.ts), which the
// evidence scanner uses to hold back documents that identify patients.
import { describe, expect, it } from 'vitest';
import { findNhsNumbers, isValidNhsNumber } from '../../supabase/functions/_shared/nhs-number.ts';

// Worked by hand for 943 476 5919: 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2
// = 90 + 36 + 24 + 28 + 42 + 30 + 20 + 27 + 2 = 299; 299 mod 11 = 2; 11 − 2 = 9 = the last digit.
const VALID = ['9434765919', '4010232137', '4857773457'];

describe('isValidNhsNumber', () => {
  it.each(VALID)('accepts %s (check digit holds)', (digits) => {
    expect(isValidNhsNumber(digits)).toBe(true);
  });

  it('accepts a number whose check digit comes out as 11, written 0 (987 654 3210: sum 330 = 30 × 11)', () => {
    expect(isValidNhsNumber('9876543210')).toBe(true);
    expect(isValidNhsNumber('9876543211')).toBe(false);
  });

  it('rejects every number whose first nine digits give a check digit of 10 (no such NHS number is issued)', () => {
    // 1×10 + 2×9 + 3×8 + 4×7 + 5×6 + 6×5 + 7×4 + 8×3 + 9×2 = 10+18+24+28+30+30+28+24+18 = 210;
    // 210 mod 11 = 1; 11 − 1 = 10: no tenth digit can be right.
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('4010232138')).toBe(false);
  });

  it.each([
    ['nine digits', '943476591'],
    ['eleven digits', '94347659190'],
    ['spaces (digits only here)', '943 476 5919'],
    ['empty', ''],
    ['letters', 'abcdefghij'],
    ['full-width digits', '\uFF19\uFF14\uFF13\uFF14\uFF17\uFF16\uFF15\uFF19\uFF11\uFF19'],
  ])('rejects %s', (_label, digits) => {
    expect(isValidNhsNumber(digits)).toBe(false);
  });
});

describe('findNhsNumbers', () => {
  it.each([
    ['without separators', 'NHS number 9434765919 on file'],
    ['with spaces', 'NHS number: 943 476 5919.'],
    ['with hyphens', 'NHS no. 943-476-5919'],
    ['with no-break spaces', 'NHS\u00A0number\u00A0943\u00A0476\u00A05919'],
    ['at the start and end of the text', '943 476 5919'],
    ['right after letters', 'ref:NHS9434765919'],
  ])('finds a valid number written %s, as digits only', (_label, text) => {
    expect(findNhsNumbers(text)).toEqual(['9434765919']);
  });

  it('ignores numbers whose check digit fails', () => {
    expect(findNhsNumbers('943 476 5918 and 1234567890')).toEqual([]);
  });

  it.each([
    ['a digit before', '19434765919'],
    ['a digit after', '94347659190'],
    ['inside a long reference', 'account 0012943476591977'],
    ['a longer last group', '943 476 59190'],
    ['a longer first group', '1943 476 5919'],
  ])('does not match inside a longer run of digits (%s)', (_label, text) => {
    expect(findNhsNumbers(text)).toEqual([]);
  });

  it.each([
    ['mixed separators', '943 476-5919'],
    ['another grouping', '9434 765 919'],
    ['double spaces', '943  476  5919'],
    ['line breaks', '943\n476\n5919'],
  ])('only reads the 3-3-4 form with one separator used throughout (not %s)', (_label, text) => {
    expect(findNhsNumbers(text)).toEqual([]);
  });

  it('returns each number once, in order of first appearance', () => {
    const text = 'Patients 401 023 2137, 943-476-5919 and again 4010232137; also 9876543210.';
    expect(findNhsNumbers(text)).toEqual(['4010232137', '9434765919', '9876543210']);
  });

  it('finds nothing in text without numbers, and in dates, phone numbers and money', () => {
    expect(findNhsNumbers('')).toEqual([]);
    expect(findNhsNumbers('Claim for April 2026: £1,234.56, call 0161 496 0000 or 020 7946 0000, ref 2026-04-01.')).toEqual([]);
  });
});
