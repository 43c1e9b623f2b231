// Which notification kinds are tasks (something waits for the reader to act)
// and which are notifications (something happened). Pure.
import { Constants, type Database } from '../../types/database.ts';

export type NotificationKind = Database['public']['Enums']['notification_kind'];
export type NotificationRow = Database['public']['Tables']['notifications']['Row'];

// An offer waits for the provider's answer: a task too. A claim waiting for the
// practice's Provider Approver, returned to its submitter (by the approver or
// because the system review refused a file) or waiting for Tier 1 review is a
// task; a claim that passed the system review (claim_system_reviewed) is news.
// A payment run the payment system rejected, or that went unanswered after
// three tries (flagged), waits for Finance; a claim paid is news. A
// declaration waiting for its next step (the provider's declaration, the
// commissioner's approval, Finance) and a PCN's network achievement awaited
// are tasks; a declaration approved or sent back by a recalculation is news.
export const TASK_KINDS: readonly NotificationKind[] = [
  'registration_waiting',
  'access_request_waiting',
  'service_offered',
  'claim_awaiting_provider_approval',
  'claim_returned',
  'claim_quarantined',
  'claim_awaiting_review',
  'payment_run_rejected',
  'payment_run_flagged',
  'declaration_awaiting',
  'declaration_awaiting_approval',
  'declaration_awaiting_finance',
  'network_achievement_awaited',
];

export const INFORMATION_KINDS: readonly NotificationKind[] = Constants.public.Enums.notification_kind.filter(
  (kind) => !TASK_KINDS.includes(kind),
);

export type MessageTab = 'all' | 'tasks' | 'notifications';

export function isTask(kind: string): boolean {
  return (TASK_KINDS as readonly string[]).includes(kind);
}

/** A task whose subject was decided (the database set done_at): it waits for nobody. */
export function isDoneTask(row: Pick<NotificationRow, 'kind' | 'done_at'>): boolean {
  return isTask(row.kind) && row.done_at !== null;
}
