// Claim windows (schedules): for each service the organisation has accepted,
// its claim windows with when they open and close and whether they are open,
// upcoming or closed today (London). Read from service_offers with the
// service and its windows embedded; RLS lets a provider read the services
// offered to it. The database (new_claim_availability) decides New Claim.
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Empty, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly, todayInLondon } from '../../lib/calendar-dates.ts';
import { useCurrentOrganisationId } from '../../providers/access-context.tsx';
import dictionary from './i18n.ts';
import { windowState, type WindowState } from './model.ts';

interface WindowOffer {
  id: string;
  starts_on: string;
  ends_on: string;
  service: {
    id: string;
    name: string;
    kind: string;
    participation_only: boolean;
    claim_windows: Array<{ id: string; period_label: string; period_starts_on: string; period_ends_on: string; opens_on: string; closes_on: string }>;
  } | null;
}

interface WindowRow {
  key: string;
  service: string;
  period: string | null;
  opens_on: string | null;
  closes_on: string | null;
  state: WindowState | null;
}

const SELECT =
  'id,starts_on,ends_on,service:quality_services!service_id(id,name,kind,participation_only,' +
  'claim_windows(id,period_label,period_starts_on,period_ends_on,opens_on,closes_on))';

const STATE_COLOURS: Record<WindowState, string> = { open: 'green', upcoming: 'blue', closed: 'default' };

export function ClaimWindowsPage() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const organisationId = useCurrentOrganisationId();
  const { result, query } = useList<WindowOffer, HttpError>({
    resource: 'service_offers',
    pagination: { mode: 'off' },
    filters: [
      { field: 'provider_id', operator: 'eq', value: organisationId ?? '' },
      { field: 'status', operator: 'eq', value: 'approved' },
    ],
    meta: { select: SELECT },
    queryOptions: { enabled: Boolean(organisationId) },
    errorNotification: false,
  });
  const today = useMemo(() => todayInLondon(), []);
  const rows = useMemo<WindowRow[]>(() => {
    const offers = query.isSuccess ? result.data : [];
    const out: WindowRow[] = [];
    for (const offer of offers) {
      const service = offer.service;
      if (!service || service.kind !== 'local' || service.participation_only) continue;
      // The windows whose period overlaps the offer's (as the database's claim_periods reads them).
      const windows = (service.claim_windows ?? [])
        .filter((w) => w.period_starts_on <= offer.ends_on && w.period_ends_on >= offer.starts_on)
        .sort((a, b) => a.opens_on.localeCompare(b.opens_on));
      if ((service.claim_windows ?? []).length === 0) {
        out.push({ key: `${offer.id}:none`, service: service.name, period: null, opens_on: null, closes_on: null, state: null });
      }
      for (const w of windows) {
        out.push({ key: w.id, service: service.name, period: w.period_label, opens_on: w.opens_on, closes_on: w.closes_on, state: windowState(w, today) });
      }
    }
    return out.sort((a, b) => a.service.localeCompare(b.service) || (a.opens_on ?? '').localeCompare(b.opens_on ?? ''));
  }, [query.isSuccess, result.data, today]);

  return (
    <List title={text('claims.titles.windows')} headerButtons={() => <Link to={path('/claims')}>{text('claims.windows.backToClaims')}</Link>}>
      <Typography.Paragraph>{text('claims.windows.intro')}</Typography.Paragraph>
      {query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('claims.windows.loadError')}
          description={query.error.message}
          action={<Button onClick={() => void query.refetch()}>{text('claims.actions.retry')}</Button>}
        />
      ) : (
        <Table<WindowRow>
          dataSource={rows}
          rowKey="key"
          size="small"
          loading={query.isLoading}
          aria-label={text('claims.titles.windows')}
          scroll={TABLE_SCROLL}
          pagination={rows.length > 50 ? { pageSize: 50 } : false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('claims.windows.empty')} /> }}
        >
          <Table.Column<WindowRow> title={text('claims.windows.service')} key="service" {...KEY_COLUMN} width={220} render={(_, row) => row.service} />
          <Table.Column<WindowRow>
            title={text('claims.windows.period')}
            key="period"
            render={(_, row) => row.period ?? <Typography.Text type="secondary">{text('claims.windows.noWindows')}</Typography.Text>}
          />
          <Table.Column<WindowRow> title={text('claims.windows.opens')} key="opens" render={(_, row) => formatDateOnly(row.opens_on)} />
          <Table.Column<WindowRow> title={text('claims.windows.closes')} key="closes" render={(_, row) => formatDateOnly(row.closes_on)} />
          <Table.Column<WindowRow>
            title={text('claims.windows.state')}
            key="state"
            render={(_, row) => (row.state ? <Tag color={STATE_COLOURS[row.state]}>{text(`claims.windows.${row.state}`)}</Tag> : '–')}
          />
        </Table>
      )}
    </List>
  );
}
