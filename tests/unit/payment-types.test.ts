// The service form repeats "a local service cannot take a national payment
// type" (isNationalPaymentType, a copy of private.is_national_payment_type).
// The same cases run through the SQL in tests/db/services/payment-types.test.ts.
import { describe, expect, it } from 'vitest';
import { isNationalPaymentType, PAYMENT_TYPES_BY_KIND } from '../../src/resources/services/model.ts';
import { LOCAL_PAYMENT_TYPE_CASES, NATIONAL_PAYMENT_TYPE_CASES } from '../shared/payment-type-cases.ts';

describe('national payment types (browser copy of the database rule)', () => {
  it.each(NATIONAL_PAYMENT_TYPE_CASES)('%s is national', (paymentType) => {
    expect(isNationalPaymentType(paymentType)).toBe(true);
  });

  it.each(LOCAL_PAYMENT_TYPE_CASES)('%s is not', (paymentType) => {
    expect(isNationalPaymentType(paymentType)).toBe(false);
  });

  it('the form suggests for each kind only payment types that kind may take', () => {
    expect(PAYMENT_TYPES_BY_KIND.local.filter(isNationalPaymentType)).toEqual([]);
    expect(PAYMENT_TYPES_BY_KIND.national.every(isNationalPaymentType)).toBe(true);
  });
});
