// The demo claims of issues 12 and 13 (supabase/seed.sql, "claims"): a claim
// in every state a reviewer meets and work in every review queue (Tier 1 in
// and outside Casey's cluster, Tier 2 medium and high, Finance), with totals,
// prices, answers, files, status histories and tasks as the claim actions
// would have left them — and ZP1001's and ZP2001's Q3 still free, so Pat and
// Harper can press New Claim today.
import { describe, expect, it } from 'vitest';
import { asOk, inTx, ORG, PERSON, type PgError, type Tx } from '../tenancy/fixtures.ts';
import { COMPONENT, OFFER } from '../services/fixtures.ts';

const claimId = (n: number) => `3a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SEEDED = Array.from({ length: 14 }, (_, i) => claimId(i + 1));
/** Issue 13's Tier 2 queue claims (13, 14), in today's Q3 window. */
const QUEUE_CLAIMS = [13, 14].map(claimId);

interface SeededClaim {
  id: string;
  claim_number: string;
  ods_code: string;
  status: string;
  total: string;
}

async function seededClaims(tx: Tx): Promise<SeededClaim[]> {
  return tx<SeededClaim[]>`
    select c.id::text, c.claim_number::text, o.ods_code, c.status::text, c.total::text
    from public.claims c join public.organisations o on o.id = c.provider_id
    where c.id = any (${SEEDED}::uuid[]) order by c.id`;
}

describe('demo claims', () => {
  it('a claim in every state review needs, on ZP1001–ZP1004 and ZP2001, numbered from 36001 in order', async () => {
    await inTx(async (tx) => {
      const claims = await seededClaims(tx);
      expect(claims.map((c) => [c.ods_code, c.status])).toEqual([
        ['ZP1001', 'paid'],
        ['ZP1001', 'pending_provider_approval'],
        ['ZP1001', 'draft'],
        ['ZP1002', 'pending_tier1_review'],
        ['ZP1002', 'pending_finance_approval'],
        ['ZP1002', 'approved_for_payment'],
        ['ZP1003', 'pending_tier2_review'],
        ['ZP1003', 'sent'],
        ['ZP1004', 'declined'],
        ['ZP1004', 'pending_tier1_review'],
        ['ZP2001', 'pending_tier1_review'],
        ['ZP2001', 'draft'],
        ['ZP1003', 'pending_tier2_review'],
        ['ZP1004', 'pending_tier2_review'],
      ]);
      const statuses = await tx<{ s: string }[]>`select unnest(enum_range(null::public.claim_status))::text as s`;
      // pending_system_review is left out on purpose: the stack's system review would pick such a claim up at once.
      expect(statuses.map((r) => r.s).filter((s) => !claims.some((c) => c.status === s))).toEqual(['pending_system_review']);
      expect(claims.map((c) => Number(c.claim_number))).toEqual(claims.map((_, i) => 36001 + i));
    });
  });

  it('claims 01–12 are for Q1 or Q2 2025/26; the queue claims 13 and 14 for Q3, never ZP1001\'s, ZP1002\'s or ZP2001\'s', async () => {
    await inTx(async (tx) => {
      const periods = await tx<{ period_label: string }[]>`
        select distinct cs.period_label from public.claim_services cs
        where cs.claim_id = any (${SEEDED}::uuid[]) and not cs.claim_id = any (${QUEUE_CLAIMS}::uuid[]) order by 1`;
      expect(periods.map((p) => p.period_label)).toEqual(['Q1 2025/26', 'Q2 2025/26']);
      const q3 = await tx<{ ods_code: string; service: string }[]>`
        select o.ods_code, s.name as service from public.claim_services cs
        join public.claims c on c.id = cs.claim_id join public.organisations o on o.id = c.provider_id
        join public.quality_services s on s.id = cs.service_id
        where cs.period_label = 'Q3 2025/26' and cs.claim_id = any (${SEEDED}::uuid[]) order by c.claim_number`;
      // Bridge Street's Q3 stays free too: the bulk claims tests claim it.
      expect(q3).toEqual([
        { ods_code: 'ZP1003', service: 'Depot Antipsychotic Injections 2025/26' },
        { ods_code: 'ZP1004', service: 'Depot Antipsychotic Injections 2025/26' },
      ]);
    });
  });

  it('each total is the sum of its lines\' amounts (computed by the database), per claim and per service', async () => {
    await inTx(async (tx) => {
      const mismatches = await tx`
        select c.claim_number, c.total, (select sum(l.amount) from public.claim_lines l where l.claim_id = c.id) as lines,
               (select sum(t.total) from public.claim_service_totals t where t.claim_id = c.id) as services
        from public.claims c where c.id = any (${SEEDED}::uuid[])
          and (c.total is distinct from coalesce((select sum(l.amount) from public.claim_lines l where l.claim_id = c.id), 0)
               or c.total is distinct from coalesce((select sum(t.total) from public.claim_service_totals t where t.claim_id = c.id), 0))`;
      expect(mismatches).toEqual([]);
      const totals = Object.fromEntries((await seededClaims(tx)).map((c) => [c.id, c.total]));
      // Claim 01: 10 care plans × £193.42 + retainer £1,500.00 + 8 ear irrigations × £28.50 + 14 depot injections × £12.50.
      expect(totals[claimId(1)]).toBe('3837.20');
      // Claim 05: 300 care plans at Bridge Street's £200.00 + £1,500.00 + 40 × £28.50 — the high band.
      expect(totals[claimId(5)]).toBe('62640.00');
      // Claim 13: 4,200 depot injections × £12.50 — high; claim 14: 1,400 × £12.50 — medium.
      expect(totals[claimId(13)]).toBe('52500.00');
      expect(totals[claimId(14)]).toBe('17500.00');
    });
  });

  it('bands from the commissioner\'s thresholds: high for claim 05 (at Finance) and 13 (Tier 2), medium for 14, the others low', async () => {
    await inTx(async (tx) => {
      const bands = await tx<{ n: string; status: string; band: string; stored: string | null }[]>`
        select c.claim_number::text as n, c.status::text,
               case when c.total >= s.high_risk_from then 'high' when c.total >= s.medium_risk_from then 'medium' else 'low' end as band,
               c.risk_band::text as stored
        from public.claims c join public.commissioner_settings s on s.organisation_id = c.commissioner_id
        where c.id = any (${SEEDED}::uuid[]) and c.status not in ('draft', 'pending_provider_approval') order by c.claim_number`;
      // Stored as the database stamps it when a claim enters Tier 1 (the seed's declined claim has none: it is stamped again on resubmission).
      expect(bands.filter((b) => b.status !== 'declined' && b.stored !== b.band)).toEqual([]);
      expect(bands.filter((b) => b.band !== 'low').map((b) => [b.n, b.status, b.band])).toEqual([
        ['36005', 'pending_finance_approval', 'high'],
        ['36013', 'pending_tier2_review', 'high'],
        ['36014', 'pending_tier2_review', 'medium'],
      ]);
    });
  });

  it('unit prices are what the offer snapshots: Bridge Street\'s £200.00 care plan tariff, Riverside the component\'s £193.42', async () => {
    await inTx(async (tx) => {
      const carePlans = await tx<{ ods_code: string; unit_price: string; offer_price: string }[]>`
        select distinct o.ods_code, l.unit_price::text, public.offer_unit_price(cs.offer_id, l.component_id)::text as offer_price
        from public.claim_lines l
        join public.claim_services cs on cs.claim_id = l.claim_id and cs.service_id = l.service_id
        join public.claims c on c.id = l.claim_id join public.organisations o on o.id = c.provider_id
        where l.claim_id = any (${SEEDED}::uuid[]) and l.component_id = ${COMPONENT.carePlan}
        order by 1`;
      expect(carePlans).toEqual([
        { ods_code: 'ZP1001', unit_price: '193.42', offer_price: '193.42' },
        { ods_code: 'ZP1002', unit_price: '200.00', offer_price: '200.00' },
      ]);
      const offers = await tx<{ offer_id: string }[]>`
        select distinct cs.offer_id::text from public.claim_services cs join public.claims c on c.id = cs.claim_id
        where c.provider_id = ${ORG.ZP1002} and cs.service_id = (select service_id from public.service_components where id = ${COMPONENT.carePlan})`;
      expect(offers).toEqual([{ offer_id: OFFER.zp1002 }]);
      const otherPrices = await tx`
        select l.id from public.claim_lines l
        join public.claim_services cs on cs.claim_id = l.claim_id and cs.service_id = l.service_id
        where l.claim_id = any (${SEEDED}::uuid[]) and l.kind = 'unit' and l.unit_price is distinct from public.offer_unit_price(cs.offer_id, l.component_id)`;
      expect(otherPrices).toEqual([]);
    });
  });

  it('submitted claims meet the submit rules: units entered, retainers acknowledged, Depot confirmed, ear irrigation evidenced', async () => {
    await inTx(async (tx) => {
      const broken = await tx`
        select c.claim_number, 'units' as rule from public.claim_lines l join public.claims c on c.id = l.claim_id
          where l.kind = 'unit' and l.units is null and c.status <> 'draft' and c.id = any (${SEEDED}::uuid[])
        union all
        select c.claim_number, 'retainer' from public.claim_lines l join public.claims c on c.id = l.claim_id
          where l.kind = 'retainer' and l.acknowledged_at is null and c.status <> 'draft' and c.id = any (${SEEDED}::uuid[])
        union all
        select c.claim_number, 'question' from public.claim_answers a join public.claims c on c.id = a.claim_id
          join public.service_questions q on q.id = a.question_id
          where q.kind = 'yes_no_must_be_yes' and a.answer_yes is not true and c.status <> 'draft' and c.id = any (${SEEDED}::uuid[])
        union all
        select c.claim_number, 'evidence' from public.claim_lines l join public.claims c on c.id = l.claim_id
          join public.service_components sc on sc.id = l.component_id
          where sc.evidence_required and l.units >= 1 and c.status <> 'draft' and c.id = any (${SEEDED}::uuid[])
            and not exists (select 1 from public.claim_evidence e where e.line_id = l.id)
        union all
        select c.claim_number, 'submitted' from public.claims c
          where c.status <> 'draft' and c.id = any (${SEEDED}::uuid[]) and (c.submitted_at is null or c.submitted_fingerprint is null)`;
      expect(broken).toEqual([]);
      // Riverside is two-step: its claims past provider approval were approved by Ash, after Pat submitted them.
      const riverside = await tx`
        select status::text, submitted_by::text, provider_approved_by::text from public.claims
        where provider_id = ${ORG.ZP1001} and id = any (${SEEDED}::uuid[]) and status <> 'draft' order by claim_number`;
      expect(riverside).toEqual([
        { status: 'paid', submitted_by: PERSON.pat, provider_approved_by: PERSON.ash },
        { status: 'pending_provider_approval', submitted_by: PERSON.pat, provider_approved_by: null },
      ]);
      const files = await tx`
        select e.original_name, e.scan_status::text, e.object_path = format('%s/%s/%s/%s', c.provider_id, c.id, e.line_id, e.original_name) as path_ok
        from public.claim_evidence e join public.claims c on c.id = e.claim_id where e.claim_id = any (${SEEDED}::uuid[]) order by e.id`;
      expect(files).toEqual([
        { original_name: 'ear-irrigation-log-q1.pdf', scan_status: 'clean', path_ok: true },
        { original_name: 'ear-irrigation-log-q2.docx', scan_status: 'pending', path_ok: true }, // reviewed after Ash approves
        { original_name: 'ear-irrigation-log-q1.xlsx', scan_status: 'clean', path_ok: true },
      ]);
    });
  });

  it('the declined claim says why and who; resubmitting it unchanged is refused (its submission is on record)', async () => {
    await inTx(async (tx) => {
      const [declined] = await tx<{ decline_reason: string; declined_by: string; declined: boolean }[]>`
        select decline_reason, declined_by::text, declined_at < now() as declined from public.claims where id = ${claimId(9)}`;
      expect(declined).toMatchObject({ declined_by: PERSON.taylor, declined: true });
      expect(declined!.decline_reason).toMatch(/depot register/);
      const [problems] = await tx<{ rules: string[] }[]>`
        select array(select p ->> 'rule' from jsonb_array_elements(private.claim_problems(c)) p) as rules
        from public.claims c where c.id = ${claimId(9)}`;
      expect(problems!.rules).toContain('unchanged_resubmission');
    });
  });

  it('New Claim is available today for Pat (ZP1001) and Harper (ZP2001): Q3 of their services is unclaimed', async () => {
    await inTx(async (tx) => {
      const availability = async (who: 'pat' | 'harper', provider: string) => {
        const [row] = await asOk(tx, who, (sp) => sp<{ a: { available: boolean; services: { service_name: string; period_label: string }[] } }[]>`
          select public.new_claim_availability(${provider}::uuid) as a`);
        return row!.a;
      };
      const pat = await availability('pat', ORG.ZP1001);
      expect(pat.available).toBe(true);
      expect(pat.services.map((s) => `${s.service_name} ${s.period_label}`)).toEqual([
        'Complex Care Plans 2025/26 Q3 2025/26',
        'Depot Antipsychotic Injections 2025/26 Q3 2025/26',
      ]);
      const harper = await availability('harper', ORG.ZP2001);
      expect(harper.available).toBe(true);
      expect(harper.services.map((s) => `${s.service_name} ${s.period_label}`)).toEqual([
        'Anticoagulation Monitoring 2025/26 Q3 2025/26',
        'Phlebotomy 2025/26 Q3 2025/26',
      ]);
      // New Claim makes a new draft (the seeded drafts already have services on them).
      const [started] = await asOk(tx, 'pat', (sp) => sp<{ id: string; claim_number: string }[]>`
        select id::text, claim_number::text from public.start_claim(${ORG.ZP1001}::uuid)`);
      expect(SEEDED).not.toContain(started!.id);
      expect(Number(started!.claim_number)).toBeGreaterThan(36014);
    });
  });

  it('each seeded claim has a status history its readers see, in order, ending in its status', async () => {
    await inTx(async (tx) => {
      // A reader of each claim: the practice's own submitter, or (once submitted) Taylor / Robin.
      const readers: Record<string, 'pat' | 'harper' | 'taylor' | 'robin'> = { ZP1001: 'pat', ZP1002: 'taylor', ZP1003: 'taylor', ZP1004: 'taylor', ZP2001: 'harper' };
      for (const claim of await seededClaims(tx)) {
        const steps = await asOk(tx, readers[claim.ods_code]!, (sp) => sp<{ from_status: string | null; to_status: string; actor: string; occurred_at: Date }[]>`
          select from_status, to_status, actor, occurred_at from public.claim_timeline(${claim.id}::uuid)`);
        expect(steps.length, `claim ${claim.claim_number}`).toBeGreaterThan(0);
        expect(steps[0]).toMatchObject({ from_status: null, to_status: 'draft' });
        expect(steps.at(-1)!.to_status, `claim ${claim.claim_number}`).toBe(claim.status);
        steps.slice(1).forEach((step, i) => expect(step.from_status, `claim ${claim.claim_number}`).toBe(steps[i]!.to_status));
        expect(steps.every((s) => s.occurred_at < new Date())).toBe(true);
      }
      const paid = await asOk(tx, 'pat', (sp) => sp<{ actor: string }[]>`select actor from public.claim_timeline(${claimId(1)}::uuid)`);
      expect(paid.map((s) => s.actor)).toEqual(['Pat Practice', 'Pat Practice', 'Ash Approver', 'System review', 'Casey Cluster', 'Jordan Tier-Two',
        'Morgan Finance', 'Morgan Finance']);
      // Bridge Street has no portal accounts: its own steps name the practice.
      const bridgeStreet = await asOk(tx, 'taylor', (sp) => sp<{ actor: string }[]>`select actor from public.claim_timeline(${claimId(4)}::uuid)`);
      expect(bridgeStreet.map((s) => s.actor)).toEqual(['Bridge Street Surgery (ZP1002)', 'Bridge Street Surgery (ZP1002)']);
      // Claim 13's Tier 1 approval carries Taylor's note (the review page shows it); Jordan, its Tier 2 reviewer, reads it.
      const high = await asOk(tx, 'jordan', (sp) => sp<{ actor: string; to_status: string; reason: string | null }[]>`
        select actor, to_status, reason from public.claim_timeline(${claimId(13)}::uuid)`);
      expect(high.at(-1)).toEqual({
        actor: 'Taylor Tier-One',
        to_status: 'pending_tier2_review',
        reason: 'Depot register checked: a catch-up clinic this quarter explains the 4,200 injections.',
      });
    });
  });

  it('those who cannot read a claim see no history: reviewers not drafts, Casey nothing outside her cluster, Harper nothing of Riverside', async () => {
    await inTx(async (tx) => {
      const timeline = (who: 'taylor' | 'casey' | 'harper', n: number) =>
        asOk(tx, who, (sp) => sp`select * from public.claim_timeline(${claimId(n)}::uuid)`);
      expect(await timeline('taylor', 3)).toEqual([]); // ZP1001's draft
      expect(await timeline('taylor', 2)).toEqual([]); // waiting for Ash
      expect(await timeline('casey', 10)).toEqual([]); // ZP1004
      expect((await timeline('casey', 4)).length).toBeGreaterThan(0); // ZP1002, in her cluster
      expect(await timeline('harper', 1)).toEqual([]);
    });
  });

  it('the waiting claims\' tasks: Ash approves claim 02; Tier 1 reviewers reaching the practice review the rest', async () => {
    await inTx(async (tx) => {
      const tasks = await tx<{ recipient_id: string; kind: string; subject_id: string; link: string }[]>`
        select n.recipient_id::text, n.kind::text, n.subject_id::text, n.link from public.notifications n
        where n.subject_type = 'claim' and n.subject_id = any (${SEEDED}::uuid[]) and n.done_at is null
        order by n.subject_id, n.recipient_id`;
      const task = (person: string, kind: string, n: number) => ({ recipient_id: person, kind, subject_id: claimId(n), link: `/claims/${claimId(n)}` });
      // Queued when the claims were submitted, weeks ago: emailed then, unread still.
      const stale = await tx`
        select n.id from public.notifications n where n.subject_id = any (${SEEDED}::uuid[])
          and (n.emailed_at is null or n.read_at is not null or n.created_at > now() - interval '1 day')`;
      expect(stale).toEqual([]);
      expect(tasks).toEqual([
        task(PERSON.ash, 'claim_awaiting_provider_approval', 2),
        task(PERSON.taylor, 'claim_awaiting_review', 4),
        task(PERSON.casey, 'claim_awaiting_review', 4),
        task(PERSON.morgan, 'claim_awaiting_review', 5), // Finance approval
        task(PERSON.jordan, 'claim_awaiting_review', 7), // Tier 2
        task(PERSON.taylor, 'claim_awaiting_review', 10), // not Casey: ZP1004 is outside her cluster
        task(PERSON.robin, 'claim_awaiting_review', 11),
        task(PERSON.jordan, 'claim_awaiting_review', 13), // Tier 2: Taylor approved Tier 1
        task(PERSON.jordan, 'claim_awaiting_review', 14),
      ]);
      const subjects = await tx<{ subject: string }[]>`
        select subject from public.notifications where subject_id = any (${[claimId(5), claimId(13), claimId(10)]}::uuid[])
          and recipient_id in (${PERSON.morgan}, ${PERSON.jordan}, ${PERSON.taylor}) order by subject`;
      expect(subjects.map((s) => s.subject)).toEqual([
        'Claim 36005 waits for Finance approval',
        'Claim 36010 waits for Tier 1 review',
        'Claim 36013 waits for Tier 2 review',
      ]);
      // Ash can act on it: approving moves claim 02 on to the system review (its file is not reviewed yet), and the task is done.
      await asOk(tx, 'ash', (sp) => sp`select public.approve_claim_as_provider(${claimId(2)}::uuid)`);
      const [after] = await tx`select status::text from public.claims where id = ${claimId(2)}`;
      expect(after).toEqual({ status: 'pending_system_review' });
      const [done] = await tx`select done_at is not null as done from public.notifications where subject_id = ${claimId(2)} and recipient_id = ${PERSON.ash}`;
      expect(done).toEqual({ done: true });
    });
  });
});

describe('claims keep their people columns honest', () => {
  it('deleting an account keeps the claims it worked on, with the person emptied', async () => {
    await inTx(async (tx) => {
      await tx`delete from auth.users where id = ${PERSON.pat}`;
      const claims = await tx`
        select status::text, created_by, submitted_by from public.claims where provider_id = ${ORG.ZP1001} and id = any (${SEEDED}::uuid[]) order by claim_number`;
      expect(claims).toEqual([
        { status: 'paid', created_by: null, submitted_by: null },
        { status: 'pending_provider_approval', created_by: null, submitted_by: null },
        { status: 'draft', created_by: null, submitted_by: null },
      ]);
    });
  });

  it('but nobody empties the person of a living account by hand, nor changes anything else with it (even the superuser)', async () => {
    await inTx(async (tx) => {
      const attempt = (statement: (sp: Tx) => Promise<unknown>) =>
        tx.savepoint((sp) => statement(sp as Tx)).then(() => null, (error: PgError) => error);
      const living = await attempt((sp) => sp`update public.claims set submitted_by = null where id = ${claimId(1)}`);
      expect(living?.code).toBe('42501');
      expect(living?.message).toMatch(/claim actions/);
      await tx`delete from auth.users where id = ${PERSON.ash}`;
      // Ash is gone, but the claim's status is not the foreign key's to change.
      const more = await attempt((sp) => sp`update public.claims set provider_approved_by = null, status = 'draft' where id = ${claimId(1)}`);
      expect(more?.code).toBe('42501');
      // Nor does an update that changes nothing slip through.
      const nothing = await attempt((sp) => sp`update public.claim_lines set units = units where claim_id = ${claimId(1)}`);
      expect(nothing?.code).toBe('42501');
    });
  });
});

describe('demo payment runs', () => {
  it('run 9001 paid claim 36001 (acknowledged, with a reference); run 9002 holds sent claim 36008, delivered and unanswered; totals are their claims\'', async () => {
    await inTx(async (tx) => {
      const runs = await tx`
        select r.run_number::text, r.status::text, r.claim_count, r.total::text, r.tries, r.payment_reference,
               array_agg(c.claim_number::text order by c.claim_number) as claims,
               array_agg(c.status::text order by c.claim_number) as claim_statuses,
               sum(c.total)::text as claims_total,
               bool_and(c.payment_run_id = r.id and c.payment_date = r.payment_date) as claims_point_at_run,
               (select count(*)::integer from public.payment_run_tries t where t.run_id = r.id and t.delivered_at is not null) as delivered
        from public.payment_runs r join public.payment_run_claims x on x.run_id = r.id join public.claims c on c.id = x.claim_id
        where r.id in ('3e000000-0000-4000-8000-000000000001', '3e000000-0000-4000-8000-000000000002')
        group by r.id order by r.run_number`;
      // Each run's total is its claim's: 36001 £3,837.20, 36008 £225.00 (the seed's lines, summed by the database).
      expect(runs).toEqual([
        { run_number: '9001', status: 'acknowledged', claim_count: 1, total: '3837.20', tries: 1, payment_reference: 'BACS-2025-0418',
          claims: ['36001'], claim_statuses: ['paid'], claims_total: '3837.20', claims_point_at_run: true, delivered: 1 },
        { run_number: '9002', status: 'sent', claim_count: 1, total: '225.00', tries: 1, payment_reference: null,
          claims: ['36008'], claim_statuses: ['sent'], claims_total: '225.00', claims_point_at_run: true, delivered: 1 },
      ]);
      // Morgan reads both; the practice reads its claim's payment, not the run.
      // (Other test files may have committed runs of their own for a moment: only the seed's are counted.)
      const seedRuns = ['3e000000-0000-4000-8000-000000000001', '3e000000-0000-4000-8000-000000000002'];
      expect(await asOk(tx, 'morgan', (sp) => sp`select run_number from public.payment_runs where id = any (${seedRuns}::uuid[])`)).toHaveLength(2);
      expect(await asOk(tx, 'pat', (sp) => sp`select 1 from public.payment_runs`)).toHaveLength(0);
      const [paid] = await asOk(tx, 'pat', (sp) => sp`select status::text, payment_date is not null as dated, paid_at is not null as paid from public.claim_overview where claim_number = 36001`);
      expect(paid).toEqual({ status: 'paid', dated: true, paid: true });
    });
  });
});
