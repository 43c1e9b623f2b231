// National-scale local claims for benchmarks (issue 12). Run as the superuser
// after buildNationalScale (./national-scale.ts): it builds, for each of the
// 42 ICBs (QI001…) and each financial year 2021/22 … 2025/26,
//
//   4 local services (840 in all), 9 claimable components between them —
//     Complex Care Plans: care plan (unit), care co-ordination retainer,
//       ear irrigation (unit, evidence required);
//     Depot Antipsychotic Injections: injection (unit); questions: yes/no
//       that must be yes, optional free text;
//     Phlebotomy: three unit components;
//     Anticoagulation Monitoring: INR visit (unit, evidence required),
//       clinic retainer —
//   quarterly claim windows (past years: each opens the day after its period
//     and closes 30 days later; 2025/26 as supabase/seed.sql has it, relative
//     to today: Q1 and Q2 closed, Q3 open, Q4 opens in 61 days),
//   approved offers of every service to every practice of the ICB (126,000),
//     every tenth practice with its own tariff for care plans (£200.00),
//   every tenth practice (QP…3) two-step,
// and one multi-service claim per practice per quarter (all four services, so
// 9 lines each): every quarter of 2021/22 … 2024/25 (paid), 2025/26 Q1 (paid,
// sent, approved for payment), Q2 (in review, 5 % declined), and for six
// practices in ten Q3 (half drafts, the rest submitted: pending provider
// approval at two-step practices, system review or Tier 1 review elsewhere).
// The other four in ten — QP…6 to QP…9, all one-step — have Q3 open and
// unclaimed, so benchmarks can make new claims there. 117,180 claims,
// 1,054,620 lines, 468,720 claim services, 234,360 answers, one evidence file
// per evidence-required line with units (clean once submitted, pending before).
//
// Set-based SQL in one transaction: ids and figures are worked out in
// temporary tables first, so each real table gets one INSERT … SELECT (and
// claims get their totals without a second pass). Every trigger runs — the
// claims tables' write guard is a cheap check of app.action, which the
// transaction sets the way supabase/seed.sql does; they have no per-row audit
// (the claim actions write it), so nothing audit-heavy fires per line. The
// catalogue's audit trigger fires once per service, component, window and
// tariff (~9,000 entries), as it would for a commissioner typing them in.
// Generated claims carry no audit history (claim_timeline would be empty);
// neither benchmark reads it.
import type postgres from 'postgres';

export const NATIONAL_CLAIMS = {
  /** The financial year whose Q3 window is open today (as in supabase/seed.sql). */
  CURRENT_YEAR: '2025/26',
  /** Lines per claim: every claim holds every claimable component of its ICB's four services. */
  LINES_PER_CLAIM: 9,
} as const;

type Sql = postgres.Sql | postgres.TransactionSql;

