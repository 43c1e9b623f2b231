// The offer state machine and allocated reports (issue 6): every transition
// allowed and refused per role and state, date validation, clusters, and
// "a refused call changes nothing". Each test runs in a rolled-back
// transaction on the seeded demo data (supabase/seed.sql).
import { describe, expect, it } from 'vitest';
import { as, asOk, CLUSTER, inTx, MEMBERSHIP, ORG, PERSON, type PgError, type Tx, type Who } from '../tenancy/fixtures.ts';
import { OFFER, SERVICE, servicesDigest } from './fixtures.ts';

type Dates = [string, string, string, string];
const FULL_YEAR: Dates = ['2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31'];

function offer(sp: Tx, service: string, providers: string[], [starts, ends, respond, target]: Dates = FULL_YEAR) {
  return sp<{ id: string }[]>`
    select public.offer_service(${service}::uuid, ${providers}::uuid[], ${starts}::date, ${ends}::date, ${respond}::date, ${target}::date) as id`;
}
const accept = (sp: Tx, id: string) => sp`select public.accept_offer(${id}::uuid)`;
const reject = (sp: Tx, id: string, reason: string | null = 'No capacity this year') => sp`select public.reject_offer(${id}::uuid, ${reason})`;
const withdraw = (sp: Tx, ids: string[]) => sp`select public.withdraw_offers(${ids}::uuid[]) as id`;
const cancel = (sp: Tx, ids: string[]) => sp`select public.cancel_offers(${ids}::uuid[]) as id`;

/** Expect `call` as `who` to be refused with `code` and to leave every service table, the outbox and the audit trail as they were. */
async function refused(
  tx: Tx,
  who: Who | { sub: string | null },
  call: (sp: Tx) => Promise<unknown>,
  code: string,
  /** false where Postgres itself refuses (no privilege: no hint). */
  ourError = true,
): Promise<PgError> {
  const before = await servicesDigest(tx);
  const outcome = await as(tx, who, call);
  if (outcome.ok) throw new Error(`expected ${code} as ${JSON.stringify(who)}, but the call succeeded`);
  expect(outcome.error.code, outcome.error.message).toBe(code);
  if (ourError) expect(outcome.error.hint, 'every refusal says what to do instead').toBeTruthy();
  expect(await servicesDigest(tx), 'a refused call changes nothing').toBe(before);
  return outcome.error;
}

async function status(tx: Tx, id: string): Promise<{ status: string; withdrawn: boolean; decided_by: string | null; cancelled_by: string | null; decision_reason: string | null }> {
  const [row] = await tx<{ status: string; withdrawn: boolean; decided_by: string | null; cancelled_by: string | null; decision_reason: string | null }[]>`
    select status::text, withdrawn, decided_by::text, cancelled_by::text, decision_reason from public.service_offers where id = ${id}`;
  return row!;
}

async function notifications(tx: Tx, kind: string): Promise<string[]> {
  const rows = await tx<{ recipient_id: string }[]>`select recipient_id::text from public.notifications where kind = ${kind}::public.notification_kind order by 1`;
  return rows.map((r) => r.recipient_id);
}

async function audits(tx: Tx, action: string): Promise<{ entity_id: string; actor_id: string | null; organisation_id: string }[]> {
  return tx<{ entity_id: string; actor_id: string | null; organisation_id: string }[]>`
    select entity_id, actor_id::text, organisation_id::text from public.audit_log where action = ${action} order by id`;
}

/** Chris Commissioner's membership restricted to cluster CL-ZN1-001 (ZP1001, ZP1002). */
async function restrictChrisToCluster(tx: Tx): Promise<void> {
  await tx`insert into public.cluster_assignments (membership_id, cluster_id) values (${MEMBERSHIP.chris}, ${CLUSTER})`;
}

