// Payment runs (/:org/payment-runs): the commissioner's runs, newest first,
// with their status, claims, total, tries and when they were sent and
// answered; a status filter; flagged runs stand out (a banner, a tinted row
// and a tag with an icon). New Payment Run for Finance and Finance Management.
import { CanAccess, useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Empty, Select, Space, Table, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import dictionary from './i18n.ts';
import { answeredAt, PAYMENT_RUN_STATUSES, runName, type PaymentRun, type PaymentRunStatus } from './model.ts';
import { PaymentRunStatusTag } from './status.tsx';

export const PAYMENT_RUNS = 'payment_runs';
/** antd's orange-1: a flagged row's tint (dark text keeps its contrast on it). */
const FLAGGED_ROW = { background: '#fff7e6' } as const;

export function PaymentRunsList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const context = useCurrentContext();
  const commissionerId = context?.membership?.organisation_id ?? '';
  const [params, setParams] = useSearchParams();
  const wanted = params.get('status') as PaymentRunStatus | null;
  const status = wanted && PAYMENT_RUN_STATUSES.includes(wanted) ? wanted : undefined;

  const runs = useList<PaymentRun, HttpError>({
    resource: PAYMENT_RUNS,
    pagination: { mode: 'off' },
    filters: [{ field: 'commissioner_id', operator: 'eq', value: commissionerId }],
    sorters: [{ field: 'run_number', order: 'desc' }],
    queryOptions: { enabled: Boolean(commissionerId) },
    errorNotification: false,
  });
  const all = runs.query.isSuccess ? runs.result.data : [];
  const shown = status ? all.filter((run) => run.status === status) : all;
  const flagged = all.filter((run) => run.status === 'flagged').length;

  const choose = (next: string) =>
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        if (next) updated.set('status', next);
        else updated.delete('status');
        return updated;
      },
      { replace: true },
    );

  return (
    <List
      title={text('paymentRuns.titles.list')}
      headerButtons={() => (
        <CanAccess resource="payment-runs" action="create">
          <Button type="primary" onClick={() => void navigate(path('/payment-runs/new'))}>
            {text('paymentRuns.list.new')}
          </Button>
        </CanAccess>
      )}
    >
      <Typography.Paragraph>{text('paymentRuns.list.intro')}</Typography.Paragraph>
      {flagged > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={flagged === 1 ? text('paymentRuns.list.flaggedOne') : text('paymentRuns.list.flagged', { n: flagged })}
          action={
            status !== 'flagged' ? (
              <Button size="small" onClick={() => choose('flagged')}>
                {text('paymentRuns.status.flagged')}
              </Button>
            ) : undefined
          }
        />
      )}
      <Space style={{ marginBottom: 16 }}>
        <Typography.Text id="payment-runs-status-label">{text('paymentRuns.list.filterStatus')}</Typography.Text>
        <Select
          aria-labelledby="payment-runs-status-label"
          value={status ?? ''}
          onChange={choose}
          style={{ width: 220 }}
          options={[
            { value: '', label: text('paymentRuns.list.allStatuses') },
            ...PAYMENT_RUN_STATUSES.map((value) => ({ value, label: text(`paymentRuns.status.${value}`) })),
          ]}
        />
      </Space>
      {runs.query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('paymentRuns.list.loadError')}
          description={runs.query.error.message}
          action={<Button onClick={() => void runs.query.refetch()}>{text('paymentRuns.list.retry')}</Button>}
        />
      ) : (
        <Table<PaymentRun>
          dataSource={shown}
          rowKey="id"
          size="small"
          loading={runs.query.isLoading}
          aria-label={text('paymentRuns.list.tableLabel')}
          scroll={TABLE_SCROLL}
          pagination={shown.length > 25 ? { pageSize: 25 } : false}
          onRow={(run) => (run.status === 'flagged' ? { style: FLAGGED_ROW, 'data-flagged': 'true' } : {}) as object}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={status ? text('paymentRuns.list.emptyStatus') : text('paymentRuns.list.empty')} />,
          }}
        >
          <Table.Column<PaymentRun>
            title={text('paymentRuns.fields.run')}
            key="run"
            {...KEY_COLUMN}
            width={120}
            render={(_, run) => (
              <Link to={path(`/payment-runs/${run.id}`)}>
                <Typography.Text strong style={{ color: 'inherit' }}>
                  {runName(run.run_number)}
                </Typography.Text>
              </Link>
            )}
          />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.paymentDate')} key="date" render={(_, run) => formatDateOnly(run.payment_date)} />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.status')} key="status" render={(_, run) => <PaymentRunStatusTag status={run.status} />} />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.claims')} key="claims" align="right" render={(_, run) => run.claim_count} />
          <Table.Column<PaymentRun>
            title={text('paymentRuns.fields.total')}
            key="total"
            align="right"
            render={(_, run) => <span data-testid={`run-total-${run.id}`}>{formatMoney(run.total)}</span>}
          />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.tries')} key="tries" align="right" render={(_, run) => run.tries} />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.sent')} key="sent" render={(_, run) => formatUkDateTime(run.sent_at)} />
          <Table.Column<PaymentRun> title={text('paymentRuns.fields.answered')} key="answered" render={(_, run) => formatUkDateTime(answeredAt(run))} />
        </Table>
      )}
    </List>
  );
}
