// Declare (/:org/declare, provider; CQRS: Achievement → Declare): the
// practice's payment declarations (public.declarations, RLS: the practice's
// people other than View), those awaiting its declaration first — selectable
// with Select All for Declaration Management — then the others grouped by
// status, and the Payment Declaration History panel per service at the
// bottom. Declare Achievement confirms the services, dates and payments and
// sends the ids to public.declare_achievements, which checks each on its own
// (data missing, recalculation pending) and answers item by item. Run
// Achievement Summary Report downloads what is being declared (CSV or XLSX).
import { useInvalidate, useList, useNotification, type HttpError } from '@refinedev/core';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Modal, Radio, Space, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly, todayInLondon } from '../../lib/calendar-dates.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { HISTORY_QUERY_KEY, PaymentDeclarationHistory, SectionTitle } from './history.tsx';
import dictionary from './i18n.ts';
import {
  DECLARATION_SELECT,
  DECLARATION_STATUSES,
  DECLARATIONS,
  formatPoints,
  optionsOf,
  serviceLabel,
  type DeclarationResult,
  type DeclarationRow,
} from './model.ts';
import { downloadSummaryReport, type SummaryReportFormat } from './report-api.ts';
import { DeclarationResults } from './results.tsx';
import { DeclarationStatusTag } from './status.tsx';

type Text = ReturnType<typeof useAreaText<typeof dictionary>>;
type Problem = { message: string; description: string };

/** When a declaration entered its status, as far as its row says. */
export function sinceOf(row: DeclarationRow): string | null {
  switch (row.status) {
    case 'awaiting_commissioner_approval':
      return row.declared_at ?? row.updated_at;
    case 'awaiting_finance_approval':
      return row.commissioner_approved_at ?? row.declared_at ?? row.updated_at;
    case 'approved_for_payment':
      return row.finance_approved_at;
    default:
      return row.sent_back_at ?? row.updated_at;
  }
}

/** What the practice should know about a declaration beside its figures. */
export function DeclarationNote({ row, text }: { row: DeclarationRow; text: Text }) {
  const notes: string[] = [];
  if (row.achievement?.recalculation_requested_at) notes.push(text('declare.note.recalculation', { when: formatUkDate(row.achievement.recalculation_requested_at) }));
  if (row.sent_back_reason && row.status === 'awaiting_provider_declaration') {
    notes.push(text('declare.note.sentBack', { when: formatUkDate(row.sent_back_at), reason: row.sent_back_reason }));
  }
  if (row.service?.no_declaration_required) notes.push(text('declare.note.noDeclarationRequired'));
  if (row.service?.no_approval_required) notes.push(text('declare.note.noApprovalRequired'));
  if (notes.length === 0) return <>–</>;
  return (
    <Space direction="vertical" size={0}>
      {notes.map((note) => (
        <Typography.Text key={note} style={{ overflowWrap: 'anywhere' }}>
          {note}
        </Typography.Text>
      ))}
    </Space>
  );
}

const DECLARATION_TABLE_SCROLL = { x: 860 } as const;

