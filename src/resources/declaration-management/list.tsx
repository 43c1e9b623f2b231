// Declaration Management (/:org/declaration-management, commissioner; CQRS:
// Achievement → Declaration Management): the declarations of the practices
// the person reaches (public.declarations, RLS: commissioning, approval and
// finance management over their providers; clusters respected), one read,
// filtered by Quality Service, financial year and practice, in a tab per
// status with its count. Approval Management approves on "Awaiting
// commissioner approval" (approve_declarations), Finance Management on
// "Awaiting finance approval" (finance_approve_declarations): tick boxes,
// Select All, a confirmation listing what is approved, and the answer item
// by item.
import { useInvalidate, useList, type HttpError } from '@refinedev/core';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Empty, Space, Table, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { HISTORY_QUERY_KEY } from '../declare/history.tsx';
import declareDictionary from '../declare/i18n.ts';
import { DeclarationNote, sinceOf } from '../declare/list.tsx';
import {
  approvalStepFor,
  DECLARATION_SELECT,
  DECLARATIONS,
  formatPoints,
  optionsOf,
  providerLabel,
  serviceLabel,
  type DeclarationResult,
  type DeclarationRow,
  type DeclarationStatus,
} from '../declare/model.ts';
import { FilterBar, FilterSelect } from '../declare/filters.tsx';
import { DeclarationResults } from '../declare/results.tsx';
import { useDeclarationStatusText } from '../declare/status.tsx';
import dictionary from './i18n.ts';

/** The tabs in the job aid's order: what waits for the commissioner first. */
export const MANAGEMENT_TABS: readonly DeclarationStatus[] = [
  'awaiting_commissioner_approval',
  'awaiting_finance_approval',
  'approved_for_payment',
  'awaiting_provider_declaration',
  'awaiting_network_achievement',
];

const TABLE_SCROLL = { x: 1000 } as const;
type Problem = { message: string; description: string };

export function DeclarationManagementList() {
  const text = useAreaText(dictionary);
  const statusText = useDeclarationStatusText();
  const context = useCurrentContext();
  const roles = useMemo(() => context?.roles ?? [], [context?.roles]);
  const [params, setParams] = useSearchParams();
  const [service, setService] = useState('');
  const [year, setYear] = useState('');
  const [practice, setPractice] = useState('');

  const list = useList<DeclarationRow, HttpError>({
    resource: DECLARATIONS,
    pagination: { mode: 'off' },
    sorters: [
      { field: 'achievement_date', order: 'desc' },
      { field: 'updated_at', order: 'asc' },
    ],
    meta: { select: DECLARATION_SELECT },
    errorNotification: false,
  });
  const rows = useMemo(() => (list.query.isSuccess ? list.result.data : []), [list.query.isSuccess, list.result.data]);
  const shown = rows.filter(
    (row) => (!service || row.service_id === service) && (!year || row.service?.financial_year === year) && (!practice || row.provider_id === practice),
  );
  const filtered = Boolean(service || year || practice);

  // The first tab whose step the person takes, unless the address names one.
  const wanted = params.get('status');
  const mine = MANAGEMENT_TABS.find((status) => approvalStepFor(status, roles));
  const active: DeclarationStatus = MANAGEMENT_TABS.find((status) => status === wanted) ?? mine ?? MANAGEMENT_TABS[0]!;
  const choose = (next: string) =>
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        updated.set('status', next);
        return updated;
      },
      { replace: true },
    );

  const any = text('declarationManagement.filters.any');
  const filter = (id: string, label: string, value: string, set: (v: string) => void, options: Array<{ value: string; label: string }>, width: number) => (
    <FilterSelect id={id} label={label} value={value} onChange={set} options={[{ value: '', label: any }, ...options]} width={width} />
  );

  return (
    <List title={text('declarationManagement.titles.list')}>
      <Typography.Paragraph style={{ maxWidth: 880 }}>{text('declarationManagement.intro')}</Typography.Paragraph>
      {list.query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('declarationManagement.loadError')}
          description={list.query.error.message}
          action={<Button onClick={() => void list.query.refetch()}>{text('declarationManagement.retry')}</Button>}
        />
      ) : (
        <>
          <FilterBar>
            {filter('dm-service-label', text('declarationManagement.filters.service'), service, setService, optionsOf(rows, (r) => r.service_id, serviceLabel), 280)}
            {filter(
              'dm-year-label',
              text('declarationManagement.filters.year'),
              year,
              setYear,
              optionsOf(rows, (r) => r.service?.financial_year, (r) => r.service?.financial_year ?? ''),
              140,
            )}
            {filter('dm-practice-label', text('declarationManagement.filters.practice'), practice, setPractice, optionsOf(rows, (r) => r.provider_id, providerLabel), 300)}
          </FilterBar>
          {/* Five statuses do not fit a laptop's width: the tabs wrap (tabs-wrap in responsive.css) instead of hiding some behind "more". */}
          <Tabs
            className="tabs-wrap"
            activeKey={active}
            onChange={choose}
            items={MANAGEMENT_TABS.map((status) => {
              const inStatus = shown.filter((row) => row.status === status);
              return {
                key: status,
                label: text('declarationManagement.tab', { status: statusText(status), n: inStatus.length }),
                children:
                  status === active ? (
                    <StatusPanel key={status} status={status} rows={inStatus} loading={list.query.isLoading} filtered={filtered} onChanged={() => list.query.refetch()} />
                  ) : null,
              };
            })}
          />
        </>
      )}
    </List>
  );
}