/** A fresh offer of Learning Disability Health Checks (offered to nobody in the seed) to Riverside (ZP1001), made by Chris. */
async function healthChecksOfferToRiverside(tx: Tx): Promise<string> {
  const rows = await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001]));
  return rows[0]!.id;
}

describe('offer_service', () => {
  it('Commissioning Management offers a service to several providers in one call; each provider\'s Service Management is told', async () => {
    await inTx(async (tx) => {
      const rows = await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001, ORG.ZP1002, ORG.ZP1001]));
      expect(rows).toHaveLength(2);
      const offers = await tx<{ provider_id: string; status: string; offered_by: string; starts_on: string }[]>`
        select provider_id::text, status::text, offered_by::text, starts_on::text from public.service_offers
        where service_id = ${SERVICE.learningDisability} order by provider_id`;
      expect(offers).toEqual([
        { provider_id: ORG.ZP1001, status: 'offered', offered_by: PERSON.chris, starts_on: '2025-04-01' },
        { provider_id: ORG.ZP1002, status: 'offered', offered_by: PERSON.chris, starts_on: '2025-04-01' },
      ]);
      // Pat is ZP1001's Service Management; Bridge Street has nobody active to tell.
      expect(await notifications(tx, 'service_offered')).toEqual([PERSON.pat]);
      const entries = await audits(tx, 'offer.create');
      expect(entries.map((e) => e.actor_id)).toEqual([PERSON.chris, PERSON.chris]);
      expect(entries.map((e) => e.organisation_id).sort()).toEqual([ORG.ZP1001, ORG.ZP1002]);
    });
  });

  it('refuses everyone but Commissioning Management of the owner', async () => {
    await inTx(async (tx) => {
      for (const who of ['taylor', 'alex', 'casey', 'pat', 'ash', 'harper', 'lee', 'sam', 'robin'] as const) {
        await refused(tx, who, (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001]), '42501');
      }
      await refused(tx, { sub: null }, (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001]), '42501');
      await refused(tx, 'anon', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001]), '42501', false); // no EXECUTE
    });
  });

  it('refuses dates outside the service\'s own, and inconsistent or missing dates', async () => {
    await inTx(async (tx) => {
      const cases: [Dates, string, RegExp][] = [
        [['2025-03-31', '2026-03-31', '2025-05-31', '2026-03-31'], '23514', /start date lies outside .* \(01\/04\/2025 to 31\/03\/2026\)/],
        [['2025-04-01', '2026-04-01', '2025-05-31', '2026-03-31'], '23514', /end date lies outside/],
        [['2025-04-01', '2026-03-31', '2025-03-01', '2026-03-31'], '23514', /response date lies outside/],
        [['2025-04-01', '2026-03-31', '2025-05-31', '2026-06-30'], '23514', /target date lies outside/],
        [['2025-10-01', '2025-09-30', '2025-05-31', '2026-03-31'], '22023', /starts \(01\/10\/2025\) after it ends \(30\/09\/2025\)/],
        [['2025-04-01', '2025-06-30', '2025-07-31', '2025-06-30'], '22023', /response date \(31\/07\/2025\) is after the offer ends/],
      ];
      for (const [dates, code, message] of cases) {
        const error = await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001], dates), code);
        expect(error.message).toMatch(message);
      }
      await refused(tx, 'chris', (sp) => sp`select public.offer_service(${SERVICE.learningDisability}, ${[ORG.ZP1001]}::uuid[], null, '2026-03-31', '2025-05-31', '2026-03-31')`, '22023');
      // On the service's first and last day: fine.
      await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001], ['2025-04-01', '2026-03-31', '2026-03-31', '2025-04-01']));
    });
  });

  it('refuses providers that are not providers, not below the commissioner, unknown, or missing', async () => {
    await inTx(async (tx) => {
      expect((await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZN1E]), '22023')).message).toMatch(/not a provider/);
      expect((await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001, ORG.ZP2001]), '23514')).message).toMatch(/Harbour Medical Practice \(ZP2001\) is not under/);
      await refused(tx, 'robin', (sp) => offer(sp, SERVICE.minorSurgery, [ORG.ZP1001]), '23514');
      await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001, '0a000000-0000-4000-8000-999999999999']), 'PT404');
      await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, []), '22023');
      await refused(tx, 'chris', (sp) => offer(sp, '1a000000-0000-4000-8000-999999999999', [ORG.ZP1001]), 'PT404');
    });
  });

  it('refuses a second live offer (offered, approved or rejected); a cancelled one may be offered again', async () => {
    await inTx(async (tx) => {
      for (const provider of [ORG.ZP1001, ORG.ZP1003, ORG.ZP1004]) {
        const error = await refused(tx, 'chris', (sp) => offer(sp, SERVICE.complexCare, [ORG.ZP1005, provider]), 'PT409');
        expect(error.message).toMatch(/already has an offer/);
      }
      const rows = await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.complexCare, [ORG.ZP1005]));
      expect(rows).toHaveLength(1);
      expect((await status(tx, rows[0]!.id)).status).toBe('offered');
    });
  });

  it('a cluster-restricted commissioner offers only to the cluster\'s providers', async () => {
    await inTx(async (tx) => {
      await restrictChrisToCluster(tx);
      const error = await refused(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001, ORG.ZP1003]), '42501');
      expect(error.message).toMatch(/Mill Lane Practice \(ZP1003\) is outside your reach/);
      const rows = await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001, ORG.ZP1002]));
      expect(rows).toHaveLength(2);
    });
  });
});

