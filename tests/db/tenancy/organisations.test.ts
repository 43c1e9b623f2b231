// The organisation tree: parent-type rules, no cycles, a parent for all but
// the national body, the closure table kept by triggers (insert, re-parent,
// delete), settings, and PCN membership history without overlaps.
import { describe, expect, it } from 'vitest';
import { inTx, ORG, type Tx } from './fixtures.ts';

/** Closure rows as "ANCESTOR>DESCENDANT:depth", sorted. */
async function closure(tx: Tx, where = 'true'): Promise<string[]> {
  const rows = await tx.unsafe<{ row: string }[]>(`
    select a.ods_code || '>' || d.ods_code || ':' || c.depth as row
    from public.organisation_closure c
    join public.organisations a on a.id = c.ancestor_id
    join public.organisations d on d.id = c.descendant_id
    where ${where}`);
  return rows.map((r) => r.row).sort();
}

/** The same pairs computed from parent_id links alone (the truth the closure must match). */
async function fromParents(tx: Tx, where = 'true'): Promise<string[]> {
  const rows = await tx.unsafe<{ row: string }[]>(`
    with recursive up (descendant_id, ancestor_id, depth) as (
      select o.id, o.id, 0 from public.organisations o
      union all
      select up.descendant_id, p.parent_id, up.depth + 1
      from up join public.organisations p on p.id = up.ancestor_id
      where p.parent_id is not null
    )
    select a.ods_code || '>' || d.ods_code || ':' || up.depth as row
    from up
    join public.organisations a on a.id = up.ancestor_id
    join public.organisations d on d.id = up.descendant_id
    where ${where}`);
  return rows.map((r) => r.row).sort();
}

async function insertOrg(tx: Tx, code: string, type: string, parent: string | null): Promise<string> {
  const [row] = await tx<{ id: string }[]>`
    insert into public.organisations (ods_code, name, type, parent_id)
    values (${code}, ${`Test ${code}`}, ${type}::public.organisation_type, ${parent}) returning id`;
  return row!.id;
}

async function failure(tx: Tx, fn: (sp: Tx) => Promise<unknown>) {
  try {
    await tx.savepoint(async (sp) => {
      await fn(sp as Tx);
    });
  } catch (error) {
    return error as { code: string; message: string; hint?: string; constraint_name?: string };
  }
  throw new Error('expected the statement to fail');
}

