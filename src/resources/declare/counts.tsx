// Menu counts of the declaration pages (like Claims review's): how many
// declarations wait for the caller here. One cheap read each — a count of
// `declarations` (or `achievements_awaiting_network`) in the waiting statuses,
// RLS giving the reach — asked again every 30 seconds, when the window regains
// focus, and whenever the pages invalidate the resource after an action
// (useInvalidate on `declarations`).
import { useList, type CrudFilter, type HttpError } from '@refinedev/core';
import { Badge } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import type { PortalContext } from '../../providers/access.ts';
import { NHS_BLUE } from '../../theme.ts';
import dictionary from './i18n.ts';
import { DECLARATIONS } from './model.ts';

export const MENU_COUNT_POLL_MS = 30_000;

/** How many rows of the resource match; undefined while unknown. `column`: one the resource has (a view may have no `id`). */
export function useWaitingCount(resource: string, filters: CrudFilter[], enabled: boolean, column = 'id'): number | undefined {
  const list = useList<Record<string, unknown>, HttpError>({
    resource,
    filters,
    pagination: { currentPage: 1, pageSize: 1, mode: 'server' },
    meta: { select: column, count: 'exact' },
    queryOptions: { enabled, refetchInterval: MENU_COUNT_POLL_MS, refetchOnWindowFocus: true },
    errorNotification: false,
  });
  return enabled && list.query.isSuccess ? list.result.total : undefined;
}

/** The badge beside a menu entry; nothing when none wait. Screen readers hear "(3 waiting for you)". */
export function MenuBadge({ n, testId, words }: { n: number | undefined; testId: string; words?: (n: number) => string }) {
  const text = useAreaText(dictionary);
  if (!n) return null;
  return (
    <>
      {/* NHS blue, not antd's red: white on it keeps the contrast axe asks for. */}
      <span aria-hidden="true" data-testid={testId}>
        <Badge count={n} overflowCount={999} color={NHS_BLUE} style={{ marginInlineStart: 8 }} />
      </span>
      <span className="visually-hidden"> {words ? words(n) : text('declare.menu.waiting', { n })}</span>
    </>
  );
}

/** Declare: the practice's declarations awaiting its declaration (Declaration Management only). */
export function DeclareMenuCount({ context }: { context: PortalContext | undefined }) {
  const providerId = context?.membership?.organisation_id;
  const enabled = Boolean(providerId) && (context?.roles ?? []).includes('declaration_management') && context?.membership?.type !== 'pcn';
  const n = useWaitingCount(
    DECLARATIONS,
    [
      { field: 'provider_id', operator: 'eq', value: providerId ?? '' },
      { field: 'status', operator: 'eq', value: 'awaiting_provider_declaration' },
    ],
    enabled,
  );
  return <MenuBadge n={n} testId="declare-menu-count" />;
}
