// Building a claim: Add All / Remove All, the unit prices snapshotted (the
// component's, or the offer's own tariff), money computed to the penny by the
// database, which services and periods may go on a claim, units, retainers
// and the supplementary questions' answers.
import { describe, expect, it } from 'vitest';
import {
  addLines,
  asOk,
  claimRow,
  claimTx,
  COMPONENT,
  direct,
  expectClaimRefused,
  grantRoles,
  lineId,
  OFFER,
  ORG,
  PERSON,
  QUESTION,
  SERVICE,
  setUnits,
  startClaim,
  windowId,
  type Tx,
} from './fixtures.ts';

type Line = { component_id: string; kind: string; units: number | null; unit_price: string | null; fixed_amount: string | null; amount: string };

async function lines(tx: Tx, claimId: string): Promise<Line[]> {
  return tx<Line[]>`
    select component_id, kind::text, units, unit_price, fixed_amount, amount
    from public.claim_lines where claim_id = ${claimId} order by service_id, position`;
}

async function serviceTotals(tx: Tx, claimId: string): Promise<Record<string, string>> {
  const rows = await tx<{ service_id: string; total: string }[]>`
    select service_id, total from public.claim_service_totals where claim_id = ${claimId}`;
  return Object.fromEntries(rows.map((r) => [r.service_id, r.total]));
}