describe('accept_offer and reject_offer (provider Service Management; only offered)', () => {
  it('accept: offered → approved, no message to anyone', async () => {
    await inTx(async (tx) => {
      const id = await healthChecksOfferToRiverside(tx);
      const before = await tx`select count(*)::int as n from public.notifications`;
      await asOk(tx, 'pat', (sp) => accept(sp, id));
      expect(await status(tx, id)).toMatchObject({ status: 'approved', decided_by: PERSON.pat, withdrawn: false });
      const after = await tx`select count(*)::int as n from public.notifications`;
      expect(after[0]!.n).toBe(before[0]!.n);
      expect((await audits(tx, 'offer.accept')).map((e) => [e.entity_id, e.actor_id])).toEqual([[id, PERSON.pat]]);
    });
  });

  it('reject: offered → rejected with the reason; the commissioner\'s Commissioning Management is told', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'harper', (sp) => reject(sp, OFFER.zp2001, '  No surgeon available  '));
      expect(await status(tx, OFFER.zp2001)).toMatchObject({ status: 'rejected', decided_by: PERSON.harper, decision_reason: 'No surgeon available' });
      expect(await notifications(tx, 'offer_rejected')).toEqual([PERSON.robin]);
      const id = await healthChecksOfferToRiverside(tx);
      await asOk(tx, 'pat', (sp) => reject(sp, id));
      expect(await notifications(tx, 'offer_rejected')).toEqual([PERSON.chris, PERSON.robin].sort());
      expect((await audits(tx, 'offer.reject')).map((e) => e.actor_id)).toEqual([PERSON.harper, PERSON.pat]);
    });
  });

  it('a reason is required to reject', async () => {
    await inTx(async (tx) => {
      await refused(tx, 'harper', (sp) => reject(sp, OFFER.zp2001, '   '), '22023');
      await refused(tx, 'harper', (sp) => reject(sp, OFFER.zp2001, null), '22023');
      await refused(tx, 'harper', (sp) => reject(sp, OFFER.zp2001, 'x'.repeat(501)), '22023');
    });
  });

  it('refused for anyone but the provider\'s Service Management', async () => {
    await inTx(async (tx) => {
      const id = await healthChecksOfferToRiverside(tx);
      for (const who of ['ash', 'chris', 'alex', 'taylor', 'casey', 'harper', 'lee', 'sam', 'robin'] as const) {
        await refused(tx, who, (sp) => accept(sp, id), '42501');
        await refused(tx, who, (sp) => reject(sp, id), '42501');
      }
      await refused(tx, { sub: null }, (sp) => accept(sp, id), '42501');
      await refused(tx, 'pat', (sp) => accept(sp, '2b000000-0000-4000-8000-999999999999'), 'PT404');
    });
  });

  it('refused unless the offer is offered (approved, rejected, cancelled, withdrawn)', async () => {
    await inTx(async (tx) => {
      const rejected = await healthChecksOfferToRiverside(tx);
      await asOk(tx, 'pat', (sp) => reject(sp, rejected));
      await asOk(tx, 'chris', (sp) => cancel(sp, [rejected]));
      const withdrawn = await healthChecksOfferToRiverside(tx);
      await asOk(tx, 'chris', (sp) => withdraw(sp, [withdrawn]));
      const stillRejected = await healthChecksOfferToRiverside(tx);
      await asOk(tx, 'pat', (sp) => reject(sp, stillRejected));
      for (const id of [OFFER.zp1001 /* approved */, rejected /* cancelled */, withdrawn, stillRejected]) {
        await refused(tx, 'pat', (sp) => accept(sp, id), 'PT409');
        await refused(tx, 'pat', (sp) => reject(sp, id), 'PT409');
      }
    });
  });
});

