// One claim under review (/:org/claims-review/:id): the read-only claim (the
// provider side's panes: lines, answers, evidence — Download for clean files
// only), its risk band and why, who approved the earlier steps, the notes
// and reasons written on it, the status timeline, and Approve (an optional
// note) / Decline (reason required) for whoever holds the role of the step
// the claim waits for. The database decides; its refusal
// ("already decided by … at …", own submission, same Tier 1 and Tier 2
// person) is shown as it answered.
import { useList, useNotification, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Result, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useContextPath } from '../../components/context-links.ts';
import { ResultTitle, Show } from '../../components/page.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { useClaim, useTimeline } from '../claims/data.ts';
import type { ClaimOverview, TimelineEntry } from '../claims/model.ts';
import { ClaimHeader, ClaimReadOnly } from '../claims/show.tsx';
import { ClaimTimeline } from '../claims/timeline.tsx';
import { useRefreshReviewCounts } from './counts.tsx';
import dictionary from './i18n.ts';
import { NOTE_MAX_LENGTH, REVIEW_STEPS, riskReason, stepOfStatus, type ReviewResult, type ReviewStep, type RiskBand, type RiskSettings } from './model.ts';
import { ReviewNotes } from './notes.tsx';
import { RiskTag } from './risk.tsx';

interface ReviewColumns {
  id: string;
  commissioner_id: string;
  risk_band: RiskBand | null;
  tier1_approved_at: string | null;
  tier2_approved_at: string | null;
  finance_approved_at: string | null;
}
const REVIEW_SELECT = 'id,commissioner_id,risk_band,tier1_approved_at,tier2_approved_at,finance_approved_at';

export function ClaimReview() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id = '' } = useParams<{ id: string }>();
  const { claim, isLoading, error, refetch } = useClaim(id);
  const review = useList<ReviewColumns, HttpError>({
    resource: 'claims',
    pagination: { mode: 'off' },
    filters: [{ field: 'id', operator: 'eq', value: id }],
    meta: { select: REVIEW_SELECT },
    errorNotification: false,
  });
  const columns = review.query.isSuccess ? review.result.data[0] : undefined;
  const refreshCounts = useRefreshReviewCounts();
  const back = <Link to={path('/claims-review')}>{text('claimsReview.show.back')}</Link>;

  if (isLoading) return <Skeleton active aria-busy="true" />;
  if (error || !claim) {
    return (
      <Result
        status={error ? 'error' : '404'}
        title={<ResultTitle>{text('claimsReview.show.notFound')}</ResultTitle>}
        subTitle={error?.message}
        extra={back}
      />
    );
  }
  // The menu's count of waiting claims changes with every decision.
  const reload = () => Promise.all([refetch(), review.query.refetch(), refreshCounts()]);

  return (
    <Show title={text('claimsReview.titles.show', { number: claim.claim_number })} goBack={false} headerButtons={() => back}>
      <ClaimHeader claim={claim} />
      {claim.status === 'declined' && claim.decline_reason && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('claimsReview.show.declined')} description={claim.decline_reason} />
      )}
      <Decision key={`decision-${claim.status}-${claim.updated_at}`} claim={claim} onDecided={reload} />
      <RiskAndApprovals claim={claim} columns={columns} />
      <ReviewNotes claimId={claim.id} />
      <ClaimReadOnly claim={claim} />
      <ClaimTimeline key={`timeline-${claim.status}-${claim.updated_at}`} claimId={claim.id} />
    </Show>
  );
}

/** The band and the sentence saying why; the earlier steps' approvers (names from the timeline). */
function RiskAndApprovals({ claim, columns }: { claim: ClaimOverview; columns: ReviewColumns | undefined }) {
  const text = useAreaText(dictionary);
  const settings = useList<RiskSettings & { organisation_id: string }, HttpError>({
    resource: 'commissioner_settings',
    pagination: { mode: 'off' },
    filters: [{ field: 'organisation_id', operator: 'eq', value: columns?.commissioner_id ?? '' }],
    meta: { select: 'organisation_id,medium_risk_from,high_risk_from' },
    queryOptions: { enabled: Boolean(columns?.commissioner_id) },
    errorNotification: false,
  });
  const timeline = useTimeline(claim.id);
  // Unreadable settings (RLS) give no row: the band alone is shown.
  const readable = settings.query.isSuccess ? settings.result.data[0] : undefined;
  const reason = riskReason(columns?.risk_band ?? null, claim.total, readable);
  // While the settings load, no sentence (not the band-only one it may turn into the full one).
  const sentence = settings.query.isLoading
    ? ''
    : reason.kind === 'none'
      ? text('claimsReview.show.riskNone')
      : reason.kind === 'bandOnly'
        ? text('claimsReview.show.riskBandOnly')
        : text(reason.kind === 'high' ? 'claimsReview.show.riskHigh' : reason.kind === 'medium' ? 'claimsReview.show.riskMedium' : 'claimsReview.show.riskLow', reason.values);

  const approvedAt: Record<ReviewStep, string | null | undefined> = {
    tier1: columns?.tier1_approved_at,
    tier2: columns?.tier2_approved_at,
    finance: columns?.finance_approved_at,
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{text('claimsReview.show.riskTitle')}</Typography.Title>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <RiskTag band={columns?.risk_band} />
        <Typography.Text data-testid="risk-reason">{sentence}</Typography.Text>
      </Space>
      <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS} title={text('claimsReview.show.approvals')}>
        {REVIEW_STEPS.map(({ step, status }) => {
          const at = approvedAt[step];
          const who = at ? approverOf(timeline.data ?? [], status) : undefined;
          return (
            <Descriptions.Item key={step} label={text(`claimsReview.steps.${step}`)}>
              <span data-testid={`approved-${step}`}>
                {!at
                  ? text('claimsReview.show.notYet')
                  : who
                    ? text('claimsReview.show.approvedBy', { who, when: formatUkDateTime(at) })
                    : text('claimsReview.show.approvedAt', { when: formatUkDateTime(at) })}
              </span>
            </Descriptions.Item>
          );
        })}
      </Descriptions>
    </Card>
  );
}

