// Network achievement (/:org/network-achievement; CQRS: Data Submission →
// Network achievement): a PCN's dashboard for its nominated people
// (Declaration Management at the PCN). Choose the financial year, the service
// and the achievement date (the latest first); per network indicator the PCN's
// aggregate (numerator, denominator, percentage, points; count for per-unit
// indicators) and how many member practices report it, the status, and how
// many practices wait for it (public.network_achievement_overview and
// network_achievement_values, RLS: the PCN's people). Submit declares it
// (public.submit_network_achievement, with optional notes): the database
// aggregates, marks it submitted and calculates the member practices at once.
// A warning when the PCN has fewer than two nominated people.
import { useInvalidate, useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Empty, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { List } from '../../components/page.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { financialYearOf } from '../../lib/financial-year.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess } from '../../providers/access.ts';
import type { Tables } from '../../types/database.ts';
import { SectionTitle } from '../declare/history.tsx';
import { DECLARATIONS, formatPoints } from '../declare/model.ts';
import dictionary from './i18n.ts';

export const NETWORK_OVERVIEW = 'network_achievement_overview';
export const NETWORK_VALUES = 'network_achievement_values';
export const NOTES_MAX_LENGTH = 2000;
/** The job aid: "please ensure you have two nominated persons within CQRS". */
export const NOMINATED_PEOPLE_WANTED = 2;

/** One row of public.network_achievement_overview (a PCN's network achievement for a service and date). */
export interface NetworkOverviewRow {
  id: string;
  pcn_id: string;
  pcn_ods_code?: string | null;
  pcn_name?: string | null;
  service_id: string;
  service_name?: string | null;
  achievement_date: string;
  is_payment_date?: boolean | null;
  status: 'not_submitted' | 'submitted';
  member_practices: number;
  reporting_practices: number;
  submitted_at: string | null;
  submitted_by_name?: string | null;
  notes: string | null;
  calculated_at?: string | null;
  recalculation_requested_at?: string | null;
  nominated_people: number;
  waiting_practices: number;
}

// Every column read here is one of the view's (a renamed column fails the type check).
const overviewColumns: keyof NetworkOverviewRow extends keyof Tables<'network_achievement_overview'> ? true : never = true;
const valueColumns: Exclude<keyof NetworkValueRow, 'indicator'> extends keyof Tables<'network_achievement_values'> ? true : never = true;
void overviewColumns;
void valueColumns;

export interface NetworkValueRow {
  network_achievement_id: string;
  indicator_id: string;
  numerator: number | null;
  denominator: number | null;
  count: number | null;
  reporting_practices: number;
  percentage: number | string | null;
  points: number | string | null;
  indicator: { code: string; description: string; points: number; payment_basis: 'per_point' | 'per_unit' | string; position?: number } | null;
}

const VALUE_SELECT = 'network_achievement_id,indicator_id,numerator,denominator,count,reporting_practices,percentage,points,indicator:indicators(code,description,points,payment_basis,position)';

/** The financial year of an achievement date (31/03/2026 → 2025/26). */
export function yearOf(row: Pick<NetworkOverviewRow, 'achievement_date'>): string {
  return financialYearOf(row.achievement_date);
}

/** "85.25%" (two decimals at most), or an en dash. */
export function formatPercentage(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  return Number.isFinite(n) ? `${new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(n)}%` : '–';
}

/** The choice shown: what the person picked where it still exists, else the latest date (and its year and service). */
export function chooseView(rows: readonly NetworkOverviewRow[], wanted: { year?: string; service?: string; date?: string }) {
  const latestFirst = [...rows].sort((a, b) => b.achievement_date.localeCompare(a.achievement_date));
  const years = [...new Set(latestFirst.map(yearOf))];
  const year = wanted.year && years.includes(wanted.year) ? wanted.year : years[0];
  const inYear = latestFirst.filter((row) => yearOf(row) === year);
  const services = [...new Map(inYear.map((row) => [row.service_id, row.service_name ?? row.service_id])).entries()].map(([value, label]) => ({ value, label }));
  const service = wanted.service && services.some((s) => s.value === wanted.service) ? wanted.service : services[0]?.value;
  const forService = inYear.filter((row) => row.service_id === service);
  const date = wanted.date && forService.some((row) => row.achievement_date === wanted.date) ? wanted.date : forService[0]?.achievement_date;
  return { years, year, services, service, dates: forService, date, row: forService.find((row) => row.achievement_date === date) };
}

