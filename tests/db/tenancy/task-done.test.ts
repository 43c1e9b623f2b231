// Issue 11: tasks that never cleared. A task (registration_waiting,
// access_request_waiting, service_offered) names its subject
// (notifications.subject_type / subject_id) and is done (done_at) for every
// recipient once the subject no longer needs action: the registration or
// access request is decided (by anyone), the offer is answered, withdrawn or
// cancelled, or the subject disappears. my_access() counts only open unread
// messages.
import { describe, expect, it } from 'vitest';
import { SERVICE } from '../services/fixtures.ts';
import { asOk, inTx, MEMBERSHIP, ORG, PERSON, type PersonName, type Tx } from './fixtures.ts';

interface TaskRow {
  recipient_id: string;
  subject_type: string | null;
  subject_id: string | null;
  done: boolean;
}

async function tasks(tx: Tx, kind: string, subject: string): Promise<TaskRow[]> {
  return tx<TaskRow[]>`
    select recipient_id, subject_type, subject_id, done_at is not null as done
    from public.notifications where kind = ${kind}::public.notification_kind and link like ${`%${subject}`} order by recipient_id`;
}

async function unread(tx: Tx, who: PersonName): Promise<number> {
  const [row] = await asOk(tx, who, (sp) => sp<{ n: number }[]>`select (public.my_access() ->> 'unread_notifications')::int as n`);
  return row!.n;
}

describe('registration tasks', () => {
  it('every approver’s task names the registration and is open until it is decided', async () => {
    await inTx(async (tx) => {
      const open = await tasks(tx, 'registration_waiting', PERSON.nina);
      expect(open.length).toBeGreaterThan(0);
      expect(open.every((t) => t.subject_type === 'profile' && t.subject_id === PERSON.nina && !t.done)).toBe(true);
    });
  });

  it('approving it (by anyone) makes it done for every recipient; the unread count drops', async () => {
    await inTx(async (tx) => {
      // The same registration waits with a second approver too (as when both the Support Desk and a User Administrator may decide).
      await tx`
        insert into public.notifications (recipient_id, kind, subject, body, link)
        values (${PERSON.sam}, 'registration_waiting', 'Registration waiting', 'Waiting.', ${`/registrations/${PERSON.nina}`})`;
      const open = await tasks(tx, 'registration_waiting', PERSON.nina);
      expect(open.map((t) => t.recipient_id)).toEqual(expect.arrayContaining([PERSON.alex, PERSON.sam]));
      const before = await unread(tx, 'sam');
      await asOk(tx, 'alex', (sp) => sp`select public.approve_registration(${PERSON.nina}::uuid)`);
      const after = await tasks(tx, 'registration_waiting', PERSON.nina);
      expect(after.every((t) => t.done)).toBe(true);
      expect(await unread(tx, 'sam')).toBe(before - 1);
    });
  });

  it('rejecting it makes it done', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'sam', (sp) => sp`select public.reject_registration(${PERSON.dana}::uuid, 'Not known to Southvale')`);
      const after = await tasks(tx, 'registration_waiting', PERSON.dana);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((t) => t.done)).toBe(true);
    });
  });

  it('the registration disappearing (its auth user deleted) makes it done', async () => {
    await inTx(async (tx) => {
      await tx`delete from auth.users where id = ${PERSON.reception}`;
      const after = await tasks(tx, 'registration_waiting', PERSON.reception);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((t) => t.done)).toBe(true);
    });
  });
});