describe('withdraw_offers (only offered) and cancel_offers (only approved or rejected)', () => {
  it('withdraw: offered → cancelled and withdrawn; the provider is told', async () => {
    await inTx(async (tx) => {
      const id = await healthChecksOfferToRiverside(tx);
      const rows = await asOk(tx, 'chris', (sp) => withdraw(sp, [id, OFFER.zp1004]));
      expect(rows.map((r) => r.id).sort()).toEqual([id, OFFER.zp1004].sort());
      for (const offerId of [id, OFFER.zp1004]) {
        expect(await status(tx, offerId)).toMatchObject({ status: 'cancelled', withdrawn: true, cancelled_by: PERSON.chris });
      }
      expect(await notifications(tx, 'offer_withdrawn')).toEqual([PERSON.pat]);
      expect(await audits(tx, 'offer.withdraw')).toHaveLength(2);
      await asOk(tx, 'robin', (sp) => withdraw(sp, [OFFER.zp2001]));
      expect(await notifications(tx, 'offer_withdrawn')).toEqual([PERSON.pat, PERSON.harper].sort());
    });
  });

  it('cancel: approved or rejected → cancelled (not withdrawn); the provider is told', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'chris', (sp) => cancel(sp, [OFFER.zp1001, OFFER.zp1003]));
      expect(await status(tx, OFFER.zp1001)).toMatchObject({ status: 'cancelled', withdrawn: false, cancelled_by: PERSON.chris });
      expect(await status(tx, OFFER.zp1003)).toMatchObject({ status: 'cancelled', withdrawn: false });
      expect(await notifications(tx, 'offer_cancelled')).toEqual([PERSON.pat]);
      expect((await audits(tx, 'offer.cancel')).map((e) => e.organisation_id).sort()).toEqual([ORG.ZP1001, ORG.ZP1003]);
    });
  });

  it('each refuses the wrong states, all or nothing', async () => {
    await inTx(async (tx) => {
      expect((await refused(tx, 'chris', (sp) => withdraw(sp, [OFFER.zp1004, OFFER.zp1001]), 'PT409')).hint).toMatch(/Cancel it instead/);
      await refused(tx, 'chris', (sp) => withdraw(sp, [OFFER.zp1003]), 'PT409');
      await refused(tx, 'chris', (sp) => withdraw(sp, [OFFER.zp1005]), 'PT409');
      expect((await refused(tx, 'chris', (sp) => cancel(sp, [OFFER.zp1001, OFFER.zp1004]), 'PT409')).hint).toMatch(/Withdraw it instead/);
      await refused(tx, 'chris', (sp) => cancel(sp, [OFFER.zp1005]), 'PT409');
      await refused(tx, 'chris', (sp) => withdraw(sp, []), '22023');
      await refused(tx, 'chris', (sp) => cancel(sp, ['2b000000-0000-4000-8000-999999999999']), 'PT404');
      expect((await status(tx, OFFER.zp1004)).status).toBe('offered');
      expect((await status(tx, OFFER.zp1001)).status).toBe('approved');
    });
  });

  it('refused for anyone but Commissioning Management of the owner reaching the provider (clusters too)', async () => {
    await inTx(async (tx) => {
      for (const who of ['taylor', 'alex', 'casey', 'pat', 'ash', 'harper', 'sam', 'robin'] as const) {
        await refused(tx, who, (sp) => withdraw(sp, [OFFER.zp1004]), '42501');
        await refused(tx, who, (sp) => cancel(sp, [OFFER.zp1001]), '42501');
      }
      await refused(tx, 'chris', (sp) => withdraw(sp, [OFFER.zp2001]), '42501');
      await restrictChrisToCluster(tx);
      await refused(tx, 'chris', (sp) => withdraw(sp, [OFFER.zp1004]), '42501');
      await refused(tx, 'chris', (sp) => cancel(sp, [OFFER.zp1001, OFFER.zp1003]), '42501');
      await asOk(tx, 'chris', (sp) => cancel(sp, [OFFER.zp1001, OFFER.zp1002]));
    });
  });
});

