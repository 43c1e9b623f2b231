// Claims review (/:org/claims-review): a queue per review step the caller's
// roles hold (Tier 1, Tier 2, Finance), each listing exactly the claims in that
// step's status (RLS gives the reach: clusters, the commissioner's providers),
// oldest submitted first, filterable by service, provider, period and risk
// band (one read of claim_overview, which carries the band). Approve selected
// sends the chosen claims, with an optional note, to public.review_claims with
// the tab's status as the expected one and shows the answer claim by claim.
import { UploadOutlined } from '@ant-design/icons';
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Empty, Input, List as AntList, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { KEY_COLUMN } from '../../components/table-layout.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { canAccess } from '../../providers/access.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { CLAIM_OVERVIEW } from '../claims/data.ts';
import type { ClaimOverview } from '../claims/model.ts';
import dictionary from './i18n.ts';
import { useRefreshReviewCounts } from './counts.tsx';
import { NOTE_MAX_LENGTH, statusOfStep, stepsOf, type ReviewResult, type ReviewStep, type RiskBand } from './model.ts';
import { RiskTag } from './risk.tsx';

// Services wrap (a claim may hold several): a width, so the dates stay in view on a laptop.
const QUEUE_TABLE_SCROLL = { x: 960 } as const;
const BANDS: readonly RiskBand[] = ['low', 'medium', 'high'];

// claim_overview carries the band the database stamped as the claim entered Tier 1: one read for the queue.
type QueueRow = ClaimOverview;

export function ClaimsReviewQueue() {
  const text = useAreaText(dictionary);
  const context = useCurrentContext();
  const steps = useMemo(() => stepsOf(context?.roles ?? []), [context?.roles]);
  const [params, setParams] = useSearchParams();
  const wanted = params.get('step') as ReviewStep | null;
  const step: ReviewStep | undefined = wanted && steps.includes(wanted) ? wanted : steps[0];
  const statuses = useMemo(() => steps.map(statusOfStep), [steps]);
  const path = useContextPath();
  const bulkButton = canAccess(context, 'claims-review', 'bulk').can ? (
    <Link to={path('/claims-review/bulk')}>
      <Button icon={<UploadOutlined aria-hidden />}>{text('claimsReview.list.bulkClaims')}</Button>
    </Link>
  ) : null;
  const refreshCounts = useRefreshReviewCounts();

  const overview = useList<ClaimOverview, HttpError>({
    resource: CLAIM_OVERVIEW,
    pagination: { mode: 'off' },
    filters: [{ field: 'status', operator: 'in', value: statuses }],
    sorters: [{ field: 'submitted_at', order: 'asc' }],
    queryOptions: { enabled: statuses.length > 0 },
    errorNotification: false,
  });
  const rows: QueueRow[] = useMemo(() => (overview.query.isSuccess ? overview.result.data : []), [overview.query.isSuccess, overview.result.data]);

  if (steps.length === 0) {
    return (
      <List title={text('claimsReview.titles.list')}>
        <Alert type="info" showIcon message={text('claimsReview.list.noSteps')} />
      </List>
    );
  }

  const choose = (next: string) =>
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        updated.set('step', next);
        return updated;
      },
      { replace: true },
    );

  return (
    <List title={text('claimsReview.titles.list')} headerButtons={() => bulkButton}>
      <Typography.Paragraph>{text('claimsReview.list.intro')}</Typography.Paragraph>
      {overview.query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('claimsReview.list.loadError')}
          description={overview.query.error.message}
          action={<Button onClick={() => void overview.query.refetch()}>{text('claimsReview.list.retry')}</Button>}
        />
      ) : (
        <Tabs
          activeKey={step}
          onChange={choose}
          items={steps.map((each) => {
            const status = statusOfStep(each);
            const inStep = rows.filter((row) => row.status === status);
            return {
              key: each,
              label: text('claimsReview.tab', { step: text(`claimsReview.steps.${each}`), n: inStep.length }),
              children:
                each === step ? (
                  <StepQueue
                    key={each}
                    step={each}
                    rows={inStep}
                    loading={overview.query.isLoading}
                    onReviewed={() => Promise.all([overview.query.refetch(), refreshCounts()])}
                  />
                ) : null,
            };
          })}
        />
      )}
    </List>
  );
}

