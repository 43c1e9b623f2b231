// Shared fixtures of the quality-services tests: the seed's fixed ids
// (supabase/seed.sql, "quality services") and a digest of everything the
// service actions may change, for "a refused call changes nothing".
import { ORG, type Tx } from '../tenancy/fixtures.ts';

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const SERVICE = {
  complexCare: id('1a', 1), // ZN1 local, 2025-04-01..2026-03-31
  depot: id('1a', 2), // ZN1 local, yes/no question, accepted by ZP1001–ZP1004
  networkDes: id('1a', 3), // ZN1 national
  minorSurgery: id('1a', 4), // ZS1 local, offered to ZP2001
  phlebotomy: id('1a', 5), // ZS1 local, accepted by ZP2001
  anticoagulation: id('1a', 6), // ZS1 local, evidence pdf/xlsx/ods, accepted by ZP2001
  learningDisability: id('1a', 7), // ZN1 local, not offered (the offer wizard's demo)
} as const;

export const COMPONENT = {
  carePlan: id('1b', 1), // unit £193.42
  retainer: id('1b', 2),
  earIrrigation: id('1b', 3), // unit, evidence required
  depotInjection: id('1b', 4), // unit £12.50
  minorSurgery: id('1b', 5),
  bloodSample: id('1b', 6), // unit £3.80
  inrVisit: id('1b', 7), // unit £45.00, evidence required
  healthCheck: id('1b', 8), // unit £140.00
} as const;

export const OFFER = {
  zp1001: id('2b', 1), // approved
  zp1002: id('2b', 2), // approved (tariff £200.00)
  zp1003: id('2b', 3), // rejected
  zp1004: id('2b', 4), // offered
  zp1005: id('2b', 5), // cancelled (withdrawn)
  zp2001: id('2b', 6), // offered (Southvale)
  depotZp1001: id('2b', 7), // approved
  depotZp1002: id('2b', 8), // approved
  depotZp1003: id('2b', 9), // approved
  depotZp1004: id('2b', 10), // approved
  phlebotomyZp2001: id('2b', 11), // approved
  anticoagulationZp2001: id('2b', 12), // approved
} as const;

export { ORG };

/** Everything the service actions and catalogue writes may change. */
export async function servicesDigest(tx: Tx): Promise<string> {
  const [row] = await tx<{ digest: string }[]>`
    select md5(concat_ws('|',
      (select string_agg(to_jsonb(s)::text, ',' order by s.id) from public.quality_services s),
      (select string_agg(to_jsonb(c)::text, ',' order by c.id) from public.service_components c),
      (select string_agg(to_jsonb(q)::text, ',' order by q.id) from public.service_questions q),
      (select string_agg(to_jsonb(w)::text, ',' order by w.id) from public.claim_windows w),
      (select string_agg(to_jsonb(g)::text, ',' order by g.id) from public.indicator_groups g),
      (select string_agg(to_jsonb(i)::text, ',' order by i.id) from public.indicators i),
      (select string_agg(to_jsonb(a)::text, ',' order by a.id) from public.achievement_dates a),
      (select string_agg(to_jsonb(f)::text, ',' order by f.id) from public.service_offers f),
      (select string_agg(to_jsonb(t)::text, ',' order by t.offer_id, t.component_id) from public.offer_tariffs t),
      (select string_agg(to_jsonb(r)::text, ',' order by r.organisation_id, r.service_id) from public.allocated_reports r),
      (select string_agg(to_jsonb(n)::text, ',' order by n.id) from public.notifications n),
      (select count(*)::text || ':' || coalesce(max(l.id), 0)::text from public.audit_log l)
    )) as digest`;
  return row!.digest;
}
