// Issue 11: a local service cannot take a national payment type (QOF, DES,
// V&I). Refused by a trigger on quality_services with a message naming the
// rule; national services keep them.
import { describe, expect, it } from 'vitest';
import { LOCAL_PAYMENT_TYPE_CASES, NATIONAL_PAYMENT_TYPE_CASES } from '../../shared/payment-type-cases.ts';
import { as, asOk, inTx, ORG } from '../tenancy/fixtures.ts';
import { SERVICE, servicesDigest } from './fixtures.ts';

const insert = (kind: 'local' | 'national', paymentType: string) => (sp: Parameters<Parameters<typeof as>[2]>[0]) =>
  sp`insert into public.quality_services (commissioner_id, kind, financial_year, payment_type, name, starts_on, ends_on)
     values (${ORG.ZN1}, ${kind}::public.service_kind, '2025/26', ${paymentType}, ${`Test ${kind} ${paymentType}`}, '2025-04-01', '2026-03-31')
     returning id`;

describe('payment types by kind of service', () => {
  it.each(NATIONAL_PAYMENT_TYPE_CASES)('a local service cannot take %s; nothing is written', async (paymentType) => {
    await inTx(async (tx) => {
      const before = await servicesDigest(tx);
      const outcome = await as(tx, 'chris', insert('local', paymentType));
      expect(outcome.ok ? 'inserted' : outcome.error).toMatchObject({
        code: '23514',
        message: `"${paymentType}" is a national payment type (QOF, DES, V&I): a local service takes a local one, such as Local Enhanced Service or Local Incentive Scheme.`,
      });
      expect(await servicesDigest(tx)).toBe(before);
    });
  });

  it.each(NATIONAL_PAYMENT_TYPE_CASES)('a national service may take %s', async (paymentType) => {
    await inTx(async (tx) => {
      await asOk(tx, 'chris', insert('national', paymentType));
    });
  });

  it.each(LOCAL_PAYMENT_TYPE_CASES)('a local service may take %s', async (paymentType) => {
    await inTx(async (tx) => {
      await asOk(tx, 'chris', insert('local', paymentType));
    });
  });

  it('an edit of a local service to a national payment type is refused too', async () => {
    await inTx(async (tx) => {
      const outcome = await as(tx, 'chris', (sp) => sp`update public.quality_services set payment_type = 'QOF' where id = ${SERVICE.depot} returning id`);
      expect(outcome.ok ? 'updated' : outcome.error).toMatchObject({ code: '23514' });
    });
  });

  it('private.is_national_payment_type agrees with the shared cases', async () => {
    await inTx(async (tx) => {
      const rows = await tx<{ t: string; national: boolean }[]>`
        select t, private.is_national_payment_type(t) as national
        from unnest(${[...NATIONAL_PAYMENT_TYPE_CASES, ...LOCAL_PAYMENT_TYPE_CASES]}::text[]) as t`;
      expect(rows.filter((r) => r.national).map((r) => r.t)).toEqual([...NATIONAL_PAYMENT_TYPE_CASES]);
    });
  });
});