describe('closure table', () => {
  it('holds exactly the ancestor/descendant pairs of the seeded tree', async () => {
    await inTx(async (tx) => {
      const seeded = `d.ods_code in (${Object.keys(ORG).map((c) => `'${c}'`).join(',')})`;
      expect(await closure(tx, seeded)).toEqual(await fromParents(tx, seeded));
      expect(await closure(tx, `d.ods_code = 'ZP1001'`)).toEqual([
        'ZE1>ZP1001:4',
        'ZN1>ZP1001:2',
        'ZN1E>ZP1001:1',
        'ZP1001>ZP1001:0',
        'ZR1>ZP1001:3',
      ]);
      // The subtree of a sub-ICB is one index range.
      expect(await closure(tx, `a.ods_code = 'ZN1W'`)).toEqual(['ZN1W>ZN1W:0', 'ZN1W>ZP1005:1', 'ZN1W>ZU103:1']);
    });
  });

  it('follows an insert of a whole subtree in one statement, children before parents', async () => {
    await inTx(async (tx) => {
      await tx`
        insert into public.organisations (id, ods_code, name, type, parent_id)
        values
          ('10000000-0000-4000-8000-000000000003', 'QP0001', 'Test practice', 'practice', '10000000-0000-4000-8000-000000000002'),
          ('10000000-0000-4000-8000-000000000002', 'QS0001', 'Test sub-ICB', 'sub_icb', '10000000-0000-4000-8000-000000000001'),
          ('10000000-0000-4000-8000-000000000001', 'QI0001', 'Test ICB', 'icb', ${ORG.ZR1})`;
      expect(await closure(tx, `d.ods_code like 'Q%'`)).toEqual(await fromParents(tx, `d.ods_code like 'Q%'`));
      expect(await closure(tx, `d.ods_code = 'QP0001'`)).toEqual([
        'QI0001>QP0001:2',
        'QP0001>QP0001:0',
        'QS0001>QP0001:1',
        'ZE1>QP0001:4',
        'ZR1>QP0001:3',
      ]);
      // Settings rows come with the organisation, with the defaults.
      const settings = await tx`
        select o.ods_code, s.claim_submission, s.medium_risk_from::text, s.high_risk_from::text
        from public.commissioner_settings s join public.organisations o on o.id = s.organisation_id
        where o.ods_code like 'Q%' order by o.ods_code`;
      expect(settings).toEqual([
        { ods_code: 'QI0001', claim_submission: 'multi_service', medium_risk_from: '15000.00', high_risk_from: '50000.00' },
        { ods_code: 'QS0001', claim_submission: 'multi_service', medium_risk_from: '15000.00', high_risk_from: '50000.00' },
      ]);
      const practice = await tx`
        select s.approval_mode from public.practice_settings s where s.organisation_id = '10000000-0000-4000-8000-000000000003'`;
      expect(practice).toEqual([{ approval_mode: 'one_step' }]);
    });
  });

  it('follows a re-parent of a leaf', async () => {
    await inTx(async (tx) => {
      await tx`update public.organisations set parent_id = ${ORG.ZN1E} where id = ${ORG.ZP1005}`;
      expect(await closure(tx, `d.ods_code = 'ZP1005'`)).toEqual([
        'ZE1>ZP1005:4',
        'ZN1>ZP1005:2',
        'ZN1E>ZP1005:1',
        'ZP1005>ZP1005:0',
        'ZR1>ZP1005:3',
      ]);
      expect(await closure(tx, `a.ods_code = 'ZN1W'`)).toEqual(['ZN1W>ZN1W:0', 'ZN1W>ZU103:1']);
      expect(await closure(tx)).toEqual(await fromParents(tx));
    });
  });

  it('follows a re-parent of a whole subtree (a sub-ICB moves to another ICB)', async () => {
    await inTx(async (tx) => {
      await tx`update public.organisations set parent_id = ${ORG.ZS1} where id = ${ORG.ZN1W}`;
      expect(await closure(tx, `d.ods_code in ('ZN1W', 'ZP1005', 'ZU103') and a.ods_code in ('ZN1', 'ZS1')`)).toEqual([
        'ZS1>ZN1W:1',
        'ZS1>ZP1005:2',
        'ZS1>ZU103:2',
      ]);
      expect(await closure(tx)).toEqual(await fromParents(tx));
    });
  });

  it('follows several re-parents in one statement', async () => {
    await inTx(async (tx) => {
      // ZN1E moves under ZS1 while ZP1001 moves from ZN1E to ZS1C.
      await tx`
        update public.organisations
        set parent_id = case id when ${ORG.ZN1E}::uuid then ${ORG.ZS1}::uuid else ${ORG.ZS1C}::uuid end
        where id in (${ORG.ZN1E}, ${ORG.ZP1001})`;
      expect(await closure(tx)).toEqual(await fromParents(tx));
      expect(await closure(tx, `d.ods_code = 'ZP1001' and a.ods_code in ('ZN1', 'ZN1E', 'ZS1', 'ZS1C')`)).toEqual(['ZS1>ZP1001:2', 'ZS1C>ZP1001:1']);
    });
  });

  it('loses the rows of a deleted organisation; an organisation with children cannot be deleted', async () => {
    await inTx(async (tx) => {
      const id = await insertOrg(tx, 'QP0002', 'practice', ORG.ZN1W);
      expect(await closure(tx, `d.id = '${id}'`)).toHaveLength(5);
      await tx`delete from public.organisations where id = ${id}`;
      const [left] = await tx`select count(*)::int as n from public.organisation_closure where ancestor_id = ${id} or descendant_id = ${id}`;
      expect(left).toEqual({ n: 0 });
      const error = await failure(tx, (sp) => sp`delete from public.organisations where id = ${ORG.ZN1W}`);
      expect(error.code).toBe('23503');
      expect(await closure(tx)).toEqual(await fromParents(tx));
    });
  });
});

