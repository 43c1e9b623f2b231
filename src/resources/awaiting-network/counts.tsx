// The menu count of "Awaiting network achievement": how many achievements the
// commissioner reaches are stuck (a count of achievements_awaiting_network).
import type { PortalContext } from '../../providers/access.ts';
import { canAccess } from '../../providers/access.ts';
import { MenuBadge, useWaitingCount } from '../declare/counts.tsx';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { AWAITING_NETWORK } from './list.tsx';

export function AwaitingNetworkMenuCount({ context }: { context: PortalContext | undefined }) {
  const text = useAreaText(dictionary);
  const n = useWaitingCount(AWAITING_NETWORK, [], canAccess(context, 'awaiting-network', 'list').can, 'declaration_id');
  return <MenuBadge n={n} testId="awaiting-network-menu-count" words={(count) => text('awaitingNetwork.menu.waiting', { n: count })} />;
}