/** Builds the claims data set (see the file comment) and ANALYZEs. Returns the seconds taken. */
export async function buildNationalClaims(sql: postgres.Sql, log: (line: string) => void = () => undefined): Promise<number> {
  const started = performance.now();
  const step = async (label: string, run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    log(`  ${label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
  await sql.begin(async (tx) => {
    await tx`select set_config('app.action', 'bench.national_claims', true)`;
    await step('practices', () => practices(tx));
    await step('services, components, questions, claim windows', () => catalogue(tx));
    await step('offers and tariffs', () => offers(tx));
    await step('claims (planned)', () => planClaims(tx));
    await step('claims', () => insertClaims(tx));
    await step('claim services and answers', () => insertClaimServices(tx));
    await step('claim lines', () => insertClaimLines(tx));
    await step('evidence', () => insertEvidence(tx));
  });
  await step('analyze', () => sql`analyze`);
  return (performance.now() - started) / 1000;
}

async function practices(tx: Sql): Promise<void> {
  // n: the practice number (QP0001 → 1); its ICB; one active Claim Submitter (submits its claims).
  await tx`
    create temporary table bench_practices on commit drop as
    select o.id, substr(o.ods_code, 3)::int as n, up.ancestor_id as icb_id,
           (select m.profile_id from public.memberships m join public.profiles p on p.id = m.profile_id
            where m.organisation_id = o.id and m.status = 'active' and p.status = 'active' and 'claim_submitter' = any (m.roles)
            order by p.email limit 1) as submitter,
           substr(o.ods_code, 3)::int % 10 = 3 as two_step
    from public.organisations o
    join public.organisation_closure up on up.descendant_id = o.id
    join public.organisations i on i.id = up.ancestor_id and i.type = 'icb' and i.ods_code like 'QI%'
    where o.type = 'practice' and o.ods_code like 'QP%'`;
  await tx`
    update public.practice_settings s set approval_mode = 'two_step'
    from bench_practices p where p.id = s.organisation_id and p.two_step`;
}

async function catalogue(tx: Sql): Promise<void> {
  // y 0…4: 2021/22 … 2025/26; k: the service (see the file comment).
  await tx`
    create temporary table bench_services on commit drop as
    select gen_random_uuid() as id, i.id as icb_id, y, k, 2021 + y as fy_start,
           (2021 + y) || '/' || lpad(((2022 + y) % 100)::text, 2, '0') as financial_year,
           (array['Complex Care Plans', 'Depot Antipsychotic Injections', 'Phlebotomy', 'Anticoagulation Monitoring'])[k] as title
    from public.organisations i cross join generate_series(0, 4) y cross join generate_series(1, 4) k
    where i.type = 'icb' and i.ods_code like 'QI%'`;
  await tx`
    insert into public.quality_services (id, commissioner_id, kind, financial_year, payment_type, name, description, starts_on, ends_on)
    select s.id, s.icb_id, 'local', s.financial_year,
           case when s.k in (1, 2) then 'Local Enhanced Service' else 'Local Incentive Scheme' end,
           s.title || ' ' || s.financial_year, 'Generated for the national-scale claims benchmark.',
           make_date(s.fy_start, 4, 1), make_date(s.fy_start + 1, 3, 31)
    from bench_services s`;

  await tx`
    create temporary table bench_components on commit drop as
    select gen_random_uuid() as id, s.id as service_id, s.k, t.c, t.name, t.kind::public.component_kind as kind,
           t.unit_price::numeric(12, 2) as unit_price, t.fixed_amount::numeric(12, 2) as fixed_amount, t.information,
           t.evidence_required, t.evidence_text, t.file_types::text[] as accepted_file_types
    from bench_services s
    join (values
      (1, 1, 'Complex care plan created', 'unit', 193.42, null, null, false, null, '{}'),
      (1, 2, 'Care co-ordination retainer', 'retainer', null, 1500.00,
       'Paid each quarter for keeping a named care co-ordinator; nothing to enter.', false, null, '{}'),
      (1, 3, 'Ear irrigation', 'unit', 28.50, null, null, true,
       'Upload the anonymised procedure log for the period (no patient-identifiable data).', '{pdf,doc,docx,xls,xlsx,odt,ods}'),
      (2, 1, 'Depot injection administered', 'unit', 12.50, null, null, false, null, '{}'),
      (3, 1, 'Blood sample taken', 'unit', 3.80, null, null, false, null, '{}'),
      (3, 2, 'Blood sample taken at home', 'unit', 9.50, null, null, false, null, '{}'),
      (3, 3, 'Same-day urgent sample', 'unit', 5.20, null, null, false, null, '{}'),
      (4, 1, 'INR monitoring visit', 'unit', 45.00, null, null, true,
       'Upload the anonymised monitoring log for the period: number of visits per week, no patient details.', '{pdf,xlsx,ods}'),
      (4, 2, 'Anticoagulation clinic retainer', 'retainer', null, 750.00,
       'Paid each quarter for running a weekly anticoagulation clinic; nothing to enter.', false, null, '{}')
    ) as t (k, c, name, kind, unit_price, fixed_amount, information, evidence_required, evidence_text, file_types) on t.k = s.k`;
  await tx`
    insert into public.service_components (id, service_id, position, name, kind, unit_price, fixed_amount, information,
      evidence_required, evidence_text, accepted_file_types)
    select id, service_id, c, name, kind, unit_price, fixed_amount, information, evidence_required, evidence_text, accepted_file_types
    from bench_components`;

  await tx`
    create temporary table bench_questions on commit drop as
    select gen_random_uuid() as id, s.id as service_id, t.position, t.kind::public.question_kind as kind, t.question, t.required
    from bench_services s
    cross join (values
      (1, 'yes_no_must_be_yes', 'Depot injections administered by qualified staff', true),
      (2, 'free_text', 'Name of the supervising clinician', false)
    ) as t (position, kind, question, required)
    where s.k = 2`;
  await tx`
    insert into public.service_questions (id, service_id, position, kind, question, required)
    select id, service_id, position, kind, question, required from bench_questions`;

  await tx`
    create temporary table bench_windows on commit drop as
    select gen_random_uuid() as id, s.id as service_id, s.icb_id, s.y, s.k, q,
           'Q' || q || ' ' || s.financial_year as period_label,
           (make_date(s.fy_start, 4, 1) + (q - 1) * interval '3 months')::date as period_starts_on,
           (make_date(s.fy_start, 4, 1) + q * interval '3 months' - interval '1 day')::date as period_ends_on,
           case when s.y = 4 then current_date + (array[-150, -90, -30, 61])[q]
                else (make_date(s.fy_start, 4, 1) + q * interval '3 months')::date end as opens_on,
           case when s.y = 4 then current_date + (array[-121, -61, 30, 90])[q]
                else (make_date(s.fy_start, 4, 1) + q * interval '3 months' + interval '29 days')::date end as closes_on
    from bench_services s cross join generate_series(1, 4) q`;
  await tx`
    insert into public.claim_windows (id, service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
    select id, service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on from bench_windows`;
}

async function offers(tx: Sql): Promise<void> {
  await tx`
    create temporary table bench_offers on commit drop as
    select gen_random_uuid() as id, p.id as provider_id, p.n, s.id as service_id, s.y, s.k, s.fy_start
    from bench_practices p join bench_services s on s.icb_id = p.icb_id`;
  await tx`
    insert into public.service_offers (id, service_id, provider_id, starts_on, ends_on, respond_by, target_date, status,
      offered_at, decided_at)
    select o.id, o.service_id, o.provider_id, make_date(o.fy_start, 4, 1), make_date(o.fy_start + 1, 3, 31),
           make_date(o.fy_start, 5, 31), make_date(o.fy_start + 1, 3, 31), 'approved',
           make_date(o.fy_start, 3, 10) + time '09:00', make_date(o.fy_start, 3, 17) + time '11:30'
    from bench_offers o`;
  // Every tenth practice has negotiated its own care plan price (like ZP1002 in the seed).
  await tx`
    insert into public.offer_tariffs (offer_id, component_id, unit_price)
    select o.id, c.id, 200.00
    from bench_offers o join bench_components c on c.service_id = o.service_id and c.k = 1 and c.c = 1
    where o.n % 10 = 2`;
}

async function planClaims(tx: Sql): Promise<void> {
  // One claim per practice and quarter (see the file comment); seq numbers them for the pseudo-random figures.
  await tx`
    create temporary table bench_claims on commit drop as
    with planned as (
      select p.id as provider_id, p.n, p.icb_id, p.submitter, p.two_step, y.y, q.q,
             row_number() over (order by y.y, q.q, p.n) as seq
      from bench_practices p cross join generate_series(0, 4) y (y) cross join generate_series(1, 4) q (q)
      where y.y < 4 or q.q in (1, 2) or (q.q = 3 and p.n % 10 < 6)
    ), stated as (
      select pl.*,
             case
               when pl.y < 4 then 'paid'
               when pl.q = 1 then case when pl.seq % 10 < 7 then 'paid' when pl.seq % 10 < 9 then 'sent' else 'approved_for_payment' end
               when pl.q = 2 then case when pl.seq % 20 = 0 then 'declined' when pl.seq % 20 < 9 then 'pending_tier1_review'
                                       when pl.seq % 20 < 13 then 'pending_tier2_review' when pl.seq % 20 < 17 then 'pending_finance_approval'
                                       else 'approved_for_payment' end
               when pl.two_step then case when pl.seq % 2 = 0 then 'draft' else 'pending_provider_approval' end
               else case when pl.seq % 10 < 5 then 'draft' when pl.seq % 10 = 5 then 'pending_system_review' else 'pending_tier1_review' end
             end::public.claim_status as status,
             -- started a few days into the window, at some time in the working day
             w.opens_on + (pl.seq % 9) * interval '1 day' + interval '8 hours' + (pl.seq % 540) * interval '1 minute' as created_at
      from planned pl
      join bench_windows w on w.icb_id = pl.icb_id and w.y = pl.y and w.q = pl.q and w.k = 1
    )
    select gen_random_uuid() as id, st.*, case when st.status <> 'draft' then st.created_at + interval '2 hours' end as submitted_at
    from stated st`;
  await tx`create index on bench_claims (id)`;

  // Every line of every claim: units from seq and the component (0…30; some left empty on drafts),
  // the offer's tariff when there is one, retainers acknowledged on submission.
  await tx`
    create temporary table bench_lines on commit drop as
    select gen_random_uuid() as id, c.id as claim_id, cp.service_id, cp.id as component_id, cp.kind, cp.c as position,
           case when cp.kind = 'unit' and not (c.status = 'draft' and (c.seq + cp.c) % 4 = 0)
                then ((c.seq * 7919 + cp.k * 104729 + cp.c * 1299709) % 31)::int end as units,
           case when cp.kind = 'unit' then coalesce(t.unit_price, cp.unit_price) end as unit_price,
           cp.fixed_amount,
           case when cp.kind = 'retainer' and c.status <> 'draft' then c.submitted_at end as acknowledged_at,
           case when cp.kind = 'retainer' and c.status <> 'draft' then c.submitter end as acknowledged_by,
           cp.evidence_required, c.status, c.provider_id, c.submitter, c.created_at
    from bench_claims c
    join bench_services s on s.icb_id = c.icb_id and s.y = c.y
    join bench_components cp on cp.service_id = s.id
    join bench_offers o on o.provider_id = c.provider_id and o.service_id = s.id
    left join public.offer_tariffs t on t.offer_id = o.id and t.component_id = cp.id`;
}

async function insertClaims(tx: Sql): Promise<void> {
  // In creation order, so Claim IDs (claim_number) rise with time as they do in use.
  await tx`
    insert into public.claims (id, provider_id, commissioner_id, submission_mode, status, total, created_at, created_by, updated_at,
      submitted_at, submitted_by, provider_approved_at, decline_reason, declined_at, submitted_fingerprint)
    select c.id, c.provider_id, c.icb_id, 'multi_service', c.status,
           coalesce(t.total, 0),
           c.created_at, c.submitter, coalesce(c.submitted_at, c.created_at) + interval '1 day',
           c.submitted_at, case when c.submitted_at is not null then c.submitter end,
           case when c.two_step and c.status not in ('draft', 'pending_provider_approval') then c.submitted_at + interval '1 day' end,
           case when c.status = 'declined' then 'The units do not match the activity report: please check and resubmit.' end,
           case when c.status = 'declined' then c.submitted_at + interval '5 days' end,
           case when c.submitted_at is not null then md5(c.id::text) end
    from bench_claims c
    left join (
      select l.claim_id, sum(case l.kind when 'unit' then round(coalesce(l.units, 0) * l.unit_price, 2) else l.fixed_amount end) as total
      from bench_lines l group by l.claim_id
    ) t on t.claim_id = c.id
    order by c.created_at, c.seq`;
}

async function insertClaimServices(tx: Sql): Promise<void> {
  await tx`
    insert into public.claim_services (claim_id, service_id, offer_id, window_id, period_label)
    select c.id, w.service_id, o.id, w.id, w.period_label
    from bench_claims c
    join bench_windows w on w.icb_id = c.icb_id and w.y = c.y and w.q = c.q
    join bench_offers o on o.provider_id = c.provider_id and o.service_id = w.service_id`;
  // Depot's questions: Yes and a clinician's name once submitted; drafts half answered.
  await tx`
    insert into public.claim_answers (claim_id, service_id, question_id, answer_yes, answer_text, updated_at, updated_by)
    select c.id, q.service_id, q.id,
           case when q.kind = 'yes_no_must_be_yes' and (c.status <> 'draft' or c.seq % 2 = 0) then true end,
           case when q.kind = 'free_text' and c.seq % 3 <> 0 and (c.status <> 'draft' or c.seq % 2 = 0)
                then 'Dr ' || (array['Adams', 'Begum', 'Clarke', 'Davies', 'Evans', 'Okafor', 'Patel', 'Singh'])[c.seq % 8 + 1] end,
           case when c.status <> 'draft' or c.seq % 2 = 0 then c.created_at + interval '1 hour' end,
           case when c.status <> 'draft' or c.seq % 2 = 0 then c.submitter end
    from bench_claims c
    join bench_services s on s.icb_id = c.icb_id and s.y = c.y and s.k = 2
    join bench_questions q on q.service_id = s.id`;
}

async function insertClaimLines(tx: Sql): Promise<void> {
  await tx`
    insert into public.claim_lines (id, claim_id, service_id, component_id, kind, position, units, unit_price, fixed_amount,
      acknowledged_at, acknowledged_by)
    select id, claim_id, service_id, component_id, kind, position, units,
           unit_price, case when kind = 'retainer' then fixed_amount end, acknowledged_at, acknowledged_by
    from bench_lines`;
}

async function insertEvidence(tx: Sql): Promise<void> {
  // A small PDF per evidence-required line with units (the bytes are not stored: the benchmarks never download them).
  await tx`
    insert into public.claim_evidence (claim_id, line_id, object_path, original_name, size_bytes, declared_type, sniffed_type,
      sha256, scan_status, uploaded_at, uploaded_by, scanned_at)
    select l.claim_id, l.id, l.provider_id || '/' || l.claim_id || '/' || l.id || '/activity-log.pdf', 'activity-log.pdf',
           20480 + (l.units * 512), 'application/pdf',
           case when l.status in ('draft', 'pending_provider_approval', 'pending_system_review') then null else 'application/pdf' end,
           case when l.status in ('draft', 'pending_provider_approval', 'pending_system_review') then null else md5(l.id::text) || md5(l.claim_id::text) end,
           case when l.status in ('draft', 'pending_provider_approval', 'pending_system_review') then 'pending' else 'clean' end::public.evidence_scan_status,
           l.created_at + interval '30 minutes', l.submitter,
           case when l.status in ('draft', 'pending_provider_approval', 'pending_system_review') then null else l.created_at + interval '3 hours' end
    from bench_lines l
    where l.evidence_required and l.units >= 1`;
  // No scan jobs are queued for the claims in pending_system_review: their files have no bytes in
  // Storage, and a stack's scan timer would otherwise keep retrying them while a benchmark measures.
}
