// One payment run (/:org/payment-runs/:id): its facts, its claims (each Claim
// ID opening the claim's review page) with the run's total beneath, the
// payment file (Download CSV / XLSX from the payment-file function), the
// deliveries to the payment system (tries) and its answer. Finance and
// Finance Management: Send (confirming count and total) or Cancel (with a
// reason) a draft, Send Again a flagged run. The database decides each step.
import { CanAccess, useNotification, useOne, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { ResultTitle, Show } from '../../components/page.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS, KEY_COLUMN } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useRowsOf } from '../claims/data.ts';
import { downloadPaymentFile } from './api.ts';
import dictionary from './i18n.ts';
import { PAYMENT_RUNS } from './list.tsx';
import {
  PAYMENT_RUN_CLAIM_SELECT,
  PAYMENT_RUN_TRY_SELECT,
  runActions,
  runName,
  type PaymentFileFormat,
  type PaymentRun,
  type PaymentRunClaim,
  type PaymentRunTry,
} from './model.ts';
import { PaymentRunStatusTag } from './status.tsx';

type Problem = { message: string; description: string };

function SectionTitle({ children }: { children: string }) {
  return (
    <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

export function PaymentRunShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id = '' } = useParams<{ id: string }>();
  const one = useOne<PaymentRun, HttpError>({ resource: PAYMENT_RUNS, id, errorNotification: false });
  const run = one.result;
  const back = <Link to={path('/payment-runs')}>{text('paymentRuns.show.back')}</Link>;

  if (one.query.isLoading) return <Skeleton active aria-busy="true" />;
  if (one.query.error || !run) {
    return (
      <Result
        status={one.query.error ? 'error' : '404'}
        title={<ResultTitle>{text('paymentRuns.show.notFound')}</ResultTitle>}
        subTitle={one.query.error?.message}
        extra={back}
      />
    );
  }
  return (
    <Show title={runName(run.run_number)} goBack={false} headerButtons={() => back}>
      <RunBody key={`${run.status}-${run.tries}`} run={run} onChanged={() => one.query.refetch()} />
    </Show>
  );
}

function RunBody({ run, onChanged }: { run: PaymentRun; onChanged: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const claims = useRowsOf<PaymentRunClaim>('payment_run_claims', 'run_id', run.id, PAYMENT_RUN_CLAIM_SELECT, 'claim_number');
  const tries = useRowsOf<PaymentRunTry>('payment_run_tries', 'run_id', run.id, PAYMENT_RUN_TRY_SELECT, 'try_number');
  const reload = () => Promise.all([onChanged(), claims.refetch(), tries.refetch()]);
  return (
    <>
      <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }} title={<SectionTitle>{text('paymentRuns.show.details')}</SectionTitle>}>
        <Descriptions.Item label={text('paymentRuns.fields.run')}>
          <Typography.Text strong>{runName(run.run_number)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.status')}>
          <PaymentRunStatusTag status={run.status} />
        </Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.paymentDate')}>{formatDateOnly(run.payment_date)}</Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.claims')}>
          <span data-testid="run-claim-count">{run.claim_count}</span>
        </Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.total')}>
          <Typography.Text strong data-testid="run-total">
            {formatMoney(run.total)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.tries')}>{run.tries}</Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.created')}>{formatUkDateTime(run.created_at)}</Descriptions.Item>
        <Descriptions.Item label={text('paymentRuns.fields.sent')}>{formatUkDateTime(run.sent_at)}</Descriptions.Item>
      </Descriptions>
      <RunActions run={run} onChanged={reload} />
      <Answer run={run} />
      <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('paymentRuns.show.claims')}</SectionTitle>}>
        <RunClaims run={run} claims={claims.rows} loading={claims.isLoading} error={claims.error} />
      </Card>
      <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('paymentRuns.show.tries')}</SectionTitle>}>
        <Tries tries={tries.rows} loading={tries.isLoading} />
      </Card>
    </>
  );
}