/** Who last moved the claim on from this status (the approval of that step). */
function approverOf(entries: readonly TimelineEntry[], from: string): string | undefined {
  const moves = entries.filter((entry) => entry.from_status === from && entry.to_status !== 'declined' && entry.actor);
  return moves[moves.length - 1]?.actor ?? undefined;
}

function Decision({ claim, onDecided }: { claim: ClaimOverview; onDecided: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const context = useCurrentContext();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'approve' | 'decline' | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);
  const [declining, setDeclining] = useState(false);
  const [approving, setApproving] = useState(false);
  const step = stepOfStatus(claim.status);
  if (!step) return null;
  const number = claim.claim_number;
  const stepName = text(`claimsReview.steps.${step}`);
  const holds = REVIEW_STEPS.find((entry) => entry.step === step)!.roles.some((role) => (context?.roles ?? []).includes(role));
  if (!holds) {
    return <Alert type="info" showIcon style={{ marginBottom: 16 }} message={text('claimsReview.show.notYours', { number, step: stepName })} />;
  }

  /** The note is optional: kept with the approval on the claim's timeline. */
  async function approve(note: string) {
    setBusy('approve');
    setFailure(null);
    try {
      const [result] = await callRpc<ReviewResult[]>('review_claims', { p_claim_ids: [claim.id], p_note: note || null, p_expected_status: claim.status });
      setApproving(false);
      if (result?.ok) {
        notify?.({ type: 'success', message: text('claimsReview.show.approved', { message: result.message }) });
        await onDecided();
      } else {
        setFailure({ message: text('claimsReview.show.refused'), description: result?.message ?? '' });
        await onDecided();
      }
    } catch (error) {
      setApproving(false);
      const problem = describeRpcError(error);
      setFailure({ message: text('claimsReview.show.refused'), description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  async function decline(reason: string) {
    setBusy('decline');
    setFailure(null);
    try {
      await callRpc('decline_claim', { p_claim_id: claim.id, p_reason: reason, p_expected_status: claim.status });
      notify?.({ type: 'success', message: text('claimsReview.show.declinedDone', { number }) });
      setDeclining(false);
      await onDecided();
    } catch (error) {
      setDeclining(false);
      const problem = describeRpcError(error);
      setFailure({ message: text('claimsReview.show.declineRefused'), description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={text('claimsReview.show.waiting', { number, step: stepName })}
        description={
          <>
            <Typography.Paragraph style={{ marginBottom: 8 }}>{text('claimsReview.show.waitingExplain')}</Typography.Paragraph>
            <Space wrap>
              <Button type="primary" onClick={() => setApproving(true)} loading={busy === 'approve'} disabled={busy !== null}>
                {text('claimsReview.show.approve')}
              </Button>
              <Button danger onClick={() => setDeclining(true)} disabled={busy !== null}>
                {text('claimsReview.show.decline')}
              </Button>
            </Space>
          </>
        }
      />
      {failure && <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} message={failure.message} description={failure.description} />}
      <ReasonModal
        open={approving}
        busy={busy === 'approve'}
        optional
        maxLength={NOTE_MAX_LENGTH}
        texts={{
          title: text('claimsReview.show.approveTitle', { number, step: stepName }),
          explain: text('claimsReview.show.approveBody', { total: formatMoney(claim.total) }),
          label: text('claimsReview.note.label'),
          ok: text('claimsReview.show.approveOk'),
          cancel: text('claimsReview.show.cancel'),
          required: '',
          tooLong: (max) => text('claimsReview.note.tooLong', { max }),
          count: (n, max) => text('claimsReview.show.count', { n, max }),
        }}
        onSubmit={approve}
        onCancel={() => setApproving(false)}
      />
      <ReasonModal
        open={declining}
        busy={busy === 'decline'}
        texts={{
          title: text('claimsReview.show.declineTitle', { number }),
          explain: text('claimsReview.show.declineExplain'),
          label: text('claimsReview.show.reason'),
          ok: text('claimsReview.show.declineOk'),
          cancel: text('claimsReview.show.cancel'),
          required: text('claimsReview.show.reasonRequired'),
          tooLong: (max) => text('claimsReview.show.reasonTooLong', { max }),
          count: (n, max) => text('claimsReview.show.count', { n, max }),
        }}
        onSubmit={decline}
        onCancel={() => setDeclining(false)}
      />
    </>
  );
}
