// The catalogue's rules (issue 6, item 1): financial years, dates inside the
// service's, component kinds and money, evidence file types, kinds of
// service per child table, participation only, tariffs, the audit trail of
// direct edits, and the money helpers. Writes run as Chris Commissioner
// (Commissioning Management of ZN1) through the API roles.
import { describe, expect, it } from 'vitest';
import { as, asOk, inTx, ORG, PERSON, type Tx } from '../tenancy/fixtures.ts';
import { COMPONENT, OFFER, SERVICE, servicesDigest } from './fixtures.ts';

async function refusedAsChris(tx: Tx, statement: string, code: string, message?: RegExp): Promise<void> {
  const before = await servicesDigest(tx);
  const outcome = await as(tx, 'chris', (sp) => sp.unsafe(statement));
  if (outcome.ok) throw new Error(`expected ${code}: ${statement}`);
  expect(outcome.error.code, `${statement}\n${outcome.error.message}`).toBe(code);
  if (message) expect(outcome.error.message).toMatch(message);
  expect(await servicesDigest(tx)).toBe(before);
}

const newService = (fields: Partial<Record<string, string>> = {}) => {
  const row = {
    commissioner_id: `'${ORG.ZN1}'`,
    kind: `'local'`,
    financial_year: `'2025/26'`,
    payment_type: `'Local Enhanced Service'`,
    name: `'Spirometry 2025/26'`,
    starts_on: `'2025-04-01'`,
    ends_on: `'2026-03-31'`,
    ...fields,
  };
  return `insert into public.quality_services (${Object.keys(row).join(', ')}) values (${Object.values(row).join(', ')}) returning id`;
};

describe('quality_services', () => {
  it('Commissioning Management adds a service; who and when are stamped and audited under the commissioner', async () => {
    await inTx(async (tx) => {
      const [row] = await asOk(tx, 'chris', (sp) => sp.unsafe<{ id: string }[]>(newService()));
      const [service] = await tx`select created_by::text, updated_by::text, claim_mode from public.quality_services where id = ${row!.id}`;
      expect(service).toEqual({ created_by: PERSON.chris, updated_by: PERSON.chris, claim_mode: null });
      const audit = await tx`select action, actor_id::text, organisation_id::text from public.audit_log where entity_id = ${row!.id}`;
      expect(audit).toEqual([{ action: 'quality_services.insert', actor_id: PERSON.chris, organisation_id: ORG.ZN1 }]);
    });
  });

  it('financial years are April to March, written 2025/26', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, newService({ financial_year: `'2025/27'` }), '23514');
      await refusedAsChris(tx, newService({ financial_year: `'2025-26'` }), '23514');
      await refusedAsChris(tx, newService({ starts_on: `'2025-03-31'` }), '23514');
      await refusedAsChris(tx, newService({ ends_on: `'2026-04-01'` }), '23514');
      await refusedAsChris(tx, newService({ starts_on: `'2025-10-01'`, ends_on: `'2025-09-30'` }), '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(newService({ financial_year: `'2099/00'`, starts_on: `'2099-04-01'`, ends_on: `'2100-03-31'` })));
    });
  });

  it('national flags only on national services; claim settings and participation only on local ones', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, newService({ no_approval_required: 'true' }), '23514');
      await refusedAsChris(tx, newService({ kind: `'national'`, participation_only: 'true' }), '23514');
      await refusedAsChris(tx, newService({ kind: `'national'`, claim_mode: `'single_service'` }), '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(newService({ kind: `'national'`, no_declaration_required: 'true', no_approval_required: 'true' })));
    });
  });

  it('a provider cannot own a service; names are unique per commissioner and year', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, newService({ commissioner_id: `'${ORG.ZP1001}'` }), '23514', /belong to a commissioner/);
      await refusedAsChris(tx, newService({ commissioner_id: `'${ORG.ZS1}'` }), '42501'); // not Chris's commissioner
      await refusedAsChris(tx, newService({ name: `'complex care plans 2025/26'` }), '23505');
    });
  });

  it('dates cannot shrink past offers, claim windows or achievement dates', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, `update public.quality_services set ends_on = '2026-02-28' where id = '${SERVICE.complexCare}'`, '23514',
        /would leave the offer to .* outside the service/);
      // A service with claim windows but no offers: the window is what stops it.
      await refusedAsChris(tx, `update public.quality_services set starts_on = '2025-05-01' where id = '${SERVICE.learningDisability}'`, '23514',
        /claim window Q1 2025\/26/);
      // (The DES's offers — issue 14's demo — are taken away first, so its achievement date is what stops it.)
      await tx`select set_config('app.action', 'test', true)`;
      await tx`delete from public.service_offers where service_id = ${SERVICE.networkDes}`;
      await tx`select set_config('app.action', '', true)`;
      await refusedAsChris(tx, `update public.quality_services set ends_on = '2026-03-30' where id = '${SERVICE.networkDes}'`, '23514',
        /achievement date 31\/03\/2026/);
      await asOk(tx, 'chris', (sp) => sp`update public.quality_services set name = 'Depot Injections 2025/26' where id = ${SERVICE.depot}`);
    });
  });

  it('participation only: not while paying components exist, and then only participation components', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, `update public.quality_services set participation_only = true where id = '${SERVICE.depot}'`, '23514', /paying components/);
      const [row] = await asOk(tx, 'chris', (sp) => sp.unsafe<{ id: string }[]>(newService({ participation_only: 'true' })));
      await refusedAsChris(tx, `insert into public.service_components (service_id, name, kind, unit_price) values ('${row!.id}', 'Clinic', 'unit', 10)`, '23514',
        /participation only/);
      await asOk(tx, 'chris', (sp) => sp`insert into public.service_components (service_id, name, kind) values (${row!.id}, 'Clinic', 'participation')`);
    });
  });
});