export function NetworkAchievementDashboard() {
  const text = useAreaText(dictionary);
  const context = useCurrentContext();
  const pcnId = context?.membership?.organisation_id ?? '';
  const isPcn = context?.membership?.type === 'pcn';
  const [wanted, setWanted] = useState<{ year?: string; service?: string; date?: string } | null>(null);
  // /network-achievement/<id> (the network_achievement_awaited task) opens that one.
  const { id } = useParams<{ id?: string }>();

  const overview = useList<NetworkOverviewRow, HttpError>({
    resource: NETWORK_OVERVIEW,
    pagination: { mode: 'off' },
    filters: [{ field: 'pcn_id', operator: 'eq', value: pcnId }],
    sorters: [{ field: 'achievement_date', order: 'desc' }],
    queryOptions: { enabled: isPcn && Boolean(pcnId) },
    errorNotification: false,
  });
  const rows = useMemo(() => (overview.query.isSuccess ? overview.result.data : []), [overview.query.isSuccess, overview.result.data]);
  const target = id ? rows.find((row) => row.id === id) : undefined;
  const view = chooseView(rows, wanted ?? (target ? { year: yearOf(target), service: target.service_id, date: target.achievement_date } : {}));
  const pcnName = rows[0]?.pcn_name ?? context?.label ?? '';
  const nominated = rows.length > 0 ? Math.min(...rows.map((row) => row.nominated_people)) : undefined;

  if (!isPcn) {
    return (
      <List title={text('networkAchievement.titles.list')}>
        <Alert type="info" showIcon message={text('networkAchievement.notPcn')} />
      </List>
    );
  }

  const label = (id: string, words: string) => (
    <Typography.Text id={id} style={{ whiteSpace: 'nowrap' }}>
      {words}
    </Typography.Text>
  );

  let body;
  if (overview.query.error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('networkAchievement.loadError')}
        description={overview.query.error.message}
        action={<Button onClick={() => void overview.query.refetch()}>{text('networkAchievement.retry')}</Button>}
      />
    );
  } else if (overview.query.isLoading) {
    body = <Skeleton active aria-busy="true" />;
  } else if (rows.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span style={{ display: 'inline-block', maxWidth: 560 }}>{text('networkAchievement.empty')}</span>} />;
  } else {
    const latest = view.dates[0]?.achievement_date;
    body = (
      <>
        <Space wrap size="large" style={{ marginBottom: 16 }}>
          <Space>
            {label('na-year-label', text('networkAchievement.filters.year'))}
            <Select
              aria-labelledby="na-year-label"
              value={view.year}
              onChange={(year: string) => setWanted({ year })}
              options={view.years.map((year) => ({ value: year, label: year }))}
              style={{ width: 120 }}
            />
          </Space>
          <Space>
            {label('na-service-label', text('networkAchievement.filters.service'))}
            <Select
              aria-labelledby="na-service-label"
              value={view.service}
              onChange={(service: string) => setWanted({ year: view.year, service })}
              options={view.services}
              style={{ width: 300, maxWidth: '100%' }}
            />
          </Space>
          <Space>
            {label('na-date-label', text('networkAchievement.filters.date'))}
            <Select
              aria-labelledby="na-date-label"
              value={view.date}
              onChange={(date: string) => setWanted({ year: view.year, service: view.service, date })}
              options={view.dates.map((row) => ({
                value: row.achievement_date,
                label:
                  row.achievement_date === latest
                    ? text('networkAchievement.filters.latest', { date: formatDateOnly(row.achievement_date) })
                    : row.is_payment_date
                      ? text('networkAchievement.filters.paymentDate', { date: formatDateOnly(row.achievement_date) })
                      : formatDateOnly(row.achievement_date),
              }))}
              style={{ width: 200 }}
            />
          </Space>
        </Space>
        {view.row && <NetworkAchievementPanel key={view.row.id} row={view.row} pcnName={pcnName} onChanged={() => overview.query.refetch()} />}
      </>
    );
  }

  return (
    <List title={text('networkAchievement.titles.list')}>
      <Typography.Paragraph style={{ maxWidth: 880 }}>{text('networkAchievement.intro')}</Typography.Paragraph>
      {nominated !== undefined && nominated < NOMINATED_PEOPLE_WANTED && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          data-testid="nominated-people-warning"
          style={{ marginBottom: 16 }}
          message={
            nominated === 1
              ? text('networkAchievement.nominated.fewOne', { pcn: pcnName })
              : text('networkAchievement.nominated.few', { pcn: pcnName, n: nominated })
          }
          description={text('networkAchievement.nominated.explain')}
        />
      )}
      {body}
    </List>
  );
}