/** Send / Cancel (draft), Send Again (flagged), and the payment file downloads (any run). */
function RunActions({ run, onChanged }: { run: PaymentRun; onChanged: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'send' | 'cancel' | 'resend' | PaymentFileFormat | null>(null);
  const [failure, setFailure] = useState<Problem | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const name = runName(run.run_number);
  const actions = runActions(run.status);
  const facts = { run: name, n: run.claim_count, total: formatMoney(run.total), date: formatDateOnly(run.payment_date) };

  async function act(kind: 'send' | 'resend' | 'cancel', call: () => Promise<unknown>, done: string, refused: string) {
    setBusy(kind);
    setFailure(null);
    try {
      await call();
      notify?.({ type: 'success', message: done });
      setCancelling(false);
      await onChanged();
    } catch (error) {
      setCancelling(false);
      const problem = describeRpcError(error);
      setFailure({ message: refused, description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  async function send() {
    const ok = await confirm({
      title: text('paymentRuns.show.sendTitle', facts),
      content: text('paymentRuns.show.sendBody', facts),
      okText: text('paymentRuns.show.sendOk'),
      cancelText: text('paymentRuns.show.dismiss'),
    });
    if (ok) await act('send', () => callRpc('send_payment_run', { p_run_id: run.id }), text('paymentRuns.show.sent', facts), text('paymentRuns.show.sendFailed'));
  }

  async function resend() {
    const ok = await confirm({
      title: text('paymentRuns.show.resendTitle', facts),
      content: text('paymentRuns.show.resendBody', facts),
      okText: text('paymentRuns.show.resendOk'),
      cancelText: text('paymentRuns.show.dismiss'),
    });
    if (ok) await act('resend', () => callRpc('resend_payment_run', { p_run_id: run.id }), text('paymentRuns.show.resent', facts), text('paymentRuns.show.resendFailed'));
  }

  async function download(format: PaymentFileFormat) {
    setBusy(format);
    setFailure(null);
    try {
      const file = await downloadPaymentFile(run.id, run.run_number, format);
      notify?.({ type: 'success', message: text('paymentRuns.show.downloaded', { file }) });
    } catch (error) {
      const problem = describeRpcError(error);
      setFailure({ message: text('paymentRuns.show.downloadFailed'), description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  const explain =
    run.status === 'draft' ? text('paymentRuns.show.draftExplain') : run.status === 'cancelled' ? text('paymentRuns.show.cancelledExplain', { when: formatUkDateTime(run.cancelled_at) }) : null;

  return (
    <div style={{ marginBottom: 16 }}>
      {explain && <Alert type="info" showIcon style={{ marginBottom: 12 }} message={explain} description={run.status === 'cancelled' ? run.cancel_reason : undefined} />}
      {run.status === 'flagged' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={text('paymentRuns.show.flagged', { when: formatUkDateTime(run.flagged_at) })}
          description={text('paymentRuns.show.flaggedExplain', { tries: run.tries })}
        />
      )}
      <Space wrap>
        <CanAccess resource="payment-runs" action="edit">
          {actions.send && (
            <Button type="primary" onClick={() => void send()} loading={busy === 'send'} disabled={busy !== null}>
              {text('paymentRuns.show.send')}
            </Button>
          )}
          {actions.resend && (
            <Button type="primary" onClick={() => void resend()} loading={busy === 'resend'} disabled={busy !== null}>
              {text('paymentRuns.show.resend')}
            </Button>
          )}
          {actions.cancel && (
            <Button danger onClick={() => setCancelling(true)} disabled={busy !== null}>
              {text('paymentRuns.show.cancel')}
            </Button>
          )}
        </CanAccess>
        <Button onClick={() => void download('csv')} loading={busy === 'csv'} disabled={busy !== null}>
          {text('paymentRuns.show.downloadCsv')}
        </Button>
        <Button onClick={() => void download('xlsx')} loading={busy === 'xlsx'} disabled={busy !== null}>
          {text('paymentRuns.show.downloadXlsx')}
        </Button>
      </Space>
      {failure && <Alert type="error" showIcon role="alert" style={{ marginTop: 12 }} message={failure.message} description={failure.description} />}
      <ReasonModal
        open={cancelling}
        busy={busy === 'cancel'}
        texts={{
          title: text('paymentRuns.show.cancelTitle', facts),
          explain: text('paymentRuns.show.cancelExplain'),
          label: text('paymentRuns.show.reason'),
          ok: text('paymentRuns.show.cancelOk'),
          cancel: text('paymentRuns.show.keep'),
          required: text('paymentRuns.show.reasonRequired'),
          tooLong: (max) => text('paymentRuns.show.reasonTooLong', { max }),
          count: (n, max) => text('paymentRuns.show.count', { n, max }),
        }}
        onSubmit={(reason) =>
          act('cancel', () => callRpc('cancel_payment_run', { p_run_id: run.id, p_reason: reason }), text('paymentRuns.show.cancelled', facts), text('paymentRuns.show.cancelFailed'))
        }
        onCancel={() => setCancelling(false)}
      />
    </div>
  );
}

/** The payment system's answer: acknowledged (date, reference), rejected (reason), or still awaited. */
function Answer({ run }: { run: PaymentRun }) {
  const text = useAreaText(dictionary);
  if (run.status === 'draft' || run.status === 'cancelled') return null;
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('paymentRuns.show.answer')}</SectionTitle>}>
      {run.acknowledged_at ? (
        <>
          <Alert type="success" showIcon style={{ marginBottom: 12 }} message={text('paymentRuns.show.acknowledged', { when: formatUkDateTime(run.acknowledged_at) })} />
          <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS}>
            <Descriptions.Item label={text('paymentRuns.fields.acknowledged')}>{formatUkDateTime(run.acknowledged_at)}</Descriptions.Item>
            <Descriptions.Item label={text('paymentRuns.fields.reference')}>
              <span data-testid="payment-reference">{run.payment_reference || '–'}</span>
            </Descriptions.Item>
          </Descriptions>
        </>
      ) : run.rejected_at ? (
        <Alert
          type="error"
          showIcon
          message={text('paymentRuns.show.rejected', { when: formatUkDateTime(run.rejected_at) })}
          description={
            <>
              <Typography.Text strong>{text('paymentRuns.fields.rejectionReason')}: </Typography.Text>
              <Typography.Text data-testid="rejection-reason">{run.rejection_reason || '–'}</Typography.Text>
            </>
          }
        />
      ) : run.status === 'sent' && run.answer_due_at ? (
        <Typography.Text>{text('paymentRuns.show.answerDue', { when: formatUkDateTime(run.answer_due_at) })}</Typography.Text>
      ) : (
        <Typography.Text>{text('paymentRuns.show.noAnswer')}</Typography.Text>
      )}
    </Card>
  );
}

function RunClaims({ run, claims, loading, error }: { run: PaymentRun; claims: PaymentRunClaim[] | undefined; loading: boolean; error: HttpError | null }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const providerIds = useMemo(() => [...new Set((claims ?? []).map((claim) => claim.provider_id))], [claims]);
  const providers = useRowsOf<{ id: string; ods_code: string; name: string }>('organisations', 'id', providerIds, 'id,ods_code,name');
  const providerName = (id: string) => {
    const row = providers.rows?.find((p) => p.id === id);
    return row ? `${row.name} (${row.ods_code})` : '–';
  };
  if (error) return <Alert type="error" showIcon message={error.message} />;
  return (
    <Table<PaymentRunClaim>
      dataSource={claims ?? []}
      rowKey="claim_id"
      size="small"
      loading={loading}
      aria-label={text('paymentRuns.show.claims')}
      pagination={(claims?.length ?? 0) > 50 ? { pageSize: 50 } : false}
      tableLayout="fixed"
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={2}>
            <Typography.Text strong>{text('paymentRuns.show.claimsTotal')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} align="right">
            {/* The run's own total (the database keeps it equal to the sum of its claims). */}
            <Typography.Text strong data-testid="claims-total">
              {formatMoney(run.total)}
            </Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    >
      <Table.Column<PaymentRunClaim>
        title={text('paymentRuns.fields.claimId')}
        key="claim"
        width={110}
        render={(_, claim) => <Link to={path(`/claims-review/${claim.claim_id}`)}>{claim.claim_number}</Link>}
      />
      <Table.Column<PaymentRunClaim> title={text('paymentRuns.fields.provider')} key="provider" render={(_, claim) => providerName(claim.provider_id)} />
      <Table.Column<PaymentRunClaim>
        title={text('paymentRuns.fields.amount')}
        key="amount"
        align="right"
        width={130}
        render={(_, claim) => <span data-testid={`claim-amount-${claim.claim_number}`}>{formatMoney(claim.amount)}</span>}
      />
    </Table>
  );
}

function Tries({ tries, loading }: { tries: PaymentRunTry[] | undefined; loading: boolean }) {
  const text = useAreaText(dictionary);
  if (!loading && (tries ?? []).length === 0) return <Typography.Text>{text('paymentRuns.show.noTries')}</Typography.Text>;
  return (
    <Table<PaymentRunTry>
      dataSource={tries ?? []}
      rowKey="try_number"
      size="small"
      loading={loading}
      aria-label={text('paymentRuns.show.tries')}
      pagination={false}
      scroll={{ x: 'max-content' }}
    >
      <Table.Column<PaymentRunTry> title={text('paymentRuns.fields.try')} key="try" {...KEY_COLUMN} width={60} render={(_, row) => row.try_number} />
      <Table.Column<PaymentRunTry> title={text('paymentRuns.fields.queued')} key="queued" render={(_, row) => formatUkDateTime(row.queued_at)} />
      <Table.Column<PaymentRunTry> title={text('paymentRuns.fields.delivered')} key="delivered" render={(_, row) => formatUkDateTime(row.delivered_at)} />
      <Table.Column<PaymentRunTry> title={text('paymentRuns.fields.answerDue')} key="due" render={(_, row) => formatUkDateTime(row.answer_due_at)} />
      <Table.Column<PaymentRunTry> title={text('paymentRuns.fields.deliveryError')} key="error" render={(_, row) => row.delivery_error || '–'} />
    </Table>
  );
}