describe('service_components', () => {
  const component = (fields: string, values: string) => `insert into public.service_components (service_id, name, ${fields}) values ('${SERVICE.depot}', 'Extra', ${values})`;
  it('unit components have a unit price; retainers a fixed amount and information; participation no money', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, component('kind', `'unit'`), '23514');
      await refusedAsChris(tx, component('kind, unit_price', `'unit', -1`), '23514');
      await refusedAsChris(tx, component('kind, unit_price, fixed_amount', `'unit', 10, 10`), '23514');
      await refusedAsChris(tx, component('kind, fixed_amount', `'retainer', 1500`), '23514');
      await refusedAsChris(tx, component('kind, fixed_amount, information', `'retainer', 1500, '  '`), '23514');
      await refusedAsChris(tx, component('kind, unit_price', `'participation', 1`), '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(component('kind, fixed_amount, information', `'retainer', 1500, 'Paid quarterly.'`)));
      const [price] = await tx`select unit_price::text from public.service_components where id = ${COMPONENT.carePlan}`;
      expect(price!.unit_price).toBe('193.42');
    });
  });

  it('evidence: unit components only, with a text and file types from doc, docx, xls, xlsx, odt, ods, pdf', async () => {
    await inTx(async (tx) => {
      const evidence = (types: string, text = `'Upload the log'`, kind = `'unit', 5`) =>
        component('kind, unit_price, evidence_required, evidence_text, accepted_file_types', `${kind}, true, ${text}, '${types}'`);
      await refusedAsChris(tx, evidence('{pdf,exe}'), '23514');
      await refusedAsChris(tx, evidence('{}'), '23514');
      await refusedAsChris(tx, evidence('{pdf}', 'null'), '23514');
      await refusedAsChris(tx, component('kind, unit_price, accepted_file_types', `'unit', 5, '{pdf}'`), '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(evidence('{doc,docx,xls,xlsx,odt,ods,pdf}')));
      const [ear] = await tx`select evidence_required, accepted_file_types from public.service_components where id = ${COMPONENT.earIrrigation}`;
      expect(ear).toEqual({ evidence_required: true, accepted_file_types: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'odt', 'ods'] });
    });
  });

  it('components, questions and claim windows belong to local services only', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, `insert into public.service_components (service_id, name, kind) values ('${SERVICE.networkDes}', 'X', 'participation')`, '23514');
      await refusedAsChris(tx, `insert into public.service_questions (service_id, kind, question) values ('${SERVICE.networkDes}', 'free_text', 'Who?')`, '23514');
      await refusedAsChris(tx, `insert into public.claim_windows (service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
        values ('${SERVICE.networkDes}', 'Q1', '2025-04-01', '2025-06-30', '2025-07-01', '2025-07-31')`, '23514');
    });
  });
});

