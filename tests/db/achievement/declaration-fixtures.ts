// Helpers of the declaration tests (declarations, network, rls, concurrency):
// read a declaration, run a step as a persona, list the messages and audit
// entries about a declaration, and switch the DES's configuration.
import { asOk, DES, direct, IND, type Tx, type Who } from './fixtures.ts';

export type Answer = { declaration_id: string; ok: boolean; status: string | null; message: string; code: string | null };
export type Declaration = {
  id: string;
  achievement_id: string;
  provider_id: string;
  status: string;
  points: string | null;
  payment: string | null;
  declared_by: string | null;
  commissioner_approved_by: string | null;
  finance_approved_by: string | null;
  sent_back_at: Date | null;
  sent_back_reason: string | null;
};

export async function declarationFor(tx: Tx, provider: string, date: string): Promise<Declaration | undefined> {
  const [row] = await tx<Declaration[]>`
    select * from public.declarations where provider_id = ${provider} and service_id = ${DES} and achievement_date = ${date}`;
  return row;
}

type Step = 'declare_achievements' | 'approve_declarations' | 'finance_approve_declarations';
export async function step(tx: Tx, who: Who, fn: Step, ids: string[]): Promise<Answer[]> {
  return asOk(tx, who, async (sp) => (await sp.unsafe<{ r: Answer[] }[]>(`select public.${fn}($1::uuid[]) as r`, [ids as never]))[0]!.r);
}

/** Open and done tasks/notifications of a kind about a declaration: "person:open|done". */
export async function messages(tx: Tx, kind: string, declarationId: string): Promise<string[]> {
  const rows = await tx<{ who: string; done: boolean }[]>`
    select p.full_name as who, n.done_at is not null as done from public.notifications n join public.profiles p on p.id = n.recipient_id
    where n.kind = ${kind}::public.notification_kind and n.link like ${`%/${declarationId}`} order by 1, 2`;
  return rows.map((r) => `${r.who}:${r.done ? 'done' : 'open'}`).sort();
}

export async function audit(tx: Tx, declarationId: string): Promise<string[]> {
  const rows = await tx<{ action: string; from_status: string | null; to_status: string | null }[]>`
    select action, before ->> 'status' as from_status, after ->> 'status' as to_status from public.audit_log
    where entity_type = 'declaration' and entity_id = ${declarationId} order by id`;
  return rows.map((r) => `${r.action} ${r.from_status ?? '-'}→${r.to_status ?? '-'}`);
}

/** ACC-08 as an ordinary (practice-level) indicator, so declarations do not wait for a PCN. */
export async function noNetwork(tx: Tx): Promise<void> {
  await direct(tx, () => tx`update public.indicators set network = false where id = ${IND.acc08}`);
}

export async function configure(tx: Tx, noDeclaration: boolean, noApproval: boolean): Promise<void> {
  await direct(tx, () => tx`update public.quality_services set no_declaration_required = ${noDeclaration}, no_approval_required = ${noApproval} where id = ${DES}`);
}

