// Tokens issued by the auth service are what REST trusts: auth.uid(), auth.jwt()
// and RLS policies see the signed-in user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, closeDb, confirmedUser, db, PASSWORD } from './helpers.ts';

afterAll(closeDb);

beforeAll(async () => {
  // `conformance` is the extra schema the test stack exposes over REST.
  await db().unsafe(`
    create or replace function conformance.auth_test_whoami() returns json
      language sql stable as $$
        select json_build_object('uid', auth.uid(), 'role', auth.role(), 'email', auth.email(),
                                 'session_id', auth.jwt() ->> 'session_id', 'db_role', current_user)
      $$;
    create table if not exists conformance.auth_test_notes (
      id bigint generated always as identity primary key,
      owner uuid not null default auth.uid(),
      body text not null
    );
    alter table conformance.auth_test_notes enable row level security;
    drop policy if exists own_notes on conformance.auth_test_notes;
    create policy own_notes on conformance.auth_test_notes
      for all to authenticated using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
    grant select, insert on conformance.auth_test_notes to authenticated;
  `);
});

/** The DDL above reaches the gateway's schema cache via NOTIFY; wait until REST knows it. */
async function untilCached<T>(call: () => PromiseLike<{ data: T; error: { code?: string } | null }>): Promise<{ data: T; error: unknown }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await call();
    if (!result.error || !['PGRST202', 'PGRST205', '42P01'].includes(result.error.code ?? '') || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('REST with an access token from /auth/v1', () => {
  it('auth.uid() and auth.jwt() are the signed-in user', async () => {
    const { id, email } = await confirmedUser('rest-caller');
    const supabase = client();
    const { data: signedIn } = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    const sessionId = JSON.parse(Buffer.from(signedIn.session!.access_token.split('.')[1]!, 'base64url').toString()).session_id;

    const { data, error } = await untilCached(() => supabase.schema('conformance').rpc('auth_test_whoami'));
    expect(error).toBeNull();
    expect(data).toEqual({ uid: id, role: 'authenticated', email, session_id: sessionId, db_role: 'authenticated' });

    const anon = await client().schema('conformance').rpc('auth_test_whoami');
    expect(anon.data).toMatchObject({ uid: null, role: 'anon', db_role: 'anon' });
  });

  it('RLS policies on auth.uid() separate two users', async () => {
    const alice = await confirmedUser('rls-alice');
    const bob = await confirmedUser('rls-bob');
    const asAlice = client();
    const asBob = client();
    await asAlice.auth.signInWithPassword({ email: alice.email, password: PASSWORD });
    await asBob.auth.signInWithPassword({ email: bob.email, password: PASSWORD });

    const inserted = await untilCached(() => asAlice.schema('conformance').from('auth_test_notes').insert({ body: 'alice only' }).select());
    expect(inserted.error).toBeNull();
    expect(inserted.data).toEqual([expect.objectContaining({ owner: alice.id, body: 'alice only' })]);

    const forged = await asBob.schema('conformance').from('auth_test_notes').insert({ owner: alice.id, body: 'not mine' });
    expect(forged.error?.code).toBe('42501');

    const seenByBob = await asBob.schema('conformance').from('auth_test_notes').select('body').eq('owner', alice.id);
    expect(seenByBob.data).toEqual([]);
    const seenByAlice = await asAlice.schema('conformance').from('auth_test_notes').select('body').eq('owner', alice.id);
    expect(seenByAlice.data).toEqual([{ body: 'alice only' }]);
  });
});