describe('offers change only through the actions', () => {
  it('the API roles cannot write offers; even the table owner is refused without app.action', async () => {
    await inTx(async (tx) => {
      for (const who of ['chris', 'pat'] as const) {
        // (no privilege: Postgres refuses before any row is considered)
        await refused(tx, who, (sp) => sp`update public.service_offers set status = 'approved' where id = ${OFFER.zp1004}`, '42501', false);
        await refused(tx, who, (sp) => sp`delete from public.service_offers where id = ${OFFER.zp1004}`, '42501', false);
        await refused(tx, who, (sp) => sp`insert into public.service_offers (service_id, provider_id, starts_on, ends_on, respond_by, target_date)
          values (${SERVICE.depot}, ${ORG.ZP1001}, '2025-04-01', '2026-03-31', '2025-05-31', '2026-03-31')`, '42501', false);
        await refused(tx, who, (sp) => sp`insert into public.allocated_reports (organisation_id, service_id) values (${ORG.ZN1W}, ${SERVICE.depot})`, '42501', false);
      }
      await refused(tx, { sub: PERSON.chris }, async (sp) => {
        await sp`select set_config('role', 'postgres', true)`;
        return sp`update public.service_offers set status = 'approved' where id = ${OFFER.zp1004}`;
      }, '42501');
      await refused(tx, { sub: PERSON.chris }, async (sp) => {
        await sp`select set_config('role', 'postgres', true)`;
        return sp`delete from public.allocated_reports`;
      }, '42501');
    });
  });
});