function StatusPanel({
  status,
  rows,
  loading,
  filtered,
  onChanged,
}: {
  status: DeclarationStatus;
  rows: DeclarationRow[];
  loading: boolean;
  filtered: boolean;
  onChanged: () => Promise<unknown>;
}) {
  const text = useAreaText(dictionary);
  const declareText = useAreaText(declareDictionary);
  const statusText = useDeclarationStatusText();
  const path = useContextPath();
  const context = useCurrentContext();
  const step = approvalStepFor(status, context?.roles ?? []);
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const chosen = selected.filter((id) => rows.some((row) => row.id === id));
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<{ answers: DeclarationResult[]; rows: DeclarationRow[] } | null>(null);
  const [failure, setFailure] = useState<Problem | null>(null);

  async function approve() {
    if (!step) return;
    const items = rows.filter((row) => chosen.includes(row.id));
    const ok = await confirm({
      title: text(items.length === 1 ? 'declarationManagement.approveTitleOne' : 'declarationManagement.approveTitle', { n: items.length }),
      content: (
        <>
          <Typography.Paragraph>{text(`declarationManagement.approveBody.${step.step}`)}</Typography.Paragraph>
          <ul style={{ paddingInlineStart: 20, margin: 0 }} data-testid="approve-confirm-items">
            {items.map((row) => (
              <li key={row.id}>
                {text('declarationManagement.approveItem', {
                  practice: providerLabel(row),
                  service: serviceLabel(row),
                  date: formatDateOnly(row.achievement_date),
                  payment: formatMoney(row.payment),
                })}
              </li>
            ))}
          </ul>
        </>
      ),
      okText: text('declarationManagement.approveOk'),
      cancelText: text('declarationManagement.cancel'),
    });
    if (!ok) return;
    setBusy(true);
    setFailure(null);
    setResults(null);
    try {
      const answers = (await callRpc<DeclarationResult[] | null>(step.rpc, { p_declaration_ids: items.map((row) => row.id) })) ?? [];
      setResults({ answers, rows: items });
      setSelected([]);
      await Promise.all([
        onChanged(),
        invalidate({ resource: DECLARATIONS, invalidates: ['list'] }),
        queryClient.invalidateQueries({ queryKey: [HISTORY_QUERY_KEY] }),
      ]);
    } catch (error) {
      const problem = describeRpcError(error);
      setFailure({ message: text('declarationManagement.failed'), description: problem.description || problem.message });
    } finally {
      setBusy(false);
    }
  }

  const explain =
    status === 'awaiting_commissioner_approval' || status === 'awaiting_finance_approval'
      ? step
        ? null
        : text(`declarationManagement.readOnly.${status}`)
      : text(`declarationManagement.explain.${status}`);

  return (
    <>
      {explain && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={explain}
          action={
            status === 'awaiting_network_achievement' ? (
              <Link to={path('/awaiting-network')}>{text('declarationManagement.explain.awaiting_network_achievementLink')}</Link>
            ) : undefined
          }
        />
      )}
      {step && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button type="primary" disabled={chosen.length === 0 || busy} loading={busy} onClick={() => void approve()}>
            {text('declarationManagement.approve')}
          </Button>
          <Button disabled={rows.length === 0} onClick={() => setSelected(rows.map((row) => row.id))}>
            {text('declarationManagement.select.all', { n: rows.length })}
          </Button>
          <Button disabled={chosen.length === 0} onClick={() => setSelected([])}>
            {text('declarationManagement.select.clear')}
          </Button>
          <Typography.Text type="secondary" aria-live="polite">
            {text('declarationManagement.select.count', { n: chosen.length })}
          </Typography.Text>
        </Space>
      )}
      {failure && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={failure.message} description={failure.description} />}
      {results && (
        <DeclarationResults
          results={results.answers}
          rows={results.rows}
          showProvider
          texts={{
            summary: (ok, failed) => text('declarationManagement.results.summary', { ok, failed }),
            label: text('declarationManagement.results.label'),
            ok: text('declarationManagement.results.ok'),
            refused: text('declarationManagement.results.refused'),
          }}
          onClose={() => setResults(null)}
        />
      )}
      <Table<DeclarationRow>
        dataSource={rows}
        rowKey="id"
        size="small"
        loading={loading}
        aria-label={text('declarationManagement.tab', { status: statusText(status), n: rows.length })}
        scroll={TABLE_SCROLL}
        pagination={rows.length > 25 ? { pageSize: 25 } : false}
        rowSelection={
          step
            ? {
                selectedRowKeys: chosen,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (row) =>
                  ({
                    'aria-label': text('declarationManagement.select.row', { practice: providerLabel(row), service: serviceLabel(row), date: formatDateOnly(row.achievement_date) }),
                  }) as object,
                fixed: true,
                hideSelectAll: true,
                columnTitle: <span className="visually-hidden">{text('declarationManagement.select.column')}</span>,
              }
            : undefined
        }
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? text('declarationManagement.emptyFiltered') : text('declarationManagement.empty', { status: statusText(status).toLowerCase() })}
            />
          ),
        }}
      >
        <Table.Column<DeclarationRow>
          title={text('declarationManagement.fields.practice')}
          key="practice"
          fixed="left"
          width={200}
          render={(_, row) => (
            <Link to={path(`/declaration-management/${row.id}`)}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {providerLabel(row)}
              </Typography.Text>
            </Link>
          )}
        />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.service')} key="service" width={200} render={(_, row) => serviceLabel(row)} />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.date')} key="date" width={120} render={(_, row) => formatDateOnly(row.achievement_date)} />
        <Table.Column<DeclarationRow>
          title={text('declarationManagement.fields.payment')}
          key="payment"
          align="right"
          width={120}
          render={(_, row) => <span data-testid={`payment-${row.id}`}>{formatMoney(row.payment)}</span>}
        />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.points')} key="points" align="right" width={80} render={(_, row) => formatPoints(row.points)} />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.year')} key="year" width={100} render={(_, row) => row.service?.financial_year ?? '–'} />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.since')} key="since" width={100} render={(_, row) => formatUkDate(sinceOf(row))} />
        <Table.Column<DeclarationRow> title={text('declarationManagement.fields.note')} key="note" render={(_, row) => <DeclarationNote row={row} text={declareText} />} />
      </Table>
    </>
  );
}
