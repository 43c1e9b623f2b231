// Network aggregation through the PCN history, the recalculation flags
// (list sizes, PCN history, catalogue) and the job that clears them, and the
// extract and list-size loads.
import { describe, expect, it } from 'vitest';
import {
  achievementDigest,
  achievementFor,
  achievementRow,
  achievementTx,
  approveOffer,
  DATES,
  DES,
  direct,
  enter,
  IND,
  listSizes,
  markNetworkSubmitted,
  networkFor,
  ORG,
  results,
  runRecalculation,
  save,
  setDeclaration,
  submit,
  type Tx,
  values,
} from './fixtures.ts';

const OLD_SERVICE = '1a000000-0000-4000-8000-0000000000f1';
const OLD_GROUP = '1e000000-0000-4000-8000-0000000000f1';
const OLD_ACC = '1f000000-0000-4000-8000-0000000000f1';

type Row = { ods_code: string; service_id?: string; achievement_date: string; indicator_code: string; numerator?: number | null; denominator?: number | null; count?: number | null };

async function asService<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx`select set_config('role', 'service_role', true)`;
  try {
    return await fn();
  } finally {
    await tx`select set_config('role', 'none', true)`;
  }
}

async function load(tx: Tx, rows: Row[]) {
  return asService(tx, async () => {
    const [row] = await tx<{ r: { rows: number; achievements: number; changed: number; unchanged: number } }[]>`
      select public.load_achievement_extract(${tx.json(rows.map((r) => ({ service_id: DES, ...r })))}) as r`;
    return row!.r;
  });
}

/** A 2023/24 national service (one network indicator like ACC-08, payment date 31/03/2024) offered to ZP1001–ZP1004. */
async function oldService(tx: Tx): Promise<void> {
  await direct(tx, async () => {
    await tx`insert into public.quality_services (id, commissioner_id, kind, financial_year, payment_type, name, starts_on, ends_on)
             values (${OLD_SERVICE}, ${ORG.ZN1}, 'national', '2023/24', 'Directed Enhanced Service', 'Network Contract DES 2023/24', '2023-04-01', '2024-03-31')`;
    await tx`insert into public.indicator_groups (id, service_id, position, code, name) values (${OLD_GROUP}, ${OLD_SERVICE}, 1, 'IIF', 'Investment and Impact Fund')`;
    await tx`insert into public.indicators (id, group_id, service_id, position, code, description, points, payment_basis, payment_rate, lower_threshold, upper_threshold, network)
             values (${OLD_ACC}, ${OLD_GROUP}, ${OLD_SERVICE}, 1, 'ACC-08', 'Appointments booked within two weeks (%)', 71, 'per_point', 198.00, 85, 90, true)`;
    await tx`insert into public.achievement_dates (service_id, achievement_date, is_payment_date) values (${OLD_SERVICE}, '2024-03-31', true)`;
  });
  for (const provider of [ORG.ZP1001, ORG.ZP1002, ORG.ZP1003, ORG.ZP1004]) await approveOffer(tx, provider, OLD_SERVICE);
}

async function networkValues(tx: Tx, pcn: string, service: string, date: string) {
  const [row] = await tx<{ numerator: number; denominator: number; reporting_practices: number; member_practices: number; reporting: number }[]>`
    select v.numerator, v.denominator, v.reporting_practices, n.member_practices, n.reporting_practices as reporting
    from public.network_achievements n join public.network_achievement_values v on v.network_achievement_id = n.id
    where n.pcn_id = ${pcn} and n.service_id = ${service} and n.achievement_date = ${date}`;
  return row;
}