describe('tree rules', () => {
  it('refuses a cycle', async () => {
    await inTx(async (tx) => {
      const error = await failure(tx, (sp) => sp`update public.organisations set parent_id = ${ORG.ZP1001} where id = ${ORG.ZN1E}`);
      expect(error.code).toBe('23514');
      // The cycle check runs first (triggers fire by name); any route is refused.
      expect(error.message).toMatch(/own ancestor|cannot sit under/);
      const deeper = await failure(tx, (sp) => sp`update public.organisations set parent_id = ${ORG.ZN1E} where id = ${ORG.ZN1}`);
      expect(deeper.code).toBe('23514');
      expect(deeper.message).toBe('Moving ZN1 there would make it its own ancestor (a cycle in the organisation tree).');
      const self = await failure(tx, (sp) => sp`update public.organisations set parent_id = id where id = ${ORG.ZN1}`);
      expect(self.constraint_name).toBe('organisations_not_own_parent');
      expect(await closure(tx)).toEqual(await fromParents(tx));
    });
  });

  it.each([
    ['practice', 'ZU101', 'A practice cannot sit under a pcn (QX0001 under ZU101).', 'The parent of a practice must be one of: icb, sub_icb.'],
    ['pcn', 'ZP1001', 'A pcn cannot sit under a practice (QX0001 under ZP1001).', 'The parent of a pcn must be one of: icb, sub_icb.'],
    ['icb', 'ZN1', 'A icb cannot sit under a icb (QX0001 under ZN1).', 'The parent of a icb must be one of: region.'],
    ['sub_icb', 'ZR1', 'A sub_icb cannot sit under a region (QX0001 under ZR1).', 'The parent of a sub_icb must be one of: icb.'],
    ['region', 'ZN1', 'A region cannot sit under a icb (QX0001 under ZN1).', 'The parent of a region must be one of: national.'],
    ['national', 'ZE1', 'A national cannot sit under a national (QX0001 under ZE1).', 'A national has no parent.'],
    ['other_provider', 'ZP1001', 'A other_provider cannot sit under a practice (QX0001 under ZP1001).', 'The parent of a other_provider must be one of: national, region, icb, sub_icb.'],
  ])('refuses a %s under %s', async (type, parent, message, hint) => {
    await inTx(async (tx) => {
      const error = await failure(tx, (sp) => insertOrg(sp, 'QX0001', type, ORG[parent as keyof typeof ORG]));
      expect(error).toMatchObject({ code: '23514', message, hint });
    });
  });

  it.each([
    ['practice', 'ZN1'],
    ['practice', 'ZN1E'],
    ['pcn', 'ZS1'],
    ['sub_icb', 'ZS1'],
    ['icb', 'ZR1'],
    ['region', 'ZE1'],
    ['other_provider', 'ZS1C'],
  ])('accepts a %s under %s', async (type, parent) => {
    await inTx(async (tx) => {
      const id = await insertOrg(tx, 'QX0002', type, ORG[parent as keyof typeof ORG]);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  it('requires a parent for everything but the national body (checked at commit)', async () => {
    await inTx(async (tx) => {
      await insertOrg(tx, 'QX0003', 'practice', null); // fine until the transaction ends …
      const error = await failure(tx, (sp) => sp`set constraints organisations_parent_required immediate`);
      expect(error).toMatchObject({
        code: '23514',
        message: 'Organisation QX0003 (practice) has no parent.',
        hint: 'The parent of a practice must be one of: icb, sub_icb.',
      });
    });
    await inTx(async (tx) => {
      await insertOrg(tx, 'QX0004', 'national', null);
      await tx`set constraints organisations_parent_required immediate`; // a second national root is fine
      const orphaned = await failure(tx, async (sp) => {
        await sp`update public.organisations set parent_id = null where id = ${ORG.ZP2002}`;
        await sp`set constraints organisations_parent_required immediate`;
      });
      expect(orphaned.message).toBe('Organisation ZP2002 (practice) has no parent.');
    });
  });

  it("refuses to change an organisation's type", async () => {
    await inTx(async (tx) => {
      const error = await failure(tx, (sp) => sp`update public.organisations set type = 'other_provider' where id = ${ORG.ZP1002}`);
      expect(error).toMatchObject({ code: '23514', message: 'The type of organisation ZP1002 cannot change (from practice to other_provider).' });
    });
  });

  it('requires an ODS code, unique and well-formed', async () => {
    await inTx(async (tx) => {
      expect((await failure(tx, (sp) => insertOrg(sp, null as unknown as string, 'practice', ORG.ZN1E))).code).toBe('23502');
      expect((await failure(tx, (sp) => insertOrg(sp, 'ZP1001', 'practice', ORG.ZN1E))).constraint_name).toBe('organisations_ods_code_key');
      expect((await failure(tx, (sp) => insertOrg(sp, 'zp-1', 'practice', ORG.ZN1E))).constraint_name).toBe('organisations_ods_code_format');
    });
  });
});

describe('settings', () => {
  it('hold the demo choices: Southvale single-service, Riverside two-step, Northshire the defaults', async () => {
    await inTx(async (tx) => {
      const commissioners = await tx`
        select o.ods_code, s.claim_submission, s.medium_risk_from::text as medium, s.high_risk_from::text as high
        from public.commissioner_settings s join public.organisations o on o.id = s.organisation_id
        where o.ods_code in ('ZN1', 'ZS1') order by o.ods_code`;
      expect(commissioners).toEqual([
        { ods_code: 'ZN1', claim_submission: 'multi_service', medium: '15000.00', high: '50000.00' },
        { ods_code: 'ZS1', claim_submission: 'single_service', medium: '15000.00', high: '50000.00' },
      ]);
      const practices = await tx`
        select o.ods_code, s.approval_mode from public.practice_settings s join public.organisations o on o.id = s.organisation_id
        where o.ods_code in ('ZP1001', 'ZP1002') order by o.ods_code`;
      expect(practices).toEqual([
        { ods_code: 'ZP1001', approval_mode: 'two_step' },
        { ods_code: 'ZP1002', approval_mode: 'one_step' },
      ]);
      const [type] = await tx`
        select numeric_precision, numeric_scale from information_schema.columns
        where table_schema = 'public' and table_name = 'commissioner_settings' and column_name = 'high_risk_from'`;
      expect(type).toEqual({ numeric_precision: 12, numeric_scale: 2 });
    });
  });

  it('refuse inverted or non-positive risk bands and settings of the wrong kind of organisation', async () => {
    await inTx(async (tx) => {
      const inverted = await failure(tx, (sp) => sp`update public.commissioner_settings set medium_risk_from = 60000 where organisation_id = ${ORG.ZN1}`);
      expect(inverted.constraint_name).toBe('commissioner_settings_risk_bands');
      const zero = await failure(tx, (sp) => sp`update public.commissioner_settings set medium_risk_from = 0 where organisation_id = ${ORG.ZN1}`);
      expect(zero.constraint_name).toBe('commissioner_settings_risk_bands');
      const wrongKind = await failure(tx, (sp) => sp`insert into public.practice_settings (organisation_id) values (${ORG.ZU101})`);
      expect(wrongKind).toMatchObject({ code: '23514', message: 'Practice settings belong to a practice, not a pcn.' });
      const notCommissioner = await failure(tx, (sp) => sp`insert into public.commissioner_settings (organisation_id) values (${ORG.ZP2002})`);
      expect(notCommissioner.message).toBe('Commissioner settings belong to a commissioning organisation, not a practice.');
    });
  });
});

describe('PCN memberships', () => {
  it('keep the demo history: Mill Lane moved from Hillside to Riverside on 2024-04-01', async () => {
    await inTx(async (tx) => {
      const onDay = async (day: string) =>
        tx`
          select pcn.ods_code from public.pcn_memberships m join public.organisations pcn on pcn.id = m.pcn_id
          where m.practice_id = ${ORG.ZP1003} and m.during @> ${day}::date`;
      expect(await onDay('2024-03-31')).toEqual([{ ods_code: 'ZU102' }]);
      expect(await onDay('2024-04-01')).toEqual([{ ods_code: 'ZU101' }]);
      expect(await onDay('2020-06-30')).toEqual([]);
      // The relationship report: Riverside PCN's practices over 2023-24.
      const report = await tx`
        select p.ods_code, m.valid_from::text, m.valid_to::text
        from public.pcn_memberships m join public.organisations p on p.id = m.practice_id
        where m.pcn_id = ${ORG.ZU101} and m.during && daterange('2023-04-01', '2024-04-30', '[]')
        order by p.ods_code`;
      expect(report).toEqual([
        { ods_code: 'ZP1001', valid_from: '2020-07-01', valid_to: null },
        { ods_code: 'ZP1002', valid_from: '2020-07-01', valid_to: null },
        { ods_code: 'ZP1003', valid_from: '2024-04-01', valid_to: null },
      ]);
    });
  });

  it('refuse two PCNs on the same day (exclusion constraint), even for one shared day', async () => {
    await inTx(async (tx) => {
      const overlap = await failure(
        tx,
        (sp) => sp`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP1001}, ${ORG.ZU102}, '2025-01-01')`,
      );
      expect(overlap).toMatchObject({ code: '23P01', constraint_name: 'pcn_memberships_one_pcn_a_day' });
      const oneDay = await failure(
        tx,
        (sp) =>
          sp`insert into public.pcn_memberships (practice_id, pcn_id, valid_from, valid_to) values (${ORG.ZP1003}, ${ORG.ZU103}, '2024-03-31', '2024-03-31')`,
      );
      expect(oneDay.code).toBe('23P01');
    });
  });

  it('accept a move: end the current row, start the next the day after', async () => {
    await inTx(async (tx) => {
      await tx`update public.pcn_memberships set valid_to = '2025-03-31' where practice_id = ${ORG.ZP1004} and valid_to is null`;
      await tx`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP1004}, ${ORG.ZU101}, '2025-04-01')`;
      const rows = await tx`
        select pcn.ods_code, m.valid_from::text, m.valid_to::text from public.pcn_memberships m
        join public.organisations pcn on pcn.id = m.pcn_id where m.practice_id = ${ORG.ZP1004} order by m.valid_from`;
      expect(rows).toEqual([
        { ods_code: 'ZU102', valid_from: '2020-07-01', valid_to: '2025-03-31' },
        { ods_code: 'ZU101', valid_from: '2025-04-01', valid_to: null },
      ]);
    });
  });

  it('refuse backwards dates and links between the wrong kinds of organisation', async () => {
    await inTx(async (tx) => {
      const backwards = await failure(
        tx,
        (sp) =>
          sp`insert into public.pcn_memberships (practice_id, pcn_id, valid_from, valid_to) values (${ORG.ZP2002}, ${ORG.ZU201}, '2025-01-02', '2025-01-01')`,
      );
      expect(backwards.constraint_name).toBe('pcn_memberships_dates');
      const notPractice = await failure(
        tx,
        (sp) => sp`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZU102}, ${ORG.ZU101}, '2025-01-01')`,
      );
      expect(notPractice).toMatchObject({ code: '23514', message: 'Only a practice can be a member of a PCN, not a pcn.' });
      const notPcn = await failure(
        tx,
        (sp) => sp`insert into public.pcn_memberships (practice_id, pcn_id, valid_from) values (${ORG.ZP2002}, ${ORG.ZS1C}, '2030-01-01')`,
      );
      expect(notPcn).toMatchObject({ code: '23514', message: 'A practice can only join a PCN, not a sub_icb.' });
    });
  });
});
