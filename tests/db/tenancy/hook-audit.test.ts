// The custom access token hook (run as Supabase Auth runs it) and the
// append-only audit trail.
import { describe, expect, it } from 'vitest';
import { claimProblems } from '../../../stack/gateway/auth/hook.ts';
import { asOk, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx } from './fixtures.ts';

/** The claims GoTrue hands to the hook for a password sign-in. */
function event(who: PersonName) {
  const now = Math.floor(Date.now() / 1000);
  return {
    user_id: PERSON[who],
    authentication_method: 'password',
    claims: {
      aud: 'authenticated',
      exp: now + 3600,
      iat: now,
      sub: PERSON[who],
      email: `${who}@example`,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: now }],
      session_id: '7f0b0c1e-0000-4000-8000-000000000001',
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Someone' },
    },
  };
}

/** Call the hook the way the auth service does: as supabase_auth_admin. */
async function hook(tx: Tx, who: PersonName): Promise<Record<string, any>> {
  return tx.savepoint(async (sp) => {
    await sp`set local role supabase_auth_admin`;
    const [row] = await sp<{ output: Record<string, any> }[]>`select public.custom_access_token_hook(${sp.json(event(who) as never)}::jsonb) as output`;
    await sp`reset role`;
    return row!.output;
  }) as Promise<Record<string, any>>;
}

