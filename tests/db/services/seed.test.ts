// The demo data of issue 6 (supabase/seed.sql): what Chris Commissioner and
// Pat Practice see when they sign in.
import { describe, expect, it } from 'vitest';
import { asOk, inTx } from '../tenancy/fixtures.ts';
import { SERVICE } from './fixtures.ts';

describe('quality services demo data', () => {
  it('Northshire: Complex Care Plans with unit (£193.42), retainer and evidence-required Ear irrigation components', async () => {
    await inTx(async (tx) => {
      const components = await asOk(tx, 'chris', (sp) => sp`
        select c.name, c.kind::text, c.unit_price::text, c.fixed_amount::text, c.evidence_required, c.accepted_file_types
        from public.service_components c join public.quality_services s on s.id = c.service_id
        where s.name = 'Complex Care Plans 2025/26' order by c.position`);
      expect(components).toEqual([
        { name: 'Complex care plan created', kind: 'unit', unit_price: '193.42', fixed_amount: null, evidence_required: false, accepted_file_types: [] },
        { name: 'Care co-ordination retainer', kind: 'retainer', unit_price: null, fixed_amount: '1500.00', evidence_required: false, accepted_file_types: [] },
        { name: 'Ear irrigation', kind: 'unit', unit_price: '28.50', fixed_amount: null, evidence_required: true, accepted_file_types: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods'] },
      ]);
    });
  });

  it('Depot Antipsychotic Injections asks "Depot injections administered by qualified staff" (must be yes)', async () => {
    await inTx(async (tx) => {
      const questions = await asOk(tx, 'chris', (sp) => sp`
        select q.question, q.kind::text, q.required from public.service_questions q where q.service_id = ${SERVICE.depot} order by q.position`);
      expect(questions[0]).toEqual({ question: 'Depot injections administered by qualified staff', kind: 'yes_no_must_be_yes', required: true });
    });
  });

  it('offers: ZP1001 and ZP1002 accepted, one rejected, one offered; Pat sees Riverside\'s', async () => {
    await inTx(async (tx) => {
      const offers = await asOk(tx, 'chris', (sp) => sp`
        select o.ods_code, f.status::text, f.withdrawn from public.service_offers f join public.organisations o on o.id = f.provider_id
        where f.service_id = ${SERVICE.complexCare} order by o.ods_code`);
      expect(offers).toEqual([
        { ods_code: 'ZP1001', status: 'approved', withdrawn: false },
        { ods_code: 'ZP1002', status: 'approved', withdrawn: false },
        { ods_code: 'ZP1003', status: 'rejected', withdrawn: false },
        { ods_code: 'ZP1004', status: 'offered', withdrawn: false },
        { ods_code: 'ZP1005', status: 'cancelled', withdrawn: true },
      ]);
      const pat = await asOk(tx, 'pat', (sp) => sp`
        select s.name, f.status::text from public.service_offers f join public.quality_services s on s.id = f.service_id order by s.name`);
      expect(pat).toEqual([
        { name: 'Complex Care Plans 2025/26', status: 'approved' },
        { name: 'Depot Antipsychotic Injections 2025/26', status: 'approved' },
        { name: 'Network Contract DES 2025/26', status: 'approved' }, // issue 14's demo achievement
      ]);
      const harper = await asOk(tx, 'harper', (sp) => sp`
        select s.name, f.status::text from public.service_offers f join public.quality_services s on s.id = f.service_id order by s.name`);
      expect(harper).toEqual([
        { name: 'Anticoagulation Monitoring 2025/26', status: 'approved' },
        { name: 'Minor Surgery 2025/26', status: 'offered' },
        { name: 'Phlebotomy 2025/26', status: 'approved' },
      ]);
    });
  });

  it('Depot accepted by ZP1001–ZP1004 (claims for it); Learning Disability Health Checks offered to nobody (the offer wizard\'s demo)', async () => {
    await inTx(async (tx) => {
      const depot = await asOk(tx, 'chris', (sp) => sp`
        select o.ods_code, f.status::text from public.service_offers f join public.organisations o on o.id = f.provider_id
        where f.service_id = ${SERVICE.depot} order by o.ods_code`);
      expect(depot).toEqual(['ZP1001', 'ZP1002', 'ZP1003', 'ZP1004'].map((ods_code) => ({ ods_code, status: 'approved' })));
      const healthChecks = await asOk(tx, 'chris', (sp) => sp`
        select s.name, c.name as component, c.unit_price::text, (select count(*)::int from public.service_offers f where f.service_id = s.id) as offers
        from public.quality_services s join public.service_components c on c.service_id = s.id where s.id = ${SERVICE.learningDisability}`);
      expect(healthChecks).toEqual([
        { name: 'Learning Disability Health Checks 2025/26', component: 'Annual health check completed', unit_price: '140.00', offers: 0 },
      ]);
    });
  });

  it('Network Contract DES: two indicator groups; achievement dates include 31/03/2026', async () => {
    await inTx(async (tx) => {
      const groups = await asOk(tx, 'chris', (sp) => sp`
        select g.code, count(i.id)::int as indicators from public.indicator_groups g left join public.indicators i on i.group_id = g.id
        where g.service_id = ${SERVICE.networkDes} group by g.code order by g.code`);
      expect(groups).toEqual([{ code: 'CAIP', indicators: 2 }, { code: 'IIF', indicators: 2 }]);
      const dates = await asOk(tx, 'chris', (sp) => sp`
        select to_char(achievement_date, 'DD/MM/YYYY') as d from public.achievement_dates where service_id = ${SERVICE.networkDes} and is_payment_date`);
      expect(dates.map((r) => r.d)).toContain('31/03/2026');
    });
  });
});