describe('add_claim_lines (Add All)', () => {
  it('snapshots the component prices; 12 × £193.42 = £2,321.04; totals per claim and per service', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      const after = await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.retainer, COMPONENT.earIrrigation, COMPONENT.depotInjection]);
      // Nothing entered yet: only the retainer's fixed amount counts.
      expect(after.total).toBe('1500.00');
      expect(await lines(tx, claim.id)).toEqual([
        { component_id: COMPONENT.carePlan, kind: 'unit', units: null, unit_price: '193.42', fixed_amount: null, amount: '0.00' },
        { component_id: COMPONENT.retainer, kind: 'retainer', units: null, unit_price: null, fixed_amount: '1500.00', amount: '1500.00' },
        { component_id: COMPONENT.earIrrigation, kind: 'unit', units: null, unit_price: '28.50', fixed_amount: null, amount: '0.00' },
        { component_id: COMPONENT.depotInjection, kind: 'unit', units: null, unit_price: '12.50', fixed_amount: null, amount: '0.00' },
      ]);
      const services = await tx`
        select service_id, offer_id, window_id, period_label from public.claim_services where claim_id = ${claim.id} order by service_id`;
      expect(services).toEqual([
        { service_id: SERVICE.complexCare, offer_id: OFFER.complexCareZP1001, window_id: windowId(1, 3), period_label: 'Q3 2025/26' },
        { service_id: SERVICE.depot, offer_id: OFFER.depotZP1001, window_id: windowId(2, 3), period_label: 'Q3 2025/26' },
      ]);
      // The services' questions come with them, unanswered.
      const answers = await tx`select question_id, answer_yes, answer_text from public.claim_answers where claim_id = ${claim.id} order by question_id`;
      expect(answers).toEqual([
        { question_id: QUESTION.depotQualified, answer_yes: null, answer_text: null },
        { question_id: QUESTION.depotClinician, answer_yes: null, answer_text: null },
      ]);

      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.carePlan), 12);
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.earIrrigation), 0);
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.depotInjection), 7);
      const amounts = (await lines(tx, claim.id)).map((l) => l.amount);
      expect(amounts).toEqual(['2321.04', '1500.00', '0.00', '87.50']);
      expect((await claimRow(tx, claim.id))!.total).toBe('3908.54');
      expect(await serviceTotals(tx, claim.id)).toEqual({ [SERVICE.complexCare]: '3821.04', [SERVICE.depot]: '87.50' });
    }));

  it('ZP1002 claims care plans at its own tariff (£200.00), snapshotted when added', () =>
    claimTx(async (tx) => {
      // Nobody at ZP1002 can submit yet (Nina is pending): Pat gets the role there for this test.
      await grantRoles(tx, 'pat', ORG.ZP1002, ['claim_submitter']);
      const claim = await startClaim(tx, 'pat', ORG.ZP1002);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      const line = await lineId(tx, claim.id, COMPONENT.carePlan);
      await setUnits(tx, 'pat', line, 12);
      // A later change to the tariff does not touch a claim already made.
      await direct(tx, () => tx`update public.offer_tariffs set unit_price = 250.00 where offer_id = ${OFFER.complexCareZP1002}`);
      await setUnits(tx, 'pat', line, 12);
      expect(await lines(tx, claim.id)).toEqual([
        { component_id: COMPONENT.carePlan, kind: 'unit', units: 12, unit_price: '200.00', fixed_amount: null, amount: '2400.00' },
      ]);
      expect((await claimRow(tx, claim.id))!.total).toBe('2400.00');
    }));

  it('adding a line already on the claim changes nothing but the audit trail', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.carePlan), 3);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      expect((await lines(tx, claim.id)).map((l) => l.units)).toEqual([3]);
    }));

  it('refuses a participation component, another provider’s service, an unknown component, an empty list', () =>
    claimTx(async (tx) => {
      const [participation] = await direct(
        tx,
        () => tx<{ id: string }[]>`
          insert into public.service_components (service_id, position, name, kind)
          values (${SERVICE.complexCare}, 9, 'Attend the care planning workshop', 'participation') returning id`,
      );
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.depotInjection]);
      await expectClaimRefused(tx, 'pat', '22023', (sp) => sp`select public.add_claim_lines(${claim.id}, ${[participation!.id]}::uuid[])`, /participation component/);
      // Southvale's services (even one accepted by ZP2001) and a Northshire service never offered to ZP1001.
      for (const component of [COMPONENT.bloodSample, COMPONENT.minorSurgery, '1b000000-0000-4000-8000-000000000008']) {
        await expectClaimRefused(tx, 'pat', 'PT409', (sp) => sp`select public.add_claim_lines(${claim.id}, ${[component]}::uuid[])`, /cannot be claimed now/);
      }
      await expectClaimRefused(tx, 'pat', 'PT404', (sp) => sp`select public.add_claim_lines(${claim.id}, ${['1b000000-0000-4000-8000-000000009999']}::uuid[])`);
      await expectClaimRefused(tx, 'pat', '22023', (sp) => sp`select public.add_claim_lines(${claim.id}, ${[]}::uuid[])`, /at least one component/);
    }));

  it('only the provider’s Claim Submitters change a claim, and only while draft or declined', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      const add = (sp: Tx) => sp`select public.add_claim_lines(${claim.id}, ${[COMPONENT.carePlan]}::uuid[])`;
      await expectClaimRefused(tx, 'ash', '42501', add, /Only Claim Submitters/);
      await expectClaimRefused(tx, 'harper', 'PT404', add);
      await expectClaimRefused(tx, 'taylor', 'PT404', add);
      await expectClaimRefused(tx, 'anon', '42501', add);
      await direct(tx, () => tx`update public.claims set status = 'pending_provider_approval' where id = ${claim.id}`);
      await expectClaimRefused(tx, 'pat', 'PT409', add, /only draft or declined claims can be changed/);
      await direct(tx, () => tx`update public.claims set status = 'declined' where id = ${claim.id}`);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
    }));

  it('Southvale is single-service: a second service on one claim is refused; on a claim of its own it works', () =>
    claimTx(async (tx) => {
      const first = await startClaim(tx, 'harper', ORG.ZP2001);
      await addLines(tx, 'harper', first.id, [COMPONENT.bloodSample]);
      await expectClaimRefused(
        tx,
        'harper',
        'PT409',
        (sp) => sp`select public.add_claim_lines(${first.id}, ${[COMPONENT.inrVisit]}::uuid[])`,
        /is a single-service claim: claim Anticoagulation Monitoring 2025\/26 on a claim of its own/,
      );
      const second = await startClaim(tx, 'harper', ORG.ZP2001);
      expect(second.id).not.toBe(first.id);
      await addLines(tx, 'harper', second.id, [COMPONENT.inrVisit]);
      const services = await tx`select claim_id, service_id from public.claim_services order by service_id`;
      expect(services).toEqual([
        { claim_id: first.id, service_id: SERVICE.phlebotomy },
        { claim_id: second.id, service_id: SERVICE.anticoagulation },
      ]);
    }));

  it('a period already on another claim is refused; declining that claim frees it', () =>
    claimTx(async (tx) => {
      const first = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', first.id, [COMPONENT.carePlan]);
      const second = await startClaim(tx, 'pat', ORG.ZP1001);
      const add = (sp: Tx) => sp`select public.add_claim_lines(${second.id}, ${[COMPONENT.retainer]}::uuid[])`;
      await expectClaimRefused(tx, 'pat', 'PT409', add, /Complex Care Plans 2025\/26 cannot be claimed now/);
      // Issue 13's decline, simulated: the first claim's period is open again.
      await direct(tx, () => tx`update public.claims set status = 'declined' where id = ${first.id}`);
      await addLines(tx, 'pat', second.id, [COMPONENT.retainer]);
      const [service] = await tx`select window_id from public.claim_services where claim_id = ${second.id}`;
      expect(service).toEqual({ window_id: windowId(1, 3) });
    }));
});

