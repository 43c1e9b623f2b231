// The missing-data check (view achievement_missing_data): per provider with
// an approved offer, achievement date and indicator group, "submitted n of
// m" and what is missing. Work in progress does not count; only submitted values.
import { describe, expect, it } from 'vitest';
import { achievementTx, approveOffer, asOk, DATES, DES, direct, GROUP, IND, ORG, save, start, submit, type Tx, type Who } from './fixtures.ts';

type Row = { provider_ods_code: string; group_code: string; submitted: number; possible: number; missing_indicator_codes: string[]; achievement_id: string | null; is_payment_date: boolean };

async function check(tx: Tx, who: Who, provider: string, date: string): Promise<Record<string, Row>> {
  const rows = await asOk(tx, who, (sp) => sp<Row[]>`
    select provider_ods_code, group_code, submitted, possible, missing_indicator_codes, achievement_id, is_payment_date
    from public.achievement_missing_data
    where provider_id = ${provider} and service_id = ${DES} and achievement_date = ${date}
    order by group_position`);
  return Object.fromEntries(rows.map((row) => [row.group_code, row]));
}

describe('missing-data check', () => {
  it('"0 of 2" before anything; WIP does not count; "1 of 2" then "2 of 2" as values are submitted', async () => {
    await achievementTx(async (tx) => {
      let groups = await check(tx, 'pat', ORG.ZP1001, DATES.q2);
      expect(groups.CAIP).toMatchObject({ submitted: 0, possible: 2, missing_indicator_codes: ['CAIP01', 'CAIP02'], achievement_id: null, is_payment_date: true });
      expect(groups.IIF).toMatchObject({ submitted: 0, possible: 2, missing_indicator_codes: ['ACC-08', 'VI-01'] });

      const { id } = await start(tx, 'pat', ORG.ZP1001, DATES.q2);
      await save(tx, 'pat', id, [{ indicator_id: IND.caip01, numerator: 90, denominator: 100 }, { indicator_id: IND.vi01, count: 3 }]);
      groups = await check(tx, 'pat', ORG.ZP1001, DATES.q2);
      expect(groups.CAIP).toMatchObject({ submitted: 0, possible: 2, achievement_id: id });

      await submit(tx, 'pat', id);
      groups = await check(tx, 'pat', ORG.ZP1001, DATES.q2);
      expect(groups.CAIP).toMatchObject({ submitted: 1, possible: 2, missing_indicator_codes: ['CAIP02'] });
      expect(groups.IIF).toMatchObject({ submitted: 1, possible: 2, missing_indicator_codes: ['ACC-08'] });

      await save(tx, 'pat', id, [{ indicator_id: IND.caip02, numerator: 30, denominator: 40 }, { indicator_id: IND.acc08, numerator: 86, denominator: 97 }]);
      expect((await check(tx, 'pat', ORG.ZP1001, DATES.q2)).CAIP).toMatchObject({ submitted: 1, possible: 2 });
      await submit(tx, 'pat', id);
      groups = await check(tx, 'pat', ORG.ZP1001, DATES.q2);
      expect(groups.CAIP).toMatchObject({ submitted: 2, possible: 2, missing_indicator_codes: [] });
      expect(groups.IIF).toMatchObject({ submitted: 2, possible: 2, missing_indicator_codes: [] });

      // Clearing a submitted value makes it missing again.
      await save(tx, 'pat', id, [{ indicator_id: IND.caip02, numerator: null, denominator: null }]);
      await submit(tx, 'pat', id);
      expect((await check(tx, 'pat', ORG.ZP1001, DATES.q2)).CAIP).toMatchObject({ submitted: 1, possible: 2, missing_indicator_codes: ['CAIP02'] });
    });
  });

  it('one row per approved offer × achievement date × group; the commissioner sees every provider, Casey her cluster, Robin nothing', async () => {
    await achievementTx(async (tx) => {
      await direct(tx, () => tx`update public.service_offers set status = 'cancelled', cancelled_at = now() where service_id = ${DES} and provider_id = ${ORG.ZP1005}`);
      const count = async (who: Who) => {
        const rows = await asOk(tx, who, (sp) => sp<{ ods: string; n: number }[]>`
          select provider_ods_code as ods, count(*)::integer as n from public.achievement_missing_data where service_id = ${DES}
          group by 1 order by 1`);
        return Object.fromEntries(rows.map((r) => [r.ods, r.n]));
      };
      // 4 dates × 2 groups each; PCNs (offered the DES in the demo data) enter nothing and have no rows.
      await direct(tx, () => tx`update public.service_offers set status = 'cancelled', cancelled_at = now() where service_id = ${DES} and provider_id = ${ORG.ZP1006}`);
      expect(await count('chris')).toEqual({ ZP1001: 8, ZP1002: 8, ZP1003: 8, ZP1004: 8 });
      await approveOffer(tx, ORG.ZU101);
      expect(await count('chris')).toEqual({ ZP1001: 8, ZP1002: 8, ZP1003: 8, ZP1004: 8 });
      expect(await count('pat')).toEqual({ ZP1001: 8 });
      expect(await count('casey')).toEqual({ ZP1001: 8, ZP1002: 8 });
      expect(await count('robin')).toEqual({});
      expect(await count('harper')).toEqual({});
      const [group] = await tx`select group_id from public.achievement_missing_data where group_code = 'IIF' limit 1`;
      expect(group!.group_id).toBe(GROUP.iif);
    });
  });
});
