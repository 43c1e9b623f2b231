// The offer wizard's review warns when nothing could be claimed under the
// offer (issue 11): a local service (not participation only) without a unit or
// retainer component, or without a claim window for a period within the
// offer's dates — public.offer_service refuses those — and a national service
// without indicator groups (allowed, but nothing to achieve yet).
import { useList } from '@refinedev/core';
import { Alert } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import dictionary from './i18n.ts';
import type { QualityService } from './model.ts';

export type NothingToClaim = 'noComponents' | 'noWindows' | 'noIndicatorGroups';

interface ClaimableParts {
  components: Array<{ kind: string }>;
  windows: Array<{ period_starts_on: string; period_ends_on: string }>;
  groups: Array<{ id: string }>;
}

/** Why nothing could be claimed under an offer of `service` from `startsOn` to `endsOn` (ISO dates); empty when something can. */
export function nothingToClaim(
  service: Pick<QualityService, 'kind' | 'participation_only'>,
  parts: ClaimableParts,
  startsOn: string,
  endsOn: string,
): NothingToClaim[] {
  if (service.kind === 'national') return parts.groups.length === 0 ? ['noIndicatorGroups'] : [];
  if (service.participation_only) return [];
  const problems: NothingToClaim[] = [];
  if (!parts.components.some((c) => c.kind === 'unit' || c.kind === 'retainer')) problems.push('noComponents');
  if (!parts.windows.some((w) => w.period_starts_on <= endsOn && w.period_ends_on >= startsOn)) problems.push('noWindows');
  return problems;
}

export function NothingToClaimWarning({ service, startsOn, endsOn }: { service: QualityService; startsOn: string; endsOn: string }) {
  const text = useAreaText(dictionary);
  const local = service.kind === 'local';
  const filters = [{ field: 'service_id', operator: 'eq' as const, value: service.id }];
  const common = { filters, pagination: { mode: 'off' as const }, errorNotification: false as const };
  const components = useList<{ id: string; kind: string }>({
    resource: 'service_components',
    ...common,
    meta: { select: 'id,kind' },
    queryOptions: { enabled: local },
  });
  const windows = useList<{ id: string; period_starts_on: string; period_ends_on: string }>({
    resource: 'claim_windows',
    ...common,
    meta: { select: 'id,period_starts_on,period_ends_on' },
    queryOptions: { enabled: local },
  });
  const groups = useList<{ id: string }>({
    resource: 'indicator_groups',
    ...common,
    meta: { select: 'id' },
    queryOptions: { enabled: !local },
  });
  const loaded = local ? components.query.isSuccess && windows.query.isSuccess : groups.query.isSuccess;
  if (!loaded || !startsOn || !endsOn) return null;
  const problems = nothingToClaim(
    service,
    { components: components.result.data, windows: windows.result.data, groups: groups.result.data },
    startsOn,
    endsOn,
  );
  if (problems.length === 0) return null;
  const from = formatDateOnly(startsOn);
  const to = formatDateOnly(endsOn);
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16, maxWidth: 880 }}
      message={text('offers.wizard.nothingToClaim')}
      description={
        <>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {problems.map((problem) => (
              <li key={problem}>{text(`offers.wizard.nothingToClaim.${problem}`, { service: service.name, from, to })}</li>
            ))}
          </ul>
          {local && <p style={{ margin: '8px 0 0' }}>{text('offers.wizard.nothingToClaim.refused')}</p>}
        </>
      }
    />
  );
}