describe('remove_claim_lines (Remove All)', () => {
  it('removes the given lines, then all; services and answers go with their last line; totals follow', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.retainer, COMPONENT.depotInjection]);
      await setUnits(tx, 'pat', await lineId(tx, claim.id, COMPONENT.carePlan), 2);
      const retainer = await lineId(tx, claim.id, COMPONENT.retainer);
      await asOk(tx, 'pat', (sp) => sp`select public.remove_claim_lines(${claim.id}, ${[retainer]}::uuid[])`);
      expect((await claimRow(tx, claim.id))!.total).toBe('386.84');
      expect((await lines(tx, claim.id)).map((l) => l.component_id)).toEqual([COMPONENT.carePlan, COMPONENT.depotInjection]);

      const depot = await lineId(tx, claim.id, COMPONENT.depotInjection);
      await asOk(tx, 'pat', (sp) => sp`select public.remove_claim_lines(${claim.id}, ${[depot]}::uuid[])`);
      expect(await tx`select service_id from public.claim_services where claim_id = ${claim.id}`).toEqual([{ service_id: SERVICE.complexCare }]);
      expect(await tx`select 1 from public.claim_answers where claim_id = ${claim.id}`).toHaveLength(0);

      await asOk(tx, 'pat', (sp) => sp`select public.remove_claim_lines(${claim.id})`);
      expect(await lines(tx, claim.id)).toEqual([]);
      expect(await tx`select 1 from public.claim_services where claim_id = ${claim.id}`).toHaveLength(0);
      expect((await claimRow(tx, claim.id))!.total).toBe('0.00');
    }));

  it('refuses a line of another claim, and callers who may not change the claim', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan]);
      const other = await startClaim(tx, 'harper', ORG.ZP2001);
      await addLines(tx, 'harper', other.id, [COMPONENT.bloodSample]);
      const foreign = await lineId(tx, other.id, COMPONENT.bloodSample);
      await expectClaimRefused(tx, 'pat', 'PT404', (sp) => sp`select public.remove_claim_lines(${claim.id}, ${[foreign]}::uuid[])`, /not on this claim/);
      await expectClaimRefused(tx, 'ash', '42501', (sp) => sp`select public.remove_claim_lines(${claim.id})`);
      await expectClaimRefused(tx, 'harper', 'PT404', (sp) => sp`select public.remove_claim_lines(${claim.id})`);
    }));
});

describe('set_claim_line_units and acknowledge_claim_retainer', () => {
  it('units are whole numbers 0–100,000; null clears; a retainer has none', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.retainer]);
      const carePlan = await lineId(tx, claim.id, COMPONENT.carePlan);
      const retainer = await lineId(tx, claim.id, COMPONENT.retainer);
      const units = (n: number | null) => (sp: Tx) => sp`select public.set_claim_line_units(${carePlan}, ${n}::integer)`;
      await expectClaimRefused(tx, 'pat', '22023', units(-1), /from 0 to 100,000 \(you entered -1\)/);
      await expectClaimRefused(tx, 'pat', '22023', units(100001), /from 0 to 100,000/);
      await expectClaimRefused(tx, 'pat', '22023', (sp) => sp`select public.set_claim_line_units(${retainer}, 1)`, /A retainer has no units/);
      await expectClaimRefused(tx, 'ash', '42501', units(5));
      await expectClaimRefused(tx, 'pat', 'PT404', (sp) => sp`select public.set_claim_line_units(${PERSON.pat}, 1)`, /line does not exist/);

      await setUnits(tx, 'pat', carePlan, 100000);
      expect((await claimRow(tx, claim.id))!.total).toBe('19343500.00');
      await setUnits(tx, 'pat', carePlan, 0);
      expect((await claimRow(tx, claim.id))!.total).toBe('1500.00');
      await setUnits(tx, 'pat', carePlan, null);
      const [line] = await tx`select units, amount from public.claim_lines where id = ${carePlan}`;
      expect(line).toEqual({ units: null, amount: '0.00' });
      const audit = await tx`select after ->> 'units_before' as before, after ->> 'units' as units from public.audit_log
                             where action = 'claim.set_units' and entity_id = ${claim.id} order by id`;
      expect(audit).toEqual([
        { before: null, units: '100000' },
        { before: '100000', units: '0' },
        { before: '0', units: null },
      ]);
    }));

  it('a retainer is acknowledged (and un-acknowledged); a unit line cannot be', () =>
    claimTx(async (tx) => {
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.carePlan, COMPONENT.retainer]);
      const retainer = await lineId(tx, claim.id, COMPONENT.retainer);
      await asOk(tx, 'pat', (sp) => sp`select public.acknowledge_claim_retainer(${retainer}, true)`);
      const [acknowledged] = await tx`select acknowledged_by, acknowledged_at is not null as at from public.claim_lines where id = ${retainer}`;
      expect(acknowledged).toEqual({ acknowledged_by: PERSON.pat, at: true });
      await asOk(tx, 'pat', (sp) => sp`select public.acknowledge_claim_retainer(${retainer}, false)`);
      const [cleared] = await tx`select acknowledged_by, acknowledged_at from public.claim_lines where id = ${retainer}`;
      expect(cleared).toEqual({ acknowledged_by: null, acknowledged_at: null });
      const carePlan = await lineId(tx, claim.id, COMPONENT.carePlan);
      await expectClaimRefused(tx, 'pat', '22023', (sp) => sp`select public.acknowledge_claim_retainer(${carePlan}, true)`, /Only a retainer/);
      await expectClaimRefused(tx, 'ash', '42501', (sp) => sp`select public.acknowledge_claim_retainer(${retainer}, true)`);
    }));
});

