// Who reads account-level audit entries (organisation_id null: account.disable,
// account.enable): the person, the Support Desk, and the User Administrators
// who administer the person — so the administrator who disabled an account
// sees it in that person's history — but no other administrator.
import { describe, expect, it } from 'vitest';
import { asOk, inTx, ORG, PERSON, type Tx, type Who } from './fixtures.ts';

async function accountEntries(tx: Tx, who: Who, subject: string): Promise<string[]> {
  const rows = await asOk(tx, who, (sp) => sp<{ action: string }[]>`
    select action from public.audit_log
    where subject_profile_id = ${subject} and organisation_id is null and action like 'account.%'
    order by id`);
  return rows.map((row) => row.action);
}

describe('account-level audit entries', () => {
  it('are read by the administrator who disabled the account, the person, and the Support Desk', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.disable_account(${PERSON.taylor}, 'left_organisation', null)`);
      await asOk(tx, 'alex', (sp) => sp`select public.enable_account(${PERSON.taylor})`);
      const both = ['account.disable', 'account.enable'];
      expect(await accountEntries(tx, 'alex', PERSON.taylor)).toEqual(both);
      expect(await accountEntries(tx, 'taylor', PERSON.taylor)).toEqual(both);
      expect(await accountEntries(tx, 'sam', PERSON.taylor)).toEqual(both);
    });
  });

  it('are not read by administrators of other organisations or by colleagues', async () => {
    await inTx(async (tx) => {
      await asOk(tx, 'alex', (sp) => sp`select public.disable_account(${PERSON.taylor}, 'left_organisation', null)`);
      expect(await accountEntries(tx, 'robin', PERSON.taylor)).toEqual([]);
      expect(await accountEntries(tx, 'chris', PERSON.taylor)).toEqual([]);
      expect(await accountEntries(tx, 'ash', PERSON.taylor)).toEqual([]);
    });
  });

  it('entries about the person at another organisation stay with that organisation', async () => {
    await inTx(async (tx) => {
      // An entry about Taylor at Southvale (as if Taylor also worked there) is Southvale's, not Alex's.
      await tx`insert into public.audit_log (actor_role, action, entity_type, entity_id, organisation_id, subject_profile_id)
               values ('test', 'membership.revoke', 'membership', 'x', ${ORG.ZS1}, ${PERSON.taylor})`;
      const seen = await asOk(tx, 'alex', (sp) => sp<{ n: number }[]>`
        select count(*)::int as n from public.audit_log where subject_profile_id = ${PERSON.taylor} and organisation_id is not null
          and organisation_id = ${ORG.ZS1}`);
      expect(seen[0]?.n).toBe(0);
    });
  });
});
