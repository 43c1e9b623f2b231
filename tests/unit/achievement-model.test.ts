// The browser's copy of save_achievement_values' entry rules, the states of an
// achievement date, and the display helpers of the achievement pages.
import { describe, expect, it } from 'vitest';
import {
  achievementState,
  checkEntry,
  formatFactor,
  formatPercent,
  formatPoints,
  inputOf,
  longDate,
  nationalServices,
  offerProviders,
  parseWhole,
  thresholdText,
  valuesText,
  type ApprovedOffer,
} from '../../src/resources/achievement/model.ts';

const percentage = { id: 'i-1', payment_basis: 'per_point' as const };
const perUnit = { id: 'i-2', payment_basis: 'per_unit' as const };
const input = (numerator = '', denominator = '', count = '') => ({ numerator, denominator, count });

describe('entry rules (the database checks them again)', () => {
  it('parses whole numbers of 0 or more; empty is nothing', () => {
    expect(parseWhole('')).toEqual({ ok: true, value: null });
    expect(parseWhole(' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseWhole('1,200')).toEqual({ ok: true, value: 1200 });
    expect(parseWhole('0')).toEqual({ ok: true, value: 0 });
    for (const bad of ['-1', '2.5', 'ten', '1e3', '+3']) expect(parseWhole(bad), bad).toEqual({ ok: false, problem: 'not_whole' });
    expect(parseWhole('2147483648')).toEqual({ ok: false, problem: 'too_large' });
    expect(parseWhole('2147483647')).toEqual({ ok: true, value: 2147483647 });
  });

  it('a percentage indicator takes both parts (or neither), numerator ≤ denominator', () => {
    expect(checkEntry(percentage, input('45', '50'))).toEqual({ problems: {}, payload: { indicator_id: 'i-1', numerator: 45, denominator: 50, count: null } });
    expect(checkEntry(percentage, input('50', '50')).payload).toMatchObject({ numerator: 50, denominator: 50 });
    expect(checkEntry(percentage, input('0', '0')).payload).toMatchObject({ numerator: 0, denominator: 0 });
    expect(checkEntry(percentage, input())).toEqual({ problems: {}, payload: { indicator_id: 'i-1', numerator: null, denominator: null, count: null } });
    expect(checkEntry(percentage, input('51', '50'))).toEqual({ problems: { numerator: 'numerator_above_denominator' }, payload: null });
    expect(checkEntry(percentage, input('5', ''))).toEqual({ problems: { denominator: 'both_needed' }, payload: null });
    expect(checkEntry(percentage, input('', '5'))).toEqual({ problems: { numerator: 'both_needed' }, payload: null });
    expect(checkEntry(percentage, input('x', '-2'))).toEqual({ problems: { numerator: 'not_whole', denominator: 'not_whole' }, payload: null });
  });

  it('a per-unit indicator takes a count only', () => {
    expect(checkEntry(perUnit, input('9', '9', '120'))).toEqual({ problems: {}, payload: { indicator_id: 'i-2', numerator: null, denominator: null, count: 120 } });
    expect(checkEntry(perUnit, input('', '', '1.5'))).toEqual({ problems: { count: 'not_whole' }, payload: null });
  });

  it('the inputs start from the saved New Values only', () => {
    expect(inputOf(undefined)).toEqual(input());
    expect(inputOf({ has_new: false, new_numerator: 1, new_denominator: 2, new_count: null })).toEqual(input());
    expect(inputOf({ has_new: true, new_numerator: 1, new_denominator: 2, new_count: null })).toEqual(input('1', '2'));
    expect(inputOf({ has_new: true, new_numerator: null, new_denominator: null, new_count: 7 })).toEqual(input('', '', '7'));
  });
});

describe('states of an achievement date', () => {
  const row = (extra: object) => ({ status: 'work_in_progress' as const, version: 0, has_new_values: false, recalculation_requested_at: null, ...extra });
  it('not started, work in progress, submitted vN with New Values and recalculation pending', () => {
    expect(achievementState(undefined)).toEqual([{ key: 'not_started' }]);
    expect(achievementState(row({}))).toEqual([{ key: 'work_in_progress' }]);
    expect(achievementState(row({ status: 'submitted', version: 3, has_new_values: true, recalculation_requested_at: '2025-12-01T00:00:00Z' }))).toEqual([
      { key: 'submitted', version: 3 },
      { key: 'new_values' },
      { key: 'recalculation' },
    ]);
  });
});

describe('display', () => {
  it('formats percentages, points, factors, thresholds, values and long dates', () => {
    expect(formatPercent(90)).toBe('90.00%');
    expect(formatPercent('90.3333333')).toBe('90.33%');
    expect(formatPercent(null)).toBe('–');
    expect(formatPoints('55.2000')).toBe('55.2');
    expect(formatPoints(14.123456)).toBe('14.1235');
    expect(formatFactor('0.98')).toBe('0.98');
    expect(thresholdText(85, 90)).toBe('85%–90%');
    expect(thresholdText(null, null)).toBeNull();
    expect(thresholdText(70, null)).toBe('70%–100%');
    expect(valuesText('per_point', { numerator: 1200, denominator: 1500, count: null })).toBe('1,200 / 1,500');
    expect(valuesText('per_point', { numerator: null, denominator: null, count: null })).toBeNull();
    expect(valuesText('per_unit', { numerator: null, denominator: null, count: 412 })).toBe('412');
    expect(longDate('2025-12-31')).toBe('31 Dec 2025');
  });

  it('offers the approved national services and practices only', () => {
    const service = (id: string, kind: 'national' | 'local', year = '2025/26') => ({ id, name: id, kind, financial_year: year });
    const offer = (provider: string, type: string, svc: ReturnType<typeof service>, status: ApprovedOffer['status'] = 'approved'): ApprovedOffer => ({
      id: `${provider}-${svc.id}`,
      service_id: svc.id,
      provider_id: provider,
      status,
      provider: { id: provider, ods_code: provider.toUpperCase(), name: provider, type },
      service: svc,
    });
    const offers = [
      offer('p1', 'practice', service('ncd', 'national')),
      offer('p1', 'practice', service('ccp', 'local')),
      offer('p1', 'practice', service('old', 'national', '2024/25')),
      offer('p2', 'practice', service('ncd', 'national'), 'offered'),
      offer('pcn', 'pcn', service('ncd', 'national')),
    ];
    expect(nationalServices(offers, 'p1').map((s) => s.id)).toEqual(['ncd', 'old']);
    expect(nationalServices(offers, 'p2')).toEqual([]);
    expect(offerProviders(offers).map((p) => p.id)).toEqual(['p1']);
  });
});