describe('set_claim_answer', () => {
  it('each kind of question takes its own kind of answer, and refuses the other', () =>
    claimTx(async (tx) => {
      // Depot gets a number and a date question too, for this test.
      const [numberQ, dateQ] = await direct(
        tx,
        () => tx<{ id: string }[]>`
          insert into public.service_questions (service_id, position, kind, question, required)
          values (${SERVICE.depot}, 3, 'number', 'Patients on the depot register', true),
                 (${SERVICE.depot}, 4, 'date', 'Date of the last audit', false)
          returning id`,
      );
      const claim = await startClaim(tx, 'pat', ORG.ZP1001);
      await addLines(tx, 'pat', claim.id, [COMPONENT.depotInjection]);
      const answer = (q: string, yes: boolean | null, text: string | null) => (sp: Tx) =>
        sp`select public.set_claim_answer(${claim.id}, ${q}, ${yes}::boolean, ${text}::text)`;
      const stored = async (q: string) =>
        (await tx`select answer_yes, answer_text from public.claim_answers where claim_id = ${claim.id} and question_id = ${q}`)[0];

      await asOk(tx, 'pat', answer(QUESTION.depotQualified, true, null));
      expect(await stored(QUESTION.depotQualified)).toEqual({ answer_yes: true, answer_text: null });
      await expectClaimRefused(tx, 'pat', '22023', answer(QUESTION.depotQualified, null, 'yes'), /is answered Yes or No/);

      await asOk(tx, 'pat', answer(QUESTION.depotClinician, null, '  Dr Rivers  '));
      expect(await stored(QUESTION.depotClinician)).toEqual({ answer_yes: null, answer_text: 'Dr Rivers' });
      await expectClaimRefused(tx, 'pat', '22023', answer(QUESTION.depotClinician, true, null), /answered in words, not Yes or No/);
      await expectClaimRefused(tx, 'pat', '22023', answer(QUESTION.depotClinician, null, 'x'.repeat(1001)), /too long \(1001 characters/);
      // Blank text clears the answer.
      await asOk(tx, 'pat', answer(QUESTION.depotClinician, null, '   '));
      expect(await stored(QUESTION.depotClinician)).toEqual({ answer_yes: null, answer_text: null });

      await asOk(tx, 'pat', answer(numberQ!.id, null, '3.5'));
      await asOk(tx, 'pat', answer(numberQ!.id, null, '12'));
      expect(await stored(numberQ!.id)).toEqual({ answer_yes: null, answer_text: '12' });
      await expectClaimRefused(tx, 'pat', '22023', answer(numberQ!.id, null, 'twelve'), /needs a number/);

      await asOk(tx, 'pat', answer(dateQ!.id, null, '2025-10-31'));
      expect(await stored(dateQ!.id)).toEqual({ answer_yes: null, answer_text: '2025-10-31' });
      await expectClaimRefused(tx, 'pat', '22023', answer(dateQ!.id, null, '2025-02-30'), /needs a date/);
      await expectClaimRefused(tx, 'pat', '22023', answer(dateQ!.id, null, '31/10/2025'), /needs a date/);

      // A question of a service not on this claim; a caller who may not change it.
      await direct(
        tx,
        () => tx`insert into public.service_questions (service_id, position, kind, question) values (${SERVICE.complexCare}, 1, 'free_text', 'Clinical lead')`,
      );
      const [other] = await tx`select id from public.service_questions where question = 'Clinical lead'`;
      await expectClaimRefused(tx, 'pat', 'PT404', answer(other!.id as string, null, 'Dr Rivers'), /not asked on this claim/);
      await expectClaimRefused(tx, 'ash', '42501', answer(QUESTION.depotQualified, false, null));
    }));
});