describe('network aggregation through the PCN history (Mill Lane ZP1003: Hillside ZU102 until 31/03/2024, Riverside ZU101 from 01/04/2024)', () => {
  it('on 31/03/2024 Mill Lane counts for Hillside; on 30/06/2025 for Riverside', async () => {
    await achievementTx(async (tx) => {
      await oldService(tx);
      const acc = (ods: string, date: string, n: number, d: number, service_id = DES): Row & { service_id: string } =>
        ({ ods_code: ods, service_id, achievement_date: date, indicator_code: 'ACC-08', numerator: n, denominator: d });
      await load(tx, [
        acc('ZP1001', '2024-03-31', 86, 97, OLD_SERVICE), acc('ZP1002', '2024-03-31', 90, 103, OLD_SERVICE),
        acc('ZP1003', '2024-03-31', 95, 100, OLD_SERVICE), acc('ZP1004', '2024-03-31', 50, 100, OLD_SERVICE),
        acc('ZP1001', DATES.q1, 86, 97), acc('ZP1002', DATES.q1, 90, 103), acc('ZP1003', DATES.q1, 95, 100), acc('ZP1004', DATES.q1, 50, 100),
      ]);
      // 31/03/2024: Hillside = Mill Lane 95/100 + Hill Top 50/100 (Orchard Surgery is a member without figures); Riverside = 86/97 + 90/103.
      expect(await networkValues(tx, ORG.ZU102, OLD_SERVICE, '2024-03-31')).toEqual({ numerator: 145, denominator: 200, reporting_practices: 2, member_practices: 3, reporting: 2 });
      expect(await networkValues(tx, ORG.ZU101, OLD_SERVICE, '2024-03-31')).toEqual({ numerator: 176, denominator: 200, reporting_practices: 2, member_practices: 2, reporting: 2 });
      // 30/06/2025: Riverside = 86/97 + 90/103 + Mill Lane 95/100; Hillside = Hill Top alone.
      expect(await networkValues(tx, ORG.ZU101, DES, DATES.q1)).toEqual({ numerator: 271, denominator: 300, reporting_practices: 3, member_practices: 3, reporting: 3 });
      expect(await networkValues(tx, ORG.ZU102, DES, DATES.q1)).toEqual({ numerator: 50, denominator: 100, reporting_practices: 1, member_practices: 2, reporting: 1 });

      // Until the PCN submits, the practices wait: ACC-08 scores nothing.
      const millLane = (await achievementFor(tx, ORG.ZP1003, DATES.q1))!;
      const waiting = (await results(tx, millLane.id))['ACC-08']!;
      expect(waiting).toMatchObject({ awaiting_network: true, pcn_id: ORG.ZU101 });
      expect([Number(waiting.points), Number(waiting.payment_exact)]).toEqual([0, 0]);

      await markNetworkSubmitted(tx, ORG.ZU101, DATES.q1);
      await direct(tx, () => tx`update public.network_achievements set status = 'submitted', submitted_at = now(), recalculation_requested_at = now()
                                where service_id = ${OLD_SERVICE}`);
      await runRecalculation(tx);
      // 271/300 = 90.33 % ≥ 90: all 71 points for each Riverside practice on 30/06/2025.
      const r2025 = await results(tx, millLane.id);
      expect(r2025['ACC-08']).toMatchObject({ awaiting_network: false, pcn_id: ORG.ZU101, numerator: 271, denominator: 300 });
      expect(Number(r2025['ACC-08']!.points)).toBe(71);
      // ZP1003 has no list size loaded (reference 10,000): adjustment 0 → £0.00; so the payment is checked on a practice with one:
      const millLaneOld = (await achievementFor(tx, ORG.ZP1003, '2024-03-31', OLD_SERVICE))!;
      const rOld = await results(tx, millLaneOld.id);
      // 145/200 = 72.5 % < 85: nothing, scored on Hillside's aggregate.
      expect(rOld['ACC-08']).toMatchObject({ awaiting_network: false, pcn_id: ORG.ZU102, numerator: 145, denominator: 200 });
      expect(Number(rOld['ACC-08']!.points)).toBe(0);
      const riversideOld = (await achievementFor(tx, ORG.ZP1001, '2024-03-31', OLD_SERVICE))!;
      // 176/200 = 88 % → 71 × 3/5 = 42.6 points × £198.00 (no reference list size on the 2023/24 service) = £8,434.80
      expect(await achievementRow(tx, riversideOld.id)).toMatchObject({ points: '42.6000', payment: '8434.80' });
    });
  });

  it('Riverside practice on 30/06/2025 with list size 9,800: 71 points × £198.00 × 0.98 = £13,776.84 once ZU101 has submitted', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9800 }]);
      const { achievement, result } = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, [{ indicator_id: IND.acc08, numerator: 86, denominator: 97 }]);
      expect(result).toMatchObject({ points: 0, payment: 0 });
      expect(await networkFor(tx, ORG.ZU101, DATES.q1)).toMatchObject({ status: 'not_submitted', member_practices: 3, reporting_practices: 1 });
      await load(tx, [
        { ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 90, denominator: 103 },
        { ods_code: 'ZP1003', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 95, denominator: 100 },
      ]);
      await markNetworkSubmitted(tx, ORG.ZU101, DATES.q1);
      expect(await achievementRow(tx, achievement.id)).toMatchObject({ points: '71.0000', payment: '13776.84', recalculation_requested_at: null });
    });
  });

  it('a practice with no PCN on the date waits; adding the missing relationship flags it and the job scores it on the PCN', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1004', effective_from: '2025-04-01', list_size: 10000 }]);
      // A gap in Hill Top's Hillside relationship over 30/06/2025.
      await direct(tx, async () => {
        await tx`update public.pcn_memberships set valid_to = '2025-05-31' where practice_id = ${ORG.ZP1004} and valid_to is null`;
        await tx`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP1004}, ${ORG.ZU102}, '2025-07-01')`;
      });
      await load(tx, [{ ods_code: 'ZP1004', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 90, denominator: 100 }]);
      const hillTop = (await achievementFor(tx, ORG.ZP1004, DATES.q1))!;
      expect((await results(tx, hillTop.id))['ACC-08']).toMatchObject({ awaiting_network: true, pcn_id: null });
      expect(await networkFor(tx, ORG.ZU102, DATES.q1)).toBeUndefined();

      await direct(tx, () => tx`insert into public.pcn_memberships (practice_id, pcn_id, valid_from, valid_to) values (${ORG.ZP1004}, ${ORG.ZU102}, '2025-06-01', '2025-06-30')`);
      expect(await achievementRow(tx, hillTop.id)).toMatchObject({ recalculation_reason: 'PCN relationships changed' });
      expect(await networkFor(tx, ORG.ZU102, DATES.q1)).toMatchObject({ status: 'not_submitted' });
      await markNetworkSubmitted(tx, ORG.ZU102, DATES.q1);
      // 90/100 = 90 %: 71 points × £198.00 × 1 = £14,058.00
      expect((await results(tx, hillTop.id))['ACC-08']).toMatchObject({ awaiting_network: false, pcn_id: ORG.ZU102, numerator: 90, denominator: 100 });
      expect(await achievementRow(tx, hillTop.id)).toMatchObject({ payment: '14058.00', recalculation_requested_at: null });
    });
  });
});

