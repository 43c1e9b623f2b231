// The access-request queue: people with an active account who ask for access
// to another organisation, as public.pending_access_requests shows them (only
// requests the caller may decide).
import { DecisionQueue } from '../registrations/queue.tsx';
import { PENDING_ACCESS_REQUESTS_VIEW, type PendingAccessRequest } from '../registrations/types.ts';

export function AccessRequestList() {
  return (
    <DecisionQueue<PendingAccessRequest>
      area="access-requests"
      view={PENDING_ACCESS_REQUESTS_VIEW}
      rowKey="membership_id"
      dateField="requested_at"
      dateTitle="access-requests.list.requested"
    />
  );
}