export function DeclarePage() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const providerId = context?.membership?.organisation_id ?? '';
  const isPcn = context?.membership?.type === 'pcn';
  const canDeclare = (context?.roles ?? []).includes('declaration_management');
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  const confirm = useConfirmAction();

  const list = useList<DeclarationRow, HttpError>({
    resource: DECLARATIONS,
    pagination: { mode: 'off' },
    filters: [{ field: 'provider_id', operator: 'eq', value: providerId }],
    sorters: [{ field: 'achievement_date', order: 'desc' }],
    meta: { select: DECLARATION_SELECT },
    queryOptions: { enabled: Boolean(providerId) && !isPcn },
    errorNotification: false,
  });
  const rows = useMemo(() => (list.query.isSuccess ? list.result.data : []), [list.query.isSuccess, list.result.data]);
  const awaiting = rows.filter((row) => row.status === 'awaiting_provider_declaration');
  const [selected, setSelected] = useState<string[]>([]);
  const chosen = selected.filter((id) => awaiting.some((row) => row.id === id));
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<{ answers: DeclarationResult[]; rows: DeclarationRow[] } | null>(null);
  const [failure, setFailure] = useState<Problem | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  // /declare/<id> (the declaration notifications' link): that declaration comes ticked when it awaits declaration.
  const { id: linked } = useParams<{ id?: string }>();
  const linkedAwaiting = canDeclare && linked !== undefined && awaiting.some((row) => row.id === linked);
  useEffect(() => {
    if (linkedAwaiting && linked) setSelected((previous) => (previous.includes(linked) ? previous : [...previous, linked]));
  }, [linkedAwaiting, linked]);

  if (isPcn) {
    return (
      <List title={text('declare.titles.list')}>
        <Alert
          type="info"
          showIcon
          message={text('declare.pcn')}
          action={
            <Link to={path('/network-achievement')}>
              <Button>{text('declare.pcnLink')}</Button>
            </Link>
          }
        />
      </List>
    );
  }

  async function declare() {
    const items = awaiting.filter((row) => chosen.includes(row.id));
    const ok = await confirm({
      title: text(items.length === 1 ? 'declare.confirm.titleOne' : 'declare.confirm.title', { n: items.length }),
      content: (
        <>
          <Typography.Paragraph>{text('declare.confirm.body')}</Typography.Paragraph>
          <ul style={{ paddingInlineStart: 20, margin: 0 }} data-testid="declare-confirm-items">
            {items.map((row) => (
              <li key={row.id}>
                {text('declare.confirm.item', { service: serviceLabel(row), date: formatDateOnly(row.achievement_date), payment: formatMoney(row.payment) })}
              </li>
            ))}
          </ul>
        </>
      ),
      okText: text('declare.confirm.ok'),
      cancelText: text('declare.confirm.cancel'),
    });
    if (!ok) return;
    setBusy(true);
    setFailure(null);
    setResults(null);
    try {
      const answers = (await callRpc<DeclarationResult[] | null>('declare_achievements', { p_declaration_ids: items.map((row) => row.id) })) ?? [];
      setResults({ answers, rows: items });
      setSelected([]);
      await Promise.all([
        invalidate({ resource: DECLARATIONS, invalidates: ['list'] }),
        queryClient.invalidateQueries({ queryKey: [HISTORY_QUERY_KEY] }),
      ]);
    } catch (error) {
      const problem = describeRpcError(error);
      setFailure({ message: text('declare.failed'), description: problem.description || problem.message });
    } finally {
      setBusy(false);
    }
  }

  const reportIds = chosen.length > 0 ? chosen : awaiting.length > 0 ? awaiting.map((row) => row.id) : rows.map((row) => row.id);
  const reportScope =
    reportIds.length === 0
      ? text('declare.report.none')
      : chosen.length > 0
        ? chosen.length === 1
          ? text('declare.report.selectedOne')
          : text('declare.report.selected', { n: chosen.length })
        : awaiting.length > 0
          ? text('declare.report.awaiting', { n: awaiting.length })
          : text('declare.report.all', { n: rows.length });

  const services = optionsOf(rows, (row) => row.service_id, serviceLabel);
  const others = DECLARATION_STATUSES.filter((status) => status !== 'awaiting_provider_declaration')
    .map((status) => ({ status, rows: rows.filter((row) => row.status === status) }))
    .filter((group) => group.rows.length > 0);

  let body;
  if (list.query.error) {
    body = (
      <Alert
        type="error"
        showIcon
        message={text('declare.loadError')}
        description={list.query.error.message}
        action={<Button onClick={() => void list.query.refetch()}>{text('declare.retry')}</Button>}
      />
    );
  } else if (!list.query.isLoading && rows.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span style={{ display: 'inline-block', maxWidth: 560 }}>{text('declare.empty')}</span>} />;
  } else {
    body = (
      <>
        {failure && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={failure.message} description={failure.description} />}
        {results && (
          <DeclarationResults
            results={results.answers}
            rows={results.rows}
            texts={{
              summary: (ok, failed) => text('declare.results.summary', { ok, failed }),
              label: text('declare.results.label'),
              ok: text('declare.results.ok'),
              refused: text('declare.results.refused'),
            }}
            onClose={() => setResults(null)}
          />
        )}
        <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('declare.awaiting.title', { n: awaiting.length })}</SectionTitle>}>
          {awaiting.length === 0 && !list.query.isLoading ? (
            // Nothing to declare: a line, not an empty table with disabled buttons.
            <Typography.Text type="secondary">{text('declare.awaiting.empty')}</Typography.Text>
          ) : (
            <>
              {canDeclare ? (
                <Space wrap style={{ marginBottom: 12 }}>
                  <Button type="primary" disabled={chosen.length === 0 || busy} loading={busy} onClick={() => void declare()}>
                    {text('declare.action.declare')}
                  </Button>
                  {/* Buttons, not antd's select-all tick box (its copy in the table's hidden measure row was focusable). */}
                  <Button disabled={awaiting.length === 0} onClick={() => setSelected(awaiting.map((row) => row.id))}>
                    {text('declare.select.all', { n: awaiting.length })}
                  </Button>
                  <Button disabled={chosen.length === 0} onClick={() => setSelected([])}>
                    {text('declare.select.clear')}
                  </Button>
                  <Typography.Text type="secondary" aria-live="polite">
                    {text('declare.select.count', { n: chosen.length })}
                  </Typography.Text>
                </Space>
              ) : (
                <Typography.Paragraph type="secondary">{text('declare.awaiting.readOnly')}</Typography.Paragraph>
              )}
              <Table<DeclarationRow>
                dataSource={awaiting}
                rowKey="id"
                size="small"
                loading={list.query.isLoading}
                aria-label={text('declare.awaiting.title', { n: awaiting.length })}
                scroll={DECLARATION_TABLE_SCROLL}
                pagination={awaiting.length > 25 ? { pageSize: 25 } : false}
                rowSelection={
                  canDeclare
                    ? {
                        selectedRowKeys: chosen,
                        onChange: (keys) => setSelected(keys.map(String)),
                        getCheckboxProps: (row) => ({ 'aria-label': text('declare.select.row', { service: serviceLabel(row), date: formatDateOnly(row.achievement_date) }) }) as object,
                        hideSelectAll: true,
                        columnTitle: <span className="visually-hidden">{text('declare.select.column')}</span>,
                      }
                    : undefined
                }
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('declare.awaiting.empty')} /> }}
              >
                {figureColumns(text, false)}
                <Table.Column<DeclarationRow> title={text('declare.fields.note')} key="note" render={(_, row) => <DeclarationNote row={row} text={text} />} />
              </Table>
            </>
          )}
        </Card>
        <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('declare.others.title')}</SectionTitle>}>
          {others.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('declare.others.empty')} />
          ) : (
            others.map((group) => (
              <section key={group.status} style={{ marginBottom: 16 }} aria-labelledby={`declare-group-${group.status}`}>
                <Typography.Title level={3} id={`declare-group-${group.status}`} style={{ fontSize: 14, margin: '0 0 8px' }}>
                  <Space size={8}>
                    <DeclarationStatusTag status={group.status} />
                    <span>({group.rows.length})</span>
                  </Space>
                </Typography.Title>
                <Table<DeclarationRow>
                  dataSource={group.rows}
                  rowKey="id"
                  size="small"
                  scroll={DECLARATION_TABLE_SCROLL}
                  pagination={group.rows.length > 10 ? { pageSize: 10 } : false}
                  aria-labelledby={`declare-group-${group.status}`}
                >
                  {figureColumns(text, true)}
                  <Table.Column<DeclarationRow> title={text('declare.fields.note')} key="note" render={(_, row) => <DeclarationNote row={row} text={text} />} />
                </Table>
              </section>
            ))
          )}
        </Card>
        {services.length > 0 && <PaymentDeclarationHistory providerId={providerId} services={services} initialServiceId={rows[0]?.service_id} />}
      </>
    );
  }

  return (
    <List
      title={text('declare.titles.list')}
      headerButtons={() =>
        rows.length > 0 ? (
          <Button onClick={() => setReportOpen(true)} data-testid="run-summary-report">
            {text('declare.report.run')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph style={{ maxWidth: 880 }}>{text('declare.intro')}</Typography.Paragraph>
      {body}
      <SummaryReportModal open={reportOpen} ids={reportIds} scope={reportScope} onClose={() => setReportOpen(false)} />
    </List>
  );
}

/** Service, financial year, achievement date, points, payment (and, for the other statuses, since when). */
function figureColumns(text: Text, since: boolean) {
  return [
    <Table.Column<DeclarationRow>
      key="service"
      title={text('declare.fields.service')}
      fixed="left"
      width={200}
      render={(_, row) => <Typography.Text strong>{serviceLabel(row)}</Typography.Text>}
    />,
    <Table.Column<DeclarationRow> key="date" title={text('declare.fields.date')} width={130} render={(_, row) => formatDateOnly(row.achievement_date)} />,
    <Table.Column<DeclarationRow>
      key="payment"
      title={text('declare.fields.payment')}
      align="right"
      width={130}
      render={(_, row) => <span data-testid={`payment-${row.id}`}>{formatMoney(row.payment)}</span>}
    />,
    <Table.Column<DeclarationRow> key="points" title={text('declare.fields.points')} align="right" width={90} render={(_, row) => formatPoints(row.points)} />,
    <Table.Column<DeclarationRow> key="year" title={text('declare.fields.financialYear')} width={100} render={(_, row) => row.service?.financial_year ?? '–'} />,
    ...(since ? [<Table.Column<DeclarationRow> key="since" title={text('declare.fields.since')} width={110} render={(_, row) => formatUkDate(sinceOf(row))} />] : []),
  ];
}

/** Run Achievement Summary Report: which declarations, which format, Download. */
export function SummaryReportModal({ open, ids, scope, onClose }: { open: boolean; ids: readonly string[]; scope: string; onClose: () => void }) {
  const text = useAreaText(dictionary);
  const { open: notify } = useNotification();
  const [format, setFormat] = useState<SummaryReportFormat>('xlsx');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Problem | null>(null);

  async function download() {
    setBusy(true);
    setFailure(null);
    try {
      const file = await downloadSummaryReport(ids, format, todayInLondon());
      notify?.({ type: 'success', message: text('declare.report.downloaded', { file }) });
      onClose();
    } catch (error) {
      const problem = describeRpcError(error);
      setFailure({ message: text('declare.report.failed'), description: problem.description || problem.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={text('declare.report.title')}
      okText={text('declare.report.download')}
      cancelText={text('declare.report.cancel')}
      okButtonProps={{ loading: busy, disabled: ids.length === 0 }}
      onOk={() => void download()}
      onCancel={() => {
        setFailure(null);
        onClose();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>{scope}</Typography.Paragraph>
      <Typography.Text id="summary-report-format">{text('declare.report.format')}</Typography.Text>
      <div>
        <Radio.Group aria-labelledby="summary-report-format" value={format} onChange={(event) => setFormat(event.target.value as SummaryReportFormat)}>
          <Space direction="vertical">
            <Radio value="xlsx">{text('declare.report.xlsx')}</Radio>
            <Radio value="csv">{text('declare.report.csv')}</Radio>
          </Space>
        </Radio.Group>
      </div>
      {failure && <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} message={failure.message} description={failure.description} />}
    </Modal>
  );
}