describe('recalculation flags and the job', () => {
  it('a list size change flags the achievement on and after its date (reason kept); the job recalculates and clears it', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      const q1 = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values(null, null));
      const q2 = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(null, null));
      expect(q1.result.payment).toBe(19800);
      expect(await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 5000 }])).toBe(1);
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ recalculation_requested_at: null });
      expect(await achievementRow(tx, q2.achievement.id)).toMatchObject({ recalculation_reason: 'list size changed', payment: '19800.00' });
      // Loading the same list size again changes nothing and flags nothing new.
      expect(await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-07-01', list_size: 5000 }])).toBe(0);

      expect(await runRecalculation(tx)).toEqual({ achievements: 1, network_achievements: 0 });
      expect(await achievementRow(tx, q2.achievement.id)).toMatchObject({ recalculation_requested_at: null, recalculation_reason: null, payment: '9900.00' });
      expect(await runRecalculation(tx)).toEqual({ achievements: 0, network_achievements: 0 });
    });
  });

  it('a catalogue change (rate, thresholds, reference list size) flags the service\'s achievement and network achievement', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      const q1 = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, values([86, 97], 10));
      await direct(tx, () => tx`update public.indicators set payment_rate = 200.00 where id = ${IND.caip01}`);
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ recalculation_reason: "the service's indicators or reference list size changed" });
      expect((await networkFor(tx, ORG.ZU101, DATES.q1))!.recalculation_requested_at).not.toBeNull();
      await runRecalculation(tx);
      // CAIP01 60 × £200.00 + CAIP02 40 × £198.00 + VI-01 10 × £10.06 = 12,000 + 7,920 + 100.60
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ payment: '20020.60', recalculation_requested_at: null });

      await direct(tx, () => tx`update public.quality_services set reference_list_size = 8000 where id = ${DES}`);
      expect((await achievementRow(tx, q1.achievement.id))!.recalculation_requested_at).not.toBeNull();
      await runRecalculation(tx);
      // (12,000 + 7,920) × 10,000 / 8,000 + 100.60
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ payment: '25000.60' });
      // A change that does not touch the calculation flags nothing.
      await direct(tx, () => tx`update public.indicators set description = 'Patient experience of contact improved' where id = ${IND.caip01}`);
      expect(await achievementRow(tx, q1.achievement.id)).toMatchObject({ recalculation_requested_at: null });
    });
  });

  it('a PCN history change flags the practice\'s achievement and both PCNs\' network achievements on those dates', async () => {
    await achievementTx(async (tx) => {
      await load(tx, [
        { ods_code: 'ZP1001', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 86, denominator: 97 },
        { ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 90, denominator: 103 },
        { ods_code: 'ZP1002', achievement_date: DATES.q3, indicator_code: 'ACC-08', numerator: 90, denominator: 103 },
      ]);
      const before = await networkValues(tx, ORG.ZU101, DES, DATES.q1);
      expect(before).toMatchObject({ numerator: 176, denominator: 200, member_practices: 3 });
      // Bridge Street leaves Riverside on 31/05/2025 and joins Hillside from 01/10/2025.
      await direct(tx, async () => {
        await tx`update public.pcn_memberships set valid_to = '2025-05-31' where practice_id = ${ORG.ZP1002} and valid_to is null`;
        await tx`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP1002}, ${ORG.ZU102}, '2025-10-01')`;
      });
      const bridgeQ1 = (await achievementFor(tx, ORG.ZP1002, DATES.q1))!;
      const bridgeQ3 = (await achievementFor(tx, ORG.ZP1002, DATES.q3))!;
      const pat = (await achievementFor(tx, ORG.ZP1001, DATES.q1))!;
      expect(await achievementRow(tx, bridgeQ1.id)).toMatchObject({ recalculation_reason: 'PCN relationships changed' });
      expect(await achievementRow(tx, bridgeQ3.id)).toMatchObject({ recalculation_reason: 'PCN relationships changed' });
      expect((await networkFor(tx, ORG.ZU101, DATES.q1))!.recalculation_requested_at).not.toBeNull();
      expect(await networkFor(tx, ORG.ZU102, DATES.q3)).toMatchObject({ status: 'not_submitted' });
      expect(await achievementRow(tx, pat.id)).toMatchObject({ recalculation_requested_at: null });

      await runRecalculation(tx);
      expect(await networkValues(tx, ORG.ZU101, DES, DATES.q1)).toMatchObject({ numerator: 86, denominator: 97, member_practices: 2, reporting: 1 });
      // Hillside on 31/12/2025: Hill Top and now Bridge Street (Orchard Surgery has had no PCN since 01/09/2025).
      expect(await networkValues(tx, ORG.ZU102, DES, DATES.q3)).toMatchObject({ numerator: 90, denominator: 103, member_practices: 2, reporting: 1 });
      expect((await results(tx, bridgeQ1.id))['ACC-08']).toMatchObject({ awaiting_network: true, pcn_id: null });
      expect((await results(tx, bridgeQ3.id))['ACC-08']).toMatchObject({ awaiting_network: true, pcn_id: ORG.ZU102 });
    });
  });

  it('a practice changing its network figures after its PCN submitted flags the PCN\'s other practices; the job scores them on the new aggregate', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [
        { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 },
        { ods_code: 'ZP1002', effective_from: '2025-04-01', list_size: 10000 },
      ]);
      const pat = await enter(tx, 'pat', ORG.ZP1001, DATES.q1, [{ indicator_id: IND.acc08, numerator: 90, denominator: 100 }]);
      await load(tx, [{ ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'ACC-08', numerator: 90, denominator: 100 }]);
      await markNetworkSubmitted(tx, ORG.ZU101, DATES.q1);
      const bridge = (await achievementFor(tx, ORG.ZP1002, DATES.q1))!;
      // 180/200 = 90 %: all 71 points × £198.00 each.
      expect(await achievementRow(tx, bridge.id)).toMatchObject({ payment: '14058.00', recalculation_requested_at: null });

      // Pat corrects ACC-08 to 84/100: Riverside becomes 174/200 = 87 % → 71 × 2/5 = 28.4 points.
      await save(tx, 'pat', pat.achievement.id, [{ indicator_id: IND.acc08, numerator: 84, denominator: 100 }]);
      expect(await submit(tx, 'pat', pat.achievement.id)).toMatchObject({ points: 28.4, payment: 5623.2 });
      expect(await achievementRow(tx, bridge.id)).toMatchObject({ recalculation_reason: 'network values of the PCN changed', payment: '14058.00' });
      await runRecalculation(tx);
      expect(await achievementRow(tx, bridge.id)).toMatchObject({ payment: '5623.20', recalculation_requested_at: null });
      expect((await results(tx, bridge.id))['ACC-08']).toMatchObject({ numerator: 174, denominator: 200 });
    });
  });

  it('achievement approved for payment is final: the job clears its flag without changing its figures', async () => {
    await achievementTx(async (tx) => {
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 10000 }]);
      const q2 = await enter(tx, 'pat', ORG.ZP1001, DATES.q2, values(null, null));
      await setDeclaration(tx, ORG.ZP1001, DATES.q2, 'approved_for_payment');
      await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-09-01', list_size: 5000 }]);
      const flagged = (await achievementRow(tx, q2.achievement.id))!;
      expect(flagged.recalculation_requested_at).not.toBeNull();
      await runRecalculation(tx);
      expect(await achievementRow(tx, q2.achievement.id)).toMatchObject({ payment: '19800.00', recalculation_requested_at: null, calculated_at: flagged.calculated_at });
    });
  });
});

