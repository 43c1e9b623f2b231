// The access helpers: who reaches which organisations (hierarchy, sub-ICB
// scoping, clusters, providers, revoked/disabled/pending → nothing), and the
// role helpers the actions build on. Also: the helpers live in a schema the
// API does not expose, with a fixed search_path.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../stack/config.ts';
import { asOk, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx } from './fixtures.ts';

async function reach(tx: Tx, who: PersonName | { sub: string }): Promise<string[]> {
  const rows = await asOk(tx, who, (sp) => sp<{ ods_code: string }[]>`
    select o.ods_code from public.organisations o where o.id = any (array(select private.reachable_organisations())) order by 1`);
  return rows.map((r) => r.ods_code);
}

const ZN1_TREE = ['ZN1', 'ZN1E', 'ZN1W', 'ZP1001', 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1005', 'ZP1006', 'ZU101', 'ZU102', 'ZU103'];

describe('private.reachable_organisations()', () => {
  it.each<[PersonName, string[]]>([
    ['sam', []], // the Support Desk reaches people, not organisations' business
    ['alex', ZN1_TREE],
    ['chris', ZN1_TREE],
    ['taylor', ZN1_TREE],
    ['jordan', ZN1_TREE],
    ['morgan', ZN1_TREE],
    ['casey', ['ZP1001', 'ZP1002']], // cluster CL-ZN1-001 only
    ['robin', ['ZP2001', 'ZP2002', 'ZS1', 'ZS1C', 'ZU201']], // Southvale, nothing of Northshire
    ['pat', ['ZP1001']],
    ['ash', ['ZP1001']],
    ['harper', ['ZP2001']],
    ['lee', ['ZU101']], // a PCN membership reaches the PCN, not its practices
    ['nina', []], // pending
    ['reception', []],
    ['dana', []],
  ])('%s reaches %j', async (who, expected) => {
    await inTx(async (tx) => {
      expect(await reach(tx, who)).toEqual(expected);
    });
  });

  it("a sub-ICB membership reaches that sub-ICB's subtree only", async () => {
    await inTx(async (tx) => {
      const [invited] = await asOk(tx, 'alex', (sp) => sp<{ profile_id: string }[]>`
        select profile_id from public.invite_user('erin.east@northshire.example', 'Erin East', ${ORG.ZN1E}::uuid, '{commissioning_management}')`);
      await tx`update auth.users set email_confirmed_at = now() where id = ${invited!.profile_id}`;
      expect(await reach(tx, { sub: invited!.profile_id })).toEqual(['ZN1E', 'ZP1001', 'ZP1002', 'ZP1003', 'ZP1004', 'ZP1006', 'ZU101', 'ZU102']);
    });
  });

  it('revoked memberships and disabled accounts reach nothing, at once', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.jordan})`);
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}, 'left_organisation')`);
      expect(await reach(tx, 'jordan')).toEqual([]);
      expect(await reach(tx, 'morgan')).toEqual([]);
    });
  });

  it('several memberships add up', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'robin', (sp) => sp`select public.invite_user('practice.user@riverside.example', 'Pat Practice', ${ORG.ZP2002}::uuid, '{view}')`);
      expect(await reach(tx, 'pat')).toEqual(['ZP1001', 'ZP2002']);
    });
  });

  it('is nothing without a signed-in user', async () => {
    await inTx(async (tx) => {
      const rows = await asOk(tx, { sub: null } as never, (sp) => sp`select private.reachable_organisations()`);
      expect(rows).toEqual([]);
    });
  });
});