describe('questions, claim windows, indicators, achievement dates', () => {
  it('a yes/no question that must be yes is required', async () => {
    await inTx(async (tx) => {
      await refusedAsChris(tx, `insert into public.service_questions (service_id, kind, question, required) values ('${SERVICE.depot}', 'yes_no_must_be_yes', 'Trained?', false)`, '23514');
    });
  });

  it('claim windows claim for a period inside the service and open before they close; Q3 is open today', async () => {
    await inTx(async (tx) => {
      const window = (period: [string, string], open: [string, string], label = 'Extra') =>
        `insert into public.claim_windows (service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
         values ('${SERVICE.depot}', '${label}', '${period[0]}', '${period[1]}', '${open[0]}', '${open[1]}')`;
      await refusedAsChris(tx, window(['2025-03-01', '2025-03-31'], ['2025-04-01', '2025-04-30']), '23514', /lies outside/);
      await refusedAsChris(tx, window(['2025-04-01', '2025-04-30'], ['2025-05-31', '2025-05-01']), '23514');
      await refusedAsChris(tx, window(['2025-04-30', '2025-04-01'], ['2025-05-01', '2025-05-31']), '23514');
      await refusedAsChris(tx, window(['2025-04-01', '2025-04-30'], ['2025-05-01', '2025-05-31'], 'Q1 2025/26'), '23505');
      const open = await tx`select period_label from public.claim_windows
        where service_id = ${SERVICE.complexCare} and current_date between opens_on and closes_on`;
      expect(open.map((w) => w.period_label)).toEqual(['Q3 2025/26']);
    });
  });

  it('indicators belong to a group of the same national service; thresholds are percentages in order', async () => {
    await inTx(async (tx) => {
      const indicator = (service: string, thresholds = 'null, null') =>
        `insert into public.indicators (group_id, service_id, code, description, points, payment_rate, lower_threshold, upper_threshold)
         values ('1e000000-0000-4000-8000-000000000001', '${service}', 'NEW01', 'New', 5, 10.00, ${thresholds})`;
      await refusedAsChris(tx, indicator(SERVICE.depot), '23514'); // a local service (and no such group there)
      const [row] = await asOk(tx, 'chris', (sp) => sp.unsafe<{ id: string }[]>(newService({ kind: `'national'` })));
      await refusedAsChris(tx, indicator(row!.id), '23503');
      await refusedAsChris(tx, indicator(SERVICE.networkDes, '90, 80'), '23514');
      await refusedAsChris(tx, indicator(SERVICE.networkDes, '10, 101'), '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(indicator(SERVICE.networkDes, '40, 80')));
    });
  });

  it('achievement dates lie inside the service, once each; 31/03/2026 is a payment date', async () => {
    await inTx(async (tx) => {
      const date = (d: string) => `insert into public.achievement_dates (service_id, achievement_date) values ('${SERVICE.networkDes}', '${d}')`;
      await refusedAsChris(tx, date('2026-04-30'), '23514', /outside/);
      await refusedAsChris(tx, date('2026-03-31'), '23505');
      const [last] = await tx`select is_payment_date from public.achievement_dates where service_id = ${SERVICE.networkDes} and achievement_date = '2026-03-31'`;
      expect(last!.is_payment_date).toBe(true);
    });
  });
});

describe('offer tariffs and money', () => {
  it('a tariff overrides a unit component of the offered service only, while the offer is not cancelled', async () => {
    await inTx(async (tx) => {
      const tariff = (offer: string, component: string) => `insert into public.offer_tariffs (offer_id, component_id, unit_price) values ('${offer}', '${component}', 180)`;
      await refusedAsChris(tx, tariff(OFFER.zp1001, COMPONENT.retainer), '23514');
      await refusedAsChris(tx, tariff(OFFER.zp1001, COMPONENT.depotInjection), '23514');
      await refusedAsChris(tx, tariff(OFFER.zp1005, COMPONENT.carePlan), 'PT409');
      await refusedAsChris(tx, `insert into public.offer_tariffs (offer_id, component_id, unit_price) values ('${OFFER.zp1001}', '${COMPONENT.carePlan}', -1)`, '23514');
      await asOk(tx, 'chris', (sp) => sp.unsafe(tariff(OFFER.zp1001, COMPONENT.carePlan)));
      const audit = await tx`select organisation_id::text from public.audit_log where action = 'offer_tariffs.insert' and actor_id = ${PERSON.chris}`;
      expect(audit).toEqual([{ organisation_id: ORG.ZN1 }]);
    });
  });

  it('offer_unit_price: the tariff, else the component\'s price', async () => {
    await inTx(async (tx) => {
      const price = async (offer: string, component: string) =>
        (await asOk(tx, 'pat', (sp) => sp<{ p: string | null }[]>`select public.offer_unit_price(${offer}::uuid, ${component}::uuid)::text as p`))[0]!.p;
      expect(await price(OFFER.zp1001, COMPONENT.carePlan)).toBe('193.42');
      expect(await price(OFFER.zp1001, COMPONENT.depotInjection)).toBeNull(); // not a component of the offered service
      const asChris = await asOk(tx, 'chris', (sp) => sp<{ p: string }[]>`select public.offer_unit_price(${OFFER.zp1002}::uuid, ${COMPONENT.carePlan}::uuid)::text as p`);
      expect(asChris[0]!.p).toBe('200.00');
    });
  });

  it('claim_line_amount: units × unit price in pence (12 × £193.42 = £2,321.04)', async () => {
    await inTx(async (tx) => {
      const amount = async (units: number, price: string) =>
        (await asOk(tx, 'pat', (sp) => sp<{ a: string }[]>`select public.claim_line_amount(${units}::integer, ${price}::numeric)::text as a`))[0]!.a;
      expect(await amount(12, '193.42')).toBe('2321.04');
      expect(await amount(0, '193.42')).toBe('0.00');
      expect(await amount(3, '0.335')).toBe('1.01');
      const negative = await as(tx, 'pat', (sp) => sp`select public.claim_line_amount(-1, 193.42)`);
      expect(negative.ok ? 'ok' : negative.error.code).toBe('22023');
    });
  });
});