describe('set_allocated_reports and can_report_on', () => {
  const setReports = (sp: Tx, org: string, allocate: string[], unallocate: string[] = []) =>
    sp<{ id: string }[]>`select public.set_allocated_reports(${org}::uuid, ${allocate}::uuid[], ${unallocate}::uuid[]) as id`;
  const canReport = async (tx: Tx, who: Who, service: string, org: string) =>
    (await asOk(tx, who, (sp) => sp<{ ok: boolean }[]>`select public.can_report_on(${service}::uuid, ${org}::uuid) as ok`))[0]!.ok;

  it('an Organisation Administrator of the commissioner ticks and unticks services for a descendant', async () => {
    await inTx(async (tx) => {
      expect(await canReport(tx, 'alex', SERVICE.depot, ORG.ZN1W)).toBe(false);
      const rows = await asOk(tx, 'alex', (sp) => setReports(sp, ORG.ZN1W, [SERVICE.depot, SERVICE.networkDes]));
      expect(rows.map((r) => r.id).sort()).toEqual([SERVICE.depot, SERVICE.networkDes].sort());
      expect(await canReport(tx, 'alex', SERVICE.depot, ORG.ZN1W)).toBe(true);
      // Ticking again changes nothing; unticking removes.
      await asOk(tx, 'alex', (sp) => setReports(sp, ORG.ZN1W, [SERVICE.depot], [SERVICE.networkDes]));
      const left = await tx`select service_id::text from public.allocated_reports where organisation_id = ${ORG.ZN1W}`;
      expect(left.map((r) => r.service_id)).toEqual([SERVICE.depot]);
      const entries = await tx`select action, actor_id::text from public.audit_log where action like 'allocated_report.%' order by id`;
      expect(entries.map((e) => `${e.action}:${e.actor_id === PERSON.alex}`)).toEqual(['allocated_report.add:true', 'allocated_report.add:true', 'allocated_report.remove:true']);
    });
  });

  it('can_report_on: the commissioner and those above it, allocated descendants; nobody else', async () => {
    await inTx(async (tx) => {
      expect(await canReport(tx, 'alex', SERVICE.complexCare, ORG.ZN1)).toBe(true);
      expect(await canReport(tx, 'alex', SERVICE.complexCare, ORG.ZR1)).toBe(true);
      expect(await canReport(tx, 'alex', SERVICE.complexCare, ORG.ZN1E)).toBe(true); // allocated in the seed
      expect(await canReport(tx, 'alex', SERVICE.complexCare, ORG.ZN1W)).toBe(false);
      expect(await canReport(tx, 'alex', SERVICE.complexCare, ORG.ZP1001)).toBe(false);
      expect(await canReport(tx, 'robin', SERVICE.complexCare, ORG.ZN1)).toBe(false); // not visible to Southvale
    });
  });

  it('refuses other roles, organisations not below the commissioner, and bad input', async () => {
    await inTx(async (tx) => {
      for (const who of ['chris', 'taylor', 'robin', 'pat', 'sam'] as const) {
        await refused(tx, who, (sp) => setReports(sp, ORG.ZN1W, [SERVICE.depot]), '42501');
      }
      await refused(tx, 'alex', (sp) => setReports(sp, ORG.ZN1, [SERVICE.depot]), '23514');
      await refused(tx, 'alex', (sp) => setReports(sp, ORG.ZS1C, [SERVICE.depot]), '23514');
      await refused(tx, 'alex', (sp) => setReports(sp, ORG.ZN1W, [SERVICE.depot], [SERVICE.depot]), '22023');
      await refused(tx, 'alex', (sp) => setReports(sp, ORG.ZN1W, ['1a000000-0000-4000-8000-999999999999']), 'PT404');
      await refused(tx, 'alex', (sp) => setReports(sp, '0a000000-0000-4000-8000-999999999999', [SERVICE.depot]), 'PT404');
      await refused(tx, 'alex', (sp) => setReports(sp, ORG.ZN1W, [SERVICE.minorSurgery]), '42501');
    });
  });
});