describe('custom_access_token_hook', () => {
  it('adds the account status and active memberships to app_metadata, keeping every claim GoTrue requires', async () => {
    await inTx(async (tx) => {
      const output = await hook(tx, 'alex');
      expect(Object.keys(output)).toEqual(['claims']);
      const claims = output.claims;
      expect(claimProblems(claims)).toBe('');
      expect(claims.sub).toBe(PERSON.alex);
      expect(claims.role).toBe('authenticated');
      expect(claims.user_metadata).toEqual({ full_name: 'Someone' });
      expect(claims.app_metadata).toEqual({
        provider: 'email',
        providers: ['email'],
        account_status: 'active',
        platform_roles: [],
        memberships: [
          { organisation_id: ORG.ZN1, ods_code: 'ZN1', organisation_type: 'icb', roles: ['organisation_administrator', 'user_administrator'], clusters: [] },
        ],
      });
    });
  });

  it('names the clusters restricting a membership, and the platform roles', async () => {
    await inTx(async (tx) => {
      expect((await hook(tx, 'casey')).claims.app_metadata.memberships).toEqual([
        { organisation_id: ORG.ZN1, ods_code: 'ZN1', organisation_type: 'icb', roles: ['approver_tier_1'], clusters: ['CL-ZN1-001'] },
      ]);
      expect((await hook(tx, 'sam')).claims.app_metadata).toMatchObject({ account_status: 'active', platform_roles: ['support_desk'], memberships: [] });
    });
  });

  it('lists no access for revoked memberships, pending or disabled accounts', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.jordan})`);
      await asOk(tx, 'sam', (sp) => sp`select public.disable_account(${PERSON.morgan}, 'left_organisation')`);
      expect((await hook(tx, 'jordan')).claims.app_metadata).toMatchObject({ account_status: 'active', memberships: [] });
      expect((await hook(tx, 'nina')).claims.app_metadata).toMatchObject({ account_status: 'pending', memberships: [], platform_roles: [] });
      expect((await hook(tx, 'morgan')).claims.app_metadata).toMatchObject({ account_status: 'disabled', memberships: [], platform_roles: [] });
    });
  });

  it('is stable, executable by supabase_auth_admin only', async () => {
    await inTx(async (tx) => {
      const [fn] = await tx`
        select p.provolatile as volatility, p.prosecdef as definer,
               has_function_privilege('supabase_auth_admin', p.oid, 'execute') as auth_admin,
               has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
               has_function_privilege('anon', p.oid, 'execute') as anon
        from pg_proc p where p.oid = 'public.custom_access_token_hook(jsonb)'::regprocedure`;
      expect(fn).toEqual({ volatility: 's', definer: false, auth_admin: true, authenticated: false, anon: false });
      // …and the summary it reads is not reachable by the API roles either.
      const [summary] = await tx`
        select has_function_privilege('authenticated', 'private.access_token_summary(uuid)', 'execute') as authenticated,
               has_function_privilege('supabase_auth_admin', 'private.access_token_summary(uuid)', 'execute') as auth_admin`;
      expect(summary).toEqual({ authenticated: false, auth_admin: true });
    });
  });
});

describe('audit trail', () => {
  async function attempt(tx: Tx, role: string | null, statement: string) {
    try {
      await tx.savepoint(async (sp) => {
        if (role) await sp.unsafe(`set local role ${role}`);
        await sp.unsafe(statement);
      });
      return 'ran';
    } catch (error) {
      return `${(error as { code: string }).code}: ${(error as Error).message}`;
    }
  }

  it('cannot be changed or emptied, not even by the table owner', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.jordan}, 'Audit me')`);
      expect(await attempt(tx, null, `update public.audit_log set reason = 'rewritten'`)).toBe(
        '42501: The audit trail is append-only: UPDATE is not allowed.',
      );
      expect(await attempt(tx, null, `delete from public.audit_log`)).toBe('42501: The audit trail is append-only: DELETE is not allowed.');
      expect(await attempt(tx, null, `truncate public.audit_log`)).toBe('42501: The audit trail is append-only: TRUNCATE is not allowed.');
      for (const role of ['service_role', 'authenticated', 'anon']) {
        expect(await attempt(tx, role, `update public.audit_log set reason = 'rewritten'`)).toBe('42501: permission denied for table audit_log');
        expect(await attempt(tx, role, `delete from public.audit_log`)).toBe('42501: permission denied for table audit_log');
        expect(await attempt(tx, role, `truncate public.audit_log`)).toBe('42501: permission denied for table audit_log');
        expect(await attempt(tx, role, `insert into public.audit_log (actor_role, action, entity_type, entity_id) values ('x', 'x.y', 'x', '1')`)).toBe(
          '42501: permission denied for table audit_log',
        );
      }
      const [entry] = await tx`select reason from public.audit_log where entity_id = ${MEMBERSHIP.jordan} and action = 'membership.revoke'`;
      expect(entry).toEqual({ reason: 'Audit me' });
    });
  });

  it('records actor, action, entity, before/after, reason and time for every action', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.revoke_membership(${MEMBERSHIP.pat}, 'Moved practice')`);
      const [entry] = await tx`
        select actor_id, actor_role, action, entity_type, entity_id, organisation_id, subject_profile_id,
               before ->> 'status' as before, after ->> 'status' as after, reason, occurred_at <= now() as timed
        from public.audit_log where entity_id = ${MEMBERSHIP.pat}`;
      expect(entry).toEqual({
        actor_id: PERSON.alex,
        actor_role: 'authenticated',
        action: 'membership.revoke',
        entity_type: 'membership',
        entity_id: MEMBERSHIP.pat,
        organisation_id: ORG.ZP1001,
        subject_profile_id: PERSON.pat,
        before: 'active',
        after: 'revoked',
        reason: 'Moved practice',
        timed: true,
      });
    });
  });

  it('records settings changes made through RLS-guarded updates', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`update public.commissioner_settings set high_risk_from = 60000 where organisation_id = ${ORG.ZN1}`);
      const [entry] = await tx`
        select actor_id, action, before ->> 'high_risk_from' as before, after ->> 'high_risk_from' as after, after ->> 'updated_by' as by
        from public.audit_log where action = 'commissioner_settings.update' and organisation_id = ${ORG.ZN1}`;
      expect(entry).toEqual({ actor_id: PERSON.alex, action: 'commissioner_settings.update', before: '50000.00', after: '60000.00', by: PERSON.alex });
    });
  });
});