function StepQueue({ step, rows, loading, onReviewed }: { step: ReviewStep; rows: QueueRow[]; loading: boolean; onReviewed: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const stepName = text(`claimsReview.steps.${step}`);
  const [service, setService] = useState('');
  const [provider, setProvider] = useState<string | undefined>();
  const [period, setPeriod] = useState<string | undefined>();
  const [band, setBand] = useState<RiskBand | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [approving, setApproving] = useState(false);
  const [results, setResults] = useState<ReviewResult[] | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);

  const providers = useMemo(
    () => [...new Map(rows.map((row) => [row.provider_id, `${row.provider_name} (${row.provider_ods_code})`])).entries()].sort((a, b) => a[1].localeCompare(b[1])),
    [rows],
  );
  const periods = useMemo(
    () => [...new Set(rows.flatMap((row) => (row.periods ?? '').split(',').map((p) => p.trim())).filter(Boolean))].sort(),
    [rows],
  );
  const needle = service.trim().toLowerCase();
  const shown = rows.filter(
    (row) =>
      (!needle || (row.services ?? '').toLowerCase().includes(needle)) &&
      (!provider || row.provider_id === provider) &&
      (!period || (row.periods ?? '').split(',').map((p) => p.trim()).includes(period)) &&
      (!band || row.risk_band === band),
  );
  // Only claims still shown (and still waiting) are sent.
  const chosen = selected.filter((id) => shown.some((row) => row.id === id));
  const filtered = Boolean(needle || provider || period || band);

  /** The optional note goes with each claim's approval. */
  async function approveSelected(note: string) {
    setBusy(true);
    setFailure(null);
    setResults(null);
    try {
      const answer = await callRpc<ReviewResult[]>('review_claims', { p_claim_ids: chosen, p_note: note || null, p_expected_status: statusOfStep(step) });
      setApproving(false);
      setResults(answer ?? []);
      setSelected([]);
      await onReviewed();
    } catch (error) {
      setApproving(false);
      setFailure(describeRpcError(error));
    } finally {
      setBusy(false);
    }
  }

  const label = (id: string, text_: string) => (
    <Typography.Text id={id} style={{ whiteSpace: 'nowrap' }}>
      {text_}
    </Typography.Text>
  );
  const any = text('claimsReview.filters.any');
  const okCount = results?.filter((r) => r.ok).length ?? 0;

  return (
    <>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <Space>
          {label(`review-${step}-service-label`, text('claimsReview.filters.service'))}
          <Input
            aria-labelledby={`review-${step}-service-label`}
            placeholder={text('claimsReview.filters.servicePlaceholder')}
            value={service}
            onChange={(event) => setService(event.target.value)}
            allowClear
            style={{ width: 220 }}
          />
        </Space>
        <Space>
          {label(`review-${step}-provider-label`, text('claimsReview.filters.provider'))}
          <Select
            aria-labelledby={`review-${step}-provider-label`}
            value={provider ?? ''}
            onChange={(value: string) => setProvider(value || undefined)}
            style={{ width: 280, maxWidth: '100%' }}
            options={[{ value: '', label: any }, ...providers.map(([value, name]) => ({ value, label: name }))]}
          />
        </Space>
        <Space>
          {label(`review-${step}-period-label`, text('claimsReview.filters.period'))}
          <Select
            aria-labelledby={`review-${step}-period-label`}
            value={period ?? ''}
            onChange={(value: string) => setPeriod(value || undefined)}
            style={{ width: 160 }}
            options={[{ value: '', label: any }, ...periods.map((value) => ({ value, label: value }))]}
          />
        </Space>
        <Space>
          {label(`review-${step}-band-label`, text('claimsReview.filters.band'))}
          <Select
            aria-labelledby={`review-${step}-band-label`}
            value={band ?? ''}
            onChange={(value: string) => setBand((value || undefined) as RiskBand | undefined)}
            style={{ width: 140 }}
            options={[{ value: '', label: any }, ...BANDS.map((value) => ({ value, label: text(`claimsReview.band.${value}`) }))]}
          />
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" disabled={chosen.length === 0 || busy} loading={busy} onClick={() => setApproving(true)}>
          {text('claimsReview.bulk.approve')}
        </Button>
        {/* Buttons, not antd's select-all tick box: its header copy in the table's (aria-hidden) measure row was focusable. */}
        <Button onClick={() => setSelected(shown.map((row) => row.id))}>{text('claimsReview.list.selectAll', { n: shown.length })}</Button>
        <Button onClick={() => setSelected([])}>{text('claimsReview.list.clearSelection')}</Button>
        <Typography.Text type="secondary" aria-live="polite">
          {text('claimsReview.list.selected', { n: chosen.length })}
        </Typography.Text>
      </Space>
      <ReasonModal
        open={approving}
        busy={busy}
        optional
        maxLength={NOTE_MAX_LENGTH}
        texts={{
          title: text(chosen.length === 1 ? 'claimsReview.bulk.confirmTitleOne' : 'claimsReview.bulk.confirmTitle', { n: chosen.length, step: stepName }),
          explain: text('claimsReview.bulk.confirmBody'),
          label: text('claimsReview.note.label'),
          ok: text('claimsReview.bulk.ok'),
          cancel: text('claimsReview.bulk.cancel'),
          required: '',
          tooLong: (max) => text('claimsReview.note.tooLong', { max }),
          count: (n, max) => text('claimsReview.show.count', { n, max }),
        }}
        onSubmit={approveSelected}
        onCancel={() => setApproving(false)}
      />
      {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure.message} description={failure.description} />}
      {results && (
        <Alert
          type={okCount === results.length ? 'success' : okCount === 0 ? 'error' : 'warning'}
          showIcon
          closable
          onClose={() => setResults(null)}
          style={{ marginBottom: 16 }}
          role="status"
          message={text('claimsReview.bulk.results', { ok: okCount, failed: results.length - okCount })}
          description={
            <AntList
              size="small"
              aria-label={text('claimsReview.bulk.resultsLabel')}
              dataSource={results}
              renderItem={(result) => (
                <AntList.Item key={result.claim_id} data-testid={`result-${result.claim_id}`}>
                  <Space wrap>
                    <Tag color={result.ok ? 'green' : 'red'}>{result.ok ? text('claimsReview.bulk.wentThrough') : text('claimsReview.bulk.refused')}</Tag>
                    <Typography.Text>{result.message}</Typography.Text>
                  </Space>
                </AntList.Item>
              )}
            />
          }
        />
      )}
      <Table<QueueRow>
        dataSource={shown}
        rowKey="id"
        size="small"
        loading={loading}
        aria-label={text('claimsReview.tab', { step: stepName, n: shown.length })}
        scroll={QUEUE_TABLE_SCROLL}
        pagination={shown.length > 25 ? { pageSize: 25 } : false}
        rowSelection={{
          selectedRowKeys: chosen,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (row) => ({ 'aria-label': text('claimsReview.list.selectRow', { number: row.claim_number }) }) as object,
          fixed: true,
          hideSelectAll: true,
          // A header for screen readers (an empty one is not).
          columnTitle: <span className="visually-hidden">{text('claimsReview.list.selectColumn')}</span>,
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={filtered ? text('claimsReview.list.emptyFiltered') : text('claimsReview.list.empty', { step: stepName })}
            />
          ),
        }}
      >
        <Table.Column<QueueRow>
          title={text('claimsReview.fields.claimId')}
          key="claimId"
          {...KEY_COLUMN}
          width={110}
          render={(_, claim) => (
            <Link to={path(`/claims-review/${claim.id}`)}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {claim.claim_number}
              </Typography.Text>
            </Link>
          )}
        />
        <Table.Column<QueueRow>
          title={text('claimsReview.fields.provider')}
          key="provider"
          width={180}
          render={(_, claim) => `${claim.provider_name} (${claim.provider_ods_code})`}
        />
        <Table.Column<QueueRow> title={text('claimsReview.fields.services')} key="services" render={(_, claim) => claim.services || '–'} />
        <Table.Column<QueueRow> title={text('claimsReview.fields.period')} key="period" width={120} render={(_, claim) => claim.periods || '–'} />
        <Table.Column<QueueRow>
          title={text('claimsReview.fields.total')}
          key="total"
          align="right"
          width={120}
          render={(_, claim) => <span data-testid={`total-${claim.id}`}>{formatMoney(claim.total)}</span>}
        />
        <Table.Column<QueueRow> title={text('claimsReview.fields.band')} key="band" width={110} render={(_, claim) => <RiskTag band={claim.risk_band} />} />
        <Table.Column<QueueRow> title={text('claimsReview.fields.submitted')} key="submitted" width={110} render={(_, claim) => formatUkDate(claim.submitted_at)} />
      </Table>
    </>
  );
}