describe('extract and list-size loads (service role)', () => {
  it('loads rows as submitted, calculated extract achievement; an identical reload changes nothing', async () => {
    await achievementTx(async (tx) => {
      const rows: Row[] = [
        { ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'CAIP01', numerator: 50, denominator: 100 },
        { ods_code: 'zp1002', achievement_date: DATES.q1, indicator_code: 'VI-01', count: 7 },
        { ods_code: 'ZP1003', achievement_date: DATES.q1, indicator_code: 'VI-01', count: 3 },
      ];
      expect(await load(tx, rows)).toEqual({ rows: 3, achievements: 2, changed: 2, unchanged: 0 });
      const bridge = (await achievementFor(tx, ORG.ZP1002, DATES.q1))!;
      // No list size for ZP1002 (reference 10,000): CAIP01 pays £0.00; VI-01 7 × £10.06 = £70.42.
      expect(bridge).toMatchObject({ source: 'extract', status: 'submitted', version: 1, payment: '70.42', points: '30.0000' });
      const [submission] = await tx`select source::text, notes, submitted_by from public.achievement_submissions where achievement_id = ${bridge.id}`;
      expect(submission).toEqual({ source: 'extract', notes: 'Loaded from an extract.', submitted_by: null });
      const audit = await tx`select action, organisation_id from public.audit_log where action = 'achievement.extract' order by id`;
      expect(audit.map((a) => a.organisation_id).sort()).toEqual([ORG.ZP1002, ORG.ZP1003]);

      const before = await achievementDigest(tx);
      expect(await load(tx, rows)).toEqual({ rows: 3, achievements: 2, changed: 0, unchanged: 2 });
      expect(await achievementDigest(tx)).toBe(before);
      expect(await load(tx, [{ ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'VI-01', count: 8 }])).toMatchObject({ changed: 1 });
      expect(await achievementRow(tx, bridge.id)).toMatchObject({ version: 2, payment: '80.48' });
    });
  });

  it('one bad row loads nothing and names the row and the rule', async () => {
    await achievementTx(async (tx) => {
      const good: Row = { ods_code: 'ZP1002', achievement_date: DATES.q1, indicator_code: 'VI-01', count: 7 };
      const cases: [Row, RegExp][] = [
        [{ ...good, ods_code: 'ZZ999' }, /^Row 2: no organisation has ODS code ZZ999\.$/],
        [{ ...good, achievement_date: '2025-07-31' }, /^Row 2: 2025-07-31 is not an achievement date of the service\.$/],
        [{ ...good, achievement_date: '2025-02-30' }, /^Row 2: 2025-02-30 is not an achievement date/],
        [{ ...good, indicator_code: 'XX-01' }, /^Row 2: the service has no indicator XX-01\.$/],
        [{ ...good, ods_code: 'ZP2001' }, /^Row 2: ZP2001 has no approved offer of the service\.$/],
        [{ ...good, count: -2 }, /^Row 2 \(VI-01\): values must be whole numbers of 0 or more\.$/],
        [{ ...good, indicator_code: 'ACC-08', count: null, numerator: 5, denominator: 4 }, /^Row 2 \(ACC-08\): the numerator is more than the denominator\.$/],
        [{ ...good, indicator_code: 'ACC-08' }, /^Row 2 \(ACC-08\): a percentage indicator needs a numerator and a denominator/],
        [{ ...good, numerator: 1, denominator: 2 }, /^Row 2 \(VI-01\): a per-unit indicator needs a count/],
        [{ ...good, ods_code: 'ZP1003' }, /^Row 2: ZP1003 VI-01 on 30\/06\/2025 appears more than once\.$/],
      ];
      for (const [bad, message] of cases) {
        const before = await achievementDigest(tx);
        const first: Row = bad.ods_code === 'ZP1003' && bad.indicator_code === 'VI-01' ? { ...good, ods_code: 'ZP1003' } : good;
        const outcome = await tx.savepoint(async (sp) => {
          await sp`select set_config('role', 'service_role', true)`;
          return sp`select public.load_achievement_extract(${sp.json([first, bad].map((r) => ({ service_id: DES, ...r })) as never)})`;
        }).then(() => null, (error: { code: string; message: string }) => error);
        expect(outcome).toMatchObject({ code: '22023', message: expect.stringMatching(message) });
        expect(await achievementDigest(tx)).toBe(before);
      }
    });
  });

  it('list sizes: rows checked first; later rows replace by (organisation, date)', async () => {
    await achievementTx(async (tx) => {
      expect(await listSizes(tx, [
        { ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9800 },
        { ods_code: 'ZP1002', effective_from: '2025-04-01', list_size: 7400 },
      ])).toBe(2);
      expect(await listSizes(tx, [{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 9900 }])).toBe(1);
      const [size] = await tx`select private.list_size_on(${ORG.ZP1001}, '2025-06-30') as n`;
      expect(size!.n).toBe(9900);
      for (const [rows, message] of [
        [[{ ods_code: 'ZP1001', effective_from: '2025-13-01', list_size: 1 }], /^Row 1: effective_from must be a date/],
        [[{ ods_code: 'ZP1001', effective_from: '2025-04-01', list_size: 0 }], /^Row 1: the list size must be a whole number above 0\.$/],
        [[{ ods_code: 'ZX1', effective_from: '2025-04-01', list_size: 5 }], /^Row 1: no organisation has ODS code ZX1\.$/],
        [[{ ods_code: 'ZP1001', effective_from: '2025-05-01', list_size: 5 }, { ods_code: 'ZP1001', effective_from: '2025-05-01', list_size: 6 }], /^Row 2: ZP1001 from 2025-05-01 appears more than once\.$/],
      ] as const) {
        const before = await achievementDigest(tx);
        const outcome = await tx.savepoint(async (sp) => {
          await sp`select set_config('role', 'service_role', true)`;
          return sp`select public.load_list_sizes(${sp.json(rows as never)})`;
        }).then(() => null, (error: { code: string; message: string }) => error);
        expect(outcome).toMatchObject({ code: '22023', message: expect.stringMatching(message) });
        expect(await achievementDigest(tx)).toBe(before);
      }
    });
  });
});