describe('access request tasks', () => {
  async function request(tx: Tx): Promise<string> {
    const [row] = await asOk(tx, 'pat', (sp) => sp<{ id: string }[]>`
      select id from public.request_access(${ORG.ZP1002}::uuid, '{claim_submitter}'::public.app_role[])`);
    const open = await tasks(tx, 'access_request_waiting', row!.id);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((t) => t.subject_type === 'membership' && t.subject_id === row!.id && !t.done)).toBe(true);
    return row!.id;
  }

  it('approving makes it done for every recipient', async () => {
    await inTx(async (tx) => {
      const id = await request(tx);
      await asOk(tx, 'alex', (sp) => sp`select public.approve_access_request(${id}::uuid)`);
      expect((await tasks(tx, 'access_request_waiting', id)).every((t) => t.done)).toBe(true);
    });
  });

  it('rejecting makes it done', async () => {
    await inTx(async (tx) => {
      const id = await request(tx);
      await asOk(tx, 'sam', (sp) => sp`select public.reject_access_request(${id}::uuid, 'Wrong practice')`);
      expect((await tasks(tx, 'access_request_waiting', id)).every((t) => t.done)).toBe(true);
    });
  });

  it('the request disappearing makes it done', async () => {
    await inTx(async (tx) => {
      const id = await request(tx);
      await tx`select set_config('app.action', 'test.cleanup', true)`;
      await tx`delete from public.memberships where id = ${id}`;
      expect((await tasks(tx, 'access_request_waiting', id)).every((t) => t.done)).toBe(true);
    });
  });

  it('another request of the same person stays open', async () => {
    await inTx(async (tx) => {
      const id = await request(tx);
      const [other] = await asOk(tx, 'pat', (sp) => sp<{ id: string }[]>`
        select id from public.request_access(${ORG.ZP1003}::uuid, '{claim_submitter}'::public.app_role[])`);
      await asOk(tx, 'alex', (sp) => sp`select public.approve_access_request(${id}::uuid)`);
      expect((await tasks(tx, 'access_request_waiting', other!.id)).every((t) => !t.done)).toBe(true);
      void MEMBERSHIP;
    });
  });
});

describe('offer tasks', () => {
  async function offer(tx: Tx): Promise<string> {
    const [row] = await asOk(tx, 'chris', (sp) => sp<{ id: string }[]>`
      select id from public.offer_service(${SERVICE.learningDisability}::uuid, array[${ORG.ZP1001}]::uuid[], '2025-04-01', '2026-03-31', '2026-03-31', '2026-03-31') as id`);
    const open = await tasks(tx, 'service_offered', row!.id);
    expect(open).toEqual([{ recipient_id: PERSON.pat, subject_type: 'service_offer', subject_id: row!.id, done: false }]);
    return row!.id;
  }

  it('accepting makes it done; cancelling later keeps it done', async () => {
    await inTx(async (tx) => {
      const id = await offer(tx);
      const before = await unread(tx, 'pat');
      await asOk(tx, 'pat', (sp) => sp`select public.accept_offer(${id}::uuid)`);
      expect(await tasks(tx, 'service_offered', id)).toMatchObject([{ done: true }]);
      expect(await unread(tx, 'pat')).toBe(before - 1);
      await asOk(tx, 'chris', (sp) => sp`select public.cancel_offers(array[${id}]::uuid[])`);
      expect(await tasks(tx, 'service_offered', id)).toMatchObject([{ done: true }]);
    });
  });

  it('rejecting makes it done', async () => {
    await inTx(async (tx) => {
      const id = await offer(tx);
      await asOk(tx, 'pat', (sp) => sp`select public.reject_offer(${id}::uuid, 'No capacity')`);
      expect(await tasks(tx, 'service_offered', id)).toMatchObject([{ done: true }]);
    });
  });

  it('withdrawing makes it done', async () => {
    await inTx(async (tx) => {
      const id = await offer(tx);
      await asOk(tx, 'chris', (sp) => sp`select public.withdraw_offers(array[${id}]::uuid[])`);
      expect(await tasks(tx, 'service_offered', id)).toMatchObject([{ done: true }]);
    });
  });
});

describe('done state', () => {
  it('nobody sets done_at or the subject by hand (no privilege)', async () => {
    await inTx(async (tx) => {
      const [task] = await tx<{ id: string }[]>`
        select id from public.notifications where recipient_id = ${PERSON.alex} and kind = 'registration_waiting' limit 1`;
      for (const column of ['done_at', 'subject_id']) {
        const outcome = await tx
          .savepoint(async (sp) => {
            await sp`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ sub: PERSON.alex, role: 'authenticated' })}, true)`;
            await sp.unsafe(`update public.notifications set ${column} = null where id = $1`, [task!.id]);
          })
          .then(
            () => 'updated',
            (e: { code: string }) => e.code,
          );
        expect(outcome).toBe('42501');
      }
    });
  });
});