describe('offer_service refuses a local service with nothing to claim (issue 11)', () => {
  async function localService(tx: Tx, participationOnly = false): Promise<string> {
    const [row] = await asOk(tx, 'chris', (sp) => sp<{ id: string }[]>`
      insert into public.quality_services (commissioner_id, kind, financial_year, payment_type, name, starts_on, ends_on, participation_only)
      values (${ORG.ZN1}, 'local', '2025/26', 'Local Incentive Scheme', 'Wound Care 2025/26', '2025-04-01', '2026-03-31', ${participationOnly})
      returning id`);
    return row!.id;
  }
  const component = (service: string, kind: 'unit' | 'participation') => (sp: Tx) =>
    kind === 'unit'
      ? sp`insert into public.service_components (service_id, position, name, kind, unit_price) values (${service}, 1, 'Dressing', 'unit', 12.00) returning id`
      : sp`insert into public.service_components (service_id, position, name, kind) values (${service}, 2, 'Taking part', 'participation') returning id`;
  const window = (service: string, from: string, to: string) => (sp: Tx) =>
    sp`insert into public.claim_windows (service_id, period_label, period_starts_on, period_ends_on, opens_on, closes_on)
       values (${service}, ${`${from} to ${to}`}, ${from}, ${to}, ${to}, ${to}) returning id`;
  const H1: Dates = ['2025-04-01', '2025-09-30', '2025-05-31', '2025-09-30'];

  it('no components, only participation components, no claim window in the offer\'s period: refused, each saying why', async () => {
    await inTx(async (tx) => {
      const service = await localService(tx);
      let error = await refused(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001], H1), '23514');
      expect(error.message).toBe('Wound Care 2025/26 has nothing to claim: it has no unit or retainer component, so providers could not claim anything.');
      expect(error.hint).toBe('Add a unit or retainer component, or make the service participation only, before offering it.');

      await asOk(tx, 'chris', component(service, 'participation'));
      error = await refused(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001], H1), '23514');
      expect(error.message).toMatch(/has nothing to claim: it has no unit or retainer component/);

      await asOk(tx, 'chris', component(service, 'unit'));
      error = await refused(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001], H1), '23514');
      expect(error.message).toBe(
        'Wound Care 2025/26 has nothing to claim between 01/04/2025 and 30/09/2025: none of its claim windows covers a period in those dates.',
      );
      expect(error.hint).toBe("Add a claim window for a period inside the offer's dates, or change the dates.");

      // A window for a later period does not help this offer …
      await asOk(tx, 'chris', window(service, '2025-10-01', '2025-12-31'));
      await refused(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001], H1), '23514');
      // … one inside it does.
      await asOk(tx, 'chris', window(service, '2025-07-01', '2025-09-30'));
      expect(await asOk(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001], H1))).toHaveLength(1);
    });
  });

  it('a participation-only service needs no claimable component or window; national services are not refused here', async () => {
    await inTx(async (tx) => {
      const service = await localService(tx, true);
      expect(await asOk(tx, 'chris', (sp) => offer(sp, service, [ORG.ZP1001]))).toHaveLength(1);
      const [national] = await asOk(tx, 'chris', (sp) => sp<{ id: string }[]>`
        insert into public.quality_services (commissioner_id, kind, financial_year, payment_type, name, starts_on, ends_on)
        values (${ORG.ZN1}, 'national', '2025/26', 'Quality and Outcomes Framework', 'QOF 2025/26', '2025-04-01', '2026-03-31') returning id`);
      expect(await asOk(tx, 'chris', (sp) => offer(sp, national!.id, [ORG.ZP1001]))).toHaveLength(1);
    });
  });

  it('the demo services can all still be offered', async () => {
    await inTx(async (tx) => {
      // Depot is accepted by ZP1001–ZP1004 in the seed: offered here to the one practice without it.
      expect(await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.depot, [ORG.ZP1005]))).toHaveLength(1);
      expect(await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.learningDisability, [ORG.ZP1001]))).toHaveLength(1);
      // The DES is approved for ZP1001–ZP1006 and the PCNs in the seed (issue 14's demo): ZP1001's is cancelled first.
      await tx`select set_config('app.action', 'test', true)`;
      await tx`update public.service_offers set status = 'cancelled', cancelled_at = now() where service_id = ${SERVICE.networkDes} and provider_id = ${ORG.ZP1001}`;
      await tx`select set_config('app.action', '', true)`;
      expect(await asOk(tx, 'chris', (sp) => offer(sp, SERVICE.networkDes, [ORG.ZP1001]))).toHaveLength(1);
    });
  });
});