describe('role helpers', () => {
  async function ask(tx: Tx, who: PersonName, query: (sp: Tx) => Promise<{ answer: boolean }[]>): Promise<boolean> {
    const [row] = await asOk(tx, who, query);
    return row!.answer;
  }

  it('has_role: exactly at the organisation, active membership, active account', async () => {
    await inTx(async (tx) => {
      const hasRole = (org: string, role: string) => (sp: Tx) =>
        sp<{ answer: boolean }[]>`select private.has_role(${org}::uuid, ${role}::public.app_role) as answer`;
      expect(await ask(tx, 'alex', hasRole(ORG.ZN1, 'user_administrator'))).toBe(true);
      expect(await ask(tx, 'alex', hasRole(ORG.ZN1E, 'user_administrator'))).toBe(false); // not *at* ZN1E
      expect(await ask(tx, 'alex', hasRole(ORG.ZN1, 'finance'))).toBe(false);
      expect(await ask(tx, 'ash', hasRole(ORG.ZP1001, 'provider_approver'))).toBe(true);
      expect(await ask(tx, 'pat', hasRole(ORG.ZP1001, 'provider_approver'))).toBe(false);
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.ash})`);
      expect(await ask(tx, 'ash', hasRole(ORG.ZP1001, 'provider_approver'))).toBe(false);
    });
  });

  it('has_role_over: through the hierarchy and clusters', async () => {
    await inTx(async (tx) => {
      const over = (org: string, roles: string) => (sp: Tx) =>
        sp<{ answer: boolean }[]>`select private.has_role_over(${org}::uuid, ${roles}::public.app_role[]) as answer`;
      expect(await ask(tx, 'alex', over(ORG.ZP1004, '{user_administrator}'))).toBe(true);
      expect(await ask(tx, 'alex', over(ORG.ZP2001, '{user_administrator}'))).toBe(false);
      expect(await ask(tx, 'alex', over(ORG.ZR1, '{user_administrator}'))).toBe(false); // never upwards
      expect(await ask(tx, 'casey', over(ORG.ZP1002, '{approver_tier_1}'))).toBe(true);
      expect(await ask(tx, 'casey', over(ORG.ZP1003, '{approver_tier_1}'))).toBe(false);
      expect(await ask(tx, 'casey', over(ORG.ZN1, '{approver_tier_1}'))).toBe(false);
      expect(await ask(tx, 'lee', over(ORG.ZP1001, '{declaration_management}'))).toBe(false);
      expect(await ask(tx, 'lee', over(ORG.ZU101, '{declaration_management}'))).toBe(true);
    });
  });

  it('is_support_desk: the platform role of an active account', async () => {
    await inTx(async (tx) => {
      const desk = (sp: Tx) => sp<{ answer: boolean }[]>`select private.is_support_desk() as answer`;
      expect(await ask(tx, 'sam', desk)).toBe(true);
      expect(await ask(tx, 'alex', desk)).toBe(false);
      await tx`select set_config('app.action', 'test', true)`;
      await tx`update public.profiles set status = 'disabled', status_before_disable = 'active', disable_reason = 'inactivity' where id = ${PERSON.sam}`;
      expect(await ask(tx, 'sam', desk)).toBe(false);
    });
  });
});

describe('the helpers themselves', () => {
  it('live in the private schema (not exposed over the API): security definer, stable, fixed search_path', async () => {
    await inTx(async (tx) => {
      const helpers = await tx<{ name: string; definer: boolean; volatility: string; config: string[] | null }[]>`
        select p.proname as name, p.prosecdef as definer, p.provolatile as volatility, p.proconfig as config
        from pg_proc p
        where p.pronamespace = 'private'::regnamespace
          and p.proname in ('reachable_organisations', 'organisations_with_role', 'has_role', 'has_role_over', 'is_support_desk',
                            'managed_organisations', 'visible_people', 'visible_clusters', 'member_organisations_and_ancestors',
                            'caller_not_disabled', 'managed_people')
        order by 1`;
      expect(helpers).toHaveLength(11);
      for (const helper of helpers) {
        expect(helper, helper.name).toMatchObject({ definer: true, volatility: 's', config: ['search_path=""'] });
      }
      const config = parse(await fs.readFile(path.join(projectRoot, 'supabase', 'config.toml'), 'utf8')) as { api: { schemas: string[] } };
      expect(config.api.schemas).toEqual(['public', 'graphql_public']);
    });
  });

  it('every function in public and private has a fixed search_path; every security definer one in public is an action or my_access', async () => {
    await inTx(async (tx) => {
      const loose = await tx`
        select n.nspname || '.' || p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private') and not coalesce('search_path=""' = any (p.proconfig), false)`;
      expect(loose).toEqual([]);
      const definers = await tx<{ name: string }[]>`
        select p.proname as name from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1`;
      expect(definers.map((d) => d.name)).toEqual([
        'accept_offer',
        'achievement_change_problem', // answers only for achievement the caller reads (provider or commissioner reach)
        'achievement_summary_rows', // rows only for declarations the caller reads (person_has_role_over, the declarations policy's roles)
        'acknowledge_claim_retainer',
        'add_claim_lines',
        'add_cluster_organisation',
        'add_membership',
        'add_pcn_membership',
        'approve_access_request',
        'approve_claim_as_provider',
        'approve_declarations',
        'approve_registration',
        'assign_cluster',
        'assign_roles',
        'bulk_claim_periods', // Approver Tier 1 of the commissioner only (private.require_bulk_claimer)
        'bulk_claim_template', // the same; rows only for providers the caller reaches at Tier 1
        'cancel_offers',
        'cancel_payment_run',
        'claim_review_counts', // counts through the caller's own roles only (organisations_with_role)
        'create_cluster',
        'create_payment_run',
        'declaration_history', // audit entries only of declarations the caller reads (person_has_role_over, the declarations policy's roles)
        'declare_achievements',
        'decline_claim',
        'delete_claim',
        'delete_claim_evidence',
        'disable_account',
        'disable_own_account',
        'discard_achievement_work',
        'enable_account',
        'enable_membership',
        'end_pcn_membership',
        'evidence_purge_done', // service role only (scan-evidence)
        'evidence_purge_due', // service role only (scan-evidence)
        'evidence_scan_due', // service role only (scan-evidence)
        'evidence_scan_failed', // service role only (scan-evidence)
        'finance_approve_declarations',
        'import_bulk_claims',
        'invite_user',
        'load_achievement_extract', // service role only (scripts/load-achievement-extract.ts)
        'load_list_sizes', // service role only (scripts/load-achievement-extract.ts)
        'move_pcn_membership',
        'my_access', // reads only the caller's own account
        'network_relationship_report', // applies pcn_memberships' reach itself, plus the PCNs of a practice user's practices
        'new_claim_availability', // answers only for a provider the caller belongs to
        'offer_service',
        'payment_deliveries_due', // service role only (deliver-payment-runs)
        'payment_delivery_recorded', // service role only (deliver-payment-runs)
        'payment_run_file_rows', // Finance of the run's commissioner, or the service role (payment-file, deliver-payment-runs)
        'preview_payment_run',
        'record_claim_evidence',
        'record_evidence_scan', // service role only (scan-evidence)
        'record_payment_answer', // service role only (payment-system-answer)
        'reject_access_request',
        'reject_offer',
        'reject_registration',
        'remind_network_declarers',
        'remove_claim_lines',
        'remove_cluster_organisation',
        'request_access',
        'resend_payment_run',
        'return_claim',
        'review_claims',
        'revoke_membership',
        'run_achievement_recalculation', // service role only (recalculate-achievement)
        'save_achievement_values',
        'send_payment_run',
        'set_allocated_reports',
        'set_claim_answer',
        'set_claim_line_units',
        'set_notification_preferences',
        'start_achievement',
        'start_claim',
        'submit_achievement',
        'submit_claim',
        'submit_network_achievement',
        'unassign_cluster',
        'update_cluster',
        'withdraw_offers',
      ]);
    });
  });
});