function NetworkAchievementPanel({ row, pcnName, onChanged }: { row: NetworkOverviewRow; pcnName: string; onChanged: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const context = useCurrentContext();
  const mayDeclare = canAccess(context, 'network-achievement', 'submit').can;
  const invalidate = useInvalidate();
  const values = useList<NetworkValueRow, HttpError>({
    resource: NETWORK_VALUES,
    pagination: { mode: 'off' },
    filters: [{ field: 'network_achievement_id', operator: 'eq', value: row.id }],
    meta: { select: VALUE_SELECT },
    errorNotification: false,
  });
  const indicators = useMemo(
    () =>
      [...(values.query.isSuccess ? values.result.data : [])].sort(
        (a, b) => (a.indicator?.position ?? 0) - (b.indicator?.position ?? 0) || (a.indicator?.code ?? '').localeCompare(b.indicator?.code ?? ''),
      ),
    [values.query.isSuccess, values.result.data],
  );
  const [submitting, setSubmitting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ type: 'success' | 'error'; message: string; description?: string } | null>(null);
  const date = formatDateOnly(row.achievement_date);
  const service = row.service_name ?? '';
  const facts = { pcn: pcnName, service, date, n: row.reporting_practices, m: row.member_practices };

  async function submit(notes: string) {
    setBusy(true);
    setAnswer(null);
    try {
      await callRpc('submit_network_achievement', {
        p_pcn_id: row.pcn_id,
        p_service_id: row.service_id,
        p_achievement_date: row.achievement_date,
        p_notes: notes || null,
      });
      setSubmitting(false);
      setAnswer({ type: 'success', message: text('networkAchievement.submitted', { date }), description: text('networkAchievement.submittedExplain', { date }) });
      await Promise.all([onChanged(), values.query.refetch(), invalidate({ resource: DECLARATIONS, invalidates: ['list'] })]);
    } catch (error) {
      setSubmitting(false);
      const problem = describeRpcError(error);
      setAnswer({ type: 'error', message: text('networkAchievement.submitFailed'), description: problem.description || problem.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {answer && <Alert type={answer.type} showIcon role="status" style={{ marginBottom: 16 }} message={answer.message} description={answer.description} />}
      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={<SectionTitle>{text('networkAchievement.summary.title', { service, date })}</SectionTitle>}
        extra={
          mayDeclare && row.status !== 'submitted' ? (
            <Button type="primary" onClick={() => setSubmitting(true)} loading={busy}>
              {text('networkAchievement.submit')}
            </Button>
          ) : undefined
        }
      >
        {row.recalculation_requested_at && (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={text('networkAchievement.summary.recalculation', { when: formatUkDateTime(row.recalculation_requested_at) })} />
        )}
        {row.waiting_practices > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="waiting-practices"
            message={row.waiting_practices === 1 ? text('networkAchievement.waiting.one') : text('networkAchievement.waiting.some', { n: row.waiting_practices })}
          />
        )}
        <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS}>
          <Descriptions.Item label={text('networkAchievement.summary.status')}>
            <Tag color={row.status === 'submitted' ? 'green' : 'gold'} style={{ marginInlineEnd: 0 }} data-testid="network-status">
              {text(`networkAchievement.status.${row.status}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={text('networkAchievement.summary.reporting')}>
            <span data-testid="reporting-practices">{text('networkAchievement.summary.reportingValue', { n: row.reporting_practices, m: row.member_practices })}</span>
          </Descriptions.Item>
          <Descriptions.Item label={text('networkAchievement.summary.submitted')}>
            {row.submitted_at
              ? row.submitted_by_name
                ? text('networkAchievement.summary.submittedValue', { when: formatUkDateTime(row.submitted_at), who: row.submitted_by_name })
                : formatUkDateTime(row.submitted_at)
              : '–'}
          </Descriptions.Item>
          <Descriptions.Item label={text('networkAchievement.summary.waiting')}>{row.waiting_practices || text('networkAchievement.summary.waitingNone')}</Descriptions.Item>
          {row.calculated_at && <Descriptions.Item label={text('networkAchievement.summary.calculated')}>{formatUkDateTime(row.calculated_at)}</Descriptions.Item>}
          {row.notes && (
            <Descriptions.Item label={text('networkAchievement.summary.notes')}>
              <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{row.notes}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('networkAchievement.indicators.title')}</SectionTitle>}>
        {values.query.error ? (
          <Alert
            type="error"
            showIcon
            message={text('networkAchievement.indicators.loadError')}
            description={values.query.error.message}
            action={<Button onClick={() => void values.query.refetch()}>{text('networkAchievement.retry')}</Button>}
          />
        ) : (
          <Table<NetworkValueRow>
            dataSource={indicators}
            rowKey="indicator_id"
            size="small"
            loading={values.query.isLoading}
            aria-label={text('networkAchievement.indicators.label', { service, date })}
            scroll={{ x: 900 }}
            pagination={false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('networkAchievement.indicators.empty')} /> }}
          >
            <Table.Column<NetworkValueRow>
              title={text('networkAchievement.indicators.indicator')}
              key="indicator"
              fixed="left"
              width={240}
              render={(_, value) => (
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>{value.indicator?.code ?? value.indicator_id}</Typography.Text>
                  {value.indicator?.description && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {value.indicator.description}
                    </Typography.Text>
                  )}
                </Space>
              )}
            />
            <Table.Column<NetworkValueRow> title={text('networkAchievement.indicators.numerator')} key="numerator" align="right" width={110} render={(_, v) => v.numerator ?? '–'} />
            <Table.Column<NetworkValueRow> title={text('networkAchievement.indicators.denominator')} key="denominator" align="right" width={120} render={(_, v) => v.denominator ?? '–'} />
            <Table.Column<NetworkValueRow>
              title={text('networkAchievement.indicators.percentage')}
              key="percentage"
              align="right"
              width={110}
              render={(_, v) => <span data-testid={`percentage-${v.indicator?.code ?? v.indicator_id}`}>{formatPercentage(v.percentage)}</span>}
            />
            <Table.Column<NetworkValueRow> title={text('networkAchievement.indicators.count')} key="count" align="right" width={90} render={(_, v) => v.count ?? '–'} />
            <Table.Column<NetworkValueRow>
              title={text('networkAchievement.indicators.points')}
              key="points"
              align="right"
              width={110}
              render={(_, v) =>
                v.indicator?.payment_basis === 'per_unit' ? text('networkAchievement.indicators.perUnit') : `${formatPoints(v.points)}${v.indicator ? ` / ${formatPoints(v.indicator.points)}` : ''}`
              }
            />
            <Table.Column<NetworkValueRow>
              title={text('networkAchievement.indicators.reporting')}
              key="reporting"
              width={150}
              render={(_, v) => text('networkAchievement.indicators.reportingValue', { n: v.reporting_practices, m: row.member_practices })}
            />
          </Table>
        )}
      </Card>
      <ReasonModal
        open={submitting}
        busy={busy}
        optional
        maxLength={NOTES_MAX_LENGTH}
        texts={{
          title: text('networkAchievement.submitTitle', facts),
          explain: text('networkAchievement.submitExplain', facts),
          label: text('networkAchievement.submitNotes'),
          ok: text('networkAchievement.submitOk'),
          cancel: text('networkAchievement.cancel'),
          required: '',
          tooLong: (max) => text('networkAchievement.submitTooLong', { max }),
          count: (n, max) => text('networkAchievement.count', { n, max }),
        }}
        onSubmit={submit}
        onCancel={() => setSubmitting(false)}
      />
    </>
  );
}
