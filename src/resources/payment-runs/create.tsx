// New Payment Run (/:org/payment-runs/new, Finance and Finance Management):
// the payment date (today or later, UK date picker), Preview
// (preview_payment_run: count, total, per provider), then Create Payment Run
// (create_payment_run with the previewed count and total, so the database
// refuses a run whose claims changed since; the page then shows the preview as
// it is now) and on to the new run's page. A new date clears the preview.
import { useNotification } from '@refinedev/core';
import { Alert, Button, DatePicker, Descriptions, Form, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { Create } from '../../components/page.tsx';
import { callRpc, describeRpcError, RpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatDateOnly, toIsoDate, todayInLondon, UK_DATE_INPUT_FORMAT } from '../../lib/calendar-dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import dictionary from './i18n.ts';
import { runName, type PaymentRun, type PaymentRunPreview } from './model.ts';

type Provider = PaymentRunPreview['providers'][number];

/** The database's answers that mean "the claims changed since the preview" (stale expectation). */
function isStalePreview(error: unknown): boolean {
  return error instanceof RpcError && (error.code === 'PT409' || error.code === '40001' || /changed/i.test(error.message));
}

export function PaymentRunCreate() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const navigate = useNavigate();
  const { open: notify } = useNotification();
  const context = useCurrentContext();
  const commissionerId = context?.membership?.organisation_id;
  const [form] = Form.useForm<{ payment_date: Dayjs | null }>();
  const [preview, setPreview] = useState<PaymentRunPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'create' | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string; type: 'error' | 'warning' } | null>(null);
  const today = todayInLondon();

  async function fetchPreview(date: string): Promise<PaymentRunPreview> {
    return callRpc<PaymentRunPreview>('preview_payment_run', { p_commissioner_id: commissionerId, p_payment_date: date });
  }

  async function runPreview() {
    let values: { payment_date: Dayjs | null };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy('preview');
    setFailure(null);
    setPreview(null);
    try {
      setPreview(await fetchPreview(toIsoDate(values.payment_date!)));
    } catch (error) {
      setFailure({ ...describeRpcError(error), message: text('paymentRuns.create.previewFailed'), type: 'error' });
    } finally {
      setBusy(null);
    }
  }

  async function create() {
    if (!preview) return;
    setBusy('create');
    setFailure(null);
    try {
      const run = await callRpc<PaymentRun>('create_payment_run', {
        p_commissioner_id: commissionerId,
        p_payment_date: preview.payment_date,
        p_expected_claim_count: preview.claim_count,
        p_expected_total: preview.total,
      });
      notify?.({
        type: 'success',
        message: text('paymentRuns.create.created', { run: runName(run.run_number), n: run.claim_count, total: formatMoney(run.total) }),
      });
      void navigate(path(`/payment-runs/${run.id}`));
    } catch (error) {
      const problem = describeRpcError(error);
      if (isStalePreview(error)) {
        setFailure({ message: text('paymentRuns.create.changed'), description: `${problem.description} ${text('paymentRuns.create.changedExplain')}`, type: 'warning' });
        // Show the claims as they are now, so the person can check and create again.
        setPreview(await fetchPreview(preview.payment_date).catch(() => null));
      } else {
        setFailure({ message: text('paymentRuns.create.createFailed'), description: problem.description, type: 'error' });
      }
    } finally {
      setBusy(null);
    }
  }

  const back = <Link to={path('/payment-runs')}>{text('paymentRuns.create.back')}</Link>;
  if (!commissionerId) {
    return (
      <Create title={text('paymentRuns.titles.create')} goBack={false} footerButtons={() => null}>
        <Alert type="info" showIcon message={text('paymentRuns.create.noContext')} />
      </Create>
    );
  }

  return (
    <Create
      title={text('paymentRuns.titles.create')}
      goBack={false}
      headerButtons={() => back}
      footerButtons={() =>
        preview ? (
          <Button type="primary" onClick={() => void create()} loading={busy === 'create'} disabled={busy !== null || preview.claim_count === 0}>
            {text('paymentRuns.create.create')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph style={{ maxWidth: 720 }}>{text('paymentRuns.create.intro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={(changed: { payment_date?: Dayjs | null }) => {
          // A picker may report the same day again (on blur): only another day makes the preview stale.
          const day = changed.payment_date ? toIsoDate(changed.payment_date) : null;
          if (day === preview?.payment_date) return;
          setPreview(null);
          setFailure(null);
        }}
        onFinish={() => void runPreview()}
      >
        <Space wrap align="start" size="middle">
          <Form.Item
            name="payment_date"
            label={text('paymentRuns.create.date')}
            extra={text('paymentRuns.create.dateHelp')}
            rules={[{ required: true, message: text('paymentRuns.create.dateRequired') }]}
            style={{ width: 240, marginBottom: 0 }}
          >
            <DatePicker
              format={UK_DATE_INPUT_FORMAT}
              placeholder="DD/MM/YYYY"
              style={{ width: '100%' }}
              disabledDate={(day) => toIsoDate(day) < today}
            />
          </Form.Item>
          {/* Level with the date box: below its label (antd's vertical label is 30 px high). */}
          <Button htmlType="submit" style={{ marginTop: 30 }} loading={busy === 'preview'} disabled={busy !== null}>
            {text('paymentRuns.create.preview')}
          </Button>
        </Space>
      </Form>
      {failure && (
        <Alert type={failure.type} showIcon role="alert" style={{ margin: '16px 0' }} message={failure.message} description={failure.description} />
      )}
      {preview && (
        <section aria-labelledby="payment-run-preview-title" style={{ marginTop: 16, maxWidth: 880 }}>
          <Typography.Title level={2} id="payment-run-preview-title" style={{ fontSize: 16 }}>
            {text('paymentRuns.create.previewTitle', { date: formatDateOnly(preview.payment_date) })}
          </Typography.Title>
          <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={text('paymentRuns.create.count')}>
              <span data-testid="preview-count">{preview.claim_count}</span>
            </Descriptions.Item>
            <Descriptions.Item label={text('paymentRuns.create.total')}>
              <strong data-testid="preview-total">{formatMoney(preview.total)}</strong>
            </Descriptions.Item>
          </Descriptions>
          {preview.claim_count === 0 ? (
            <Alert type="info" showIcon message={text('paymentRuns.create.nothing')} />
          ) : (
            <Table<Provider>
              dataSource={preview.providers}
              rowKey="provider_id"
              size="small"
              pagination={false}
              aria-label={text('paymentRuns.create.providers')}
              title={() => text('paymentRuns.create.providers')}
              tableLayout="fixed"
            >
              <Table.Column<Provider> title={text('paymentRuns.fields.provider')} key="provider" render={(_, row) => `${row.name} (${row.ods_code})`} />
              <Table.Column<Provider> title={text('paymentRuns.fields.claims')} key="claims" align="right" width={80} render={(_, row) => row.claim_count} />
              <Table.Column<Provider> title={text('paymentRuns.fields.total')} key="total" align="right" width={130} render={(_, row) => formatMoney(row.total)} />
            </Table>
          )}
        </section>
      )}
    </Create>
  );
}
