// Declaration Management's menu count: the declarations waiting for the
// approval steps the context's roles take (Approval Management: awaiting
// commissioner approval; Finance Management: awaiting finance approval).
import { useWaitingCount, MenuBadge } from '../declare/counts.tsx';
import { DECLARATIONS, statusesWaitingFor } from '../declare/model.ts';
import type { PortalContext } from '../../providers/access.ts';

export function DeclarationManagementMenuCount({ context }: { context: PortalContext | undefined }) {
  const statuses = statusesWaitingFor(context?.roles ?? []);
  const n = useWaitingCount(DECLARATIONS, [{ field: 'status', operator: 'in', value: statuses }], statuses.length > 0);
  return <MenuBadge n={n} testId="declaration-management-menu-count" />;
}
