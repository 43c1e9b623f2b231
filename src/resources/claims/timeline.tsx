// The status timeline of a claim, from the audit trail (public.claim_timeline):
// when, who, from which status to which, and the reason when there is one
// (said for what it is: a reviewer's approval note, why it was declined or returned).
import { Alert, Skeleton, Timeline, Typography } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import { describeRpcError } from '../../components/rpc.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { useTimeline } from './data.ts';
import dictionary from './i18n.ts';
import { useStatusText } from './status.tsx';

/** What a step's reason is, by its action: a reviewer's note on an approval, why a claim was declined or returned. */
const REASON_TEXT: Record<string, keyof typeof dictionary> = {
  'claim.tier_one_approve': 'claims.timeline.note',
  'claim.tier_two_approve': 'claims.timeline.note',
  'claim.finance_approve': 'claims.timeline.note',
  'claim.decline': 'claims.timeline.declineReason',
  'claim.return': 'claims.timeline.returnReason',
};

export function ClaimTimeline({ claimId }: { claimId: string }) {
  const text = useAreaText(dictionary);
  const status = useStatusText();
  const timeline = useTimeline(claimId);
  return (
    <section aria-labelledby="claim-timeline-title" style={{ marginTop: 24 }}>
      <Typography.Title level={2} id="claim-timeline-title" style={{ fontSize: 18 }}>
        {text('claims.timeline.title')}
      </Typography.Title>
      {timeline.isLoading ? (
        <Skeleton active aria-busy="true" />
      ) : timeline.error ? (
        <Alert type="error" showIcon message={text('claims.timeline.loadError')} description={describeRpcError(timeline.error).description} />
      ) : (timeline.data ?? []).length === 0 ? (
        <Typography.Paragraph type="secondary">{text('claims.timeline.empty')}</Typography.Paragraph>
      ) : (
        <Timeline
          items={(timeline.data ?? []).map((entry, index) => ({
            key: `${entry.occurred_at}-${index}`,
            children: (
              <>
                <Typography.Text strong>{formatUkDateTime(entry.occurred_at)}</Typography.Text>{' '}
                <Typography.Text>
                  {entry.from_status
                    ? text('claims.timeline.entry', { from: status(entry.from_status), to: status(entry.to_status) })
                    : text('claims.timeline.started', { to: status(entry.to_status) })}
                </Typography.Text>{' '}
                {entry.actor && <Typography.Text type="secondary">{text('claims.timeline.by', { who: entry.actor })}</Typography.Text>}
                {entry.reason && (
                  <Typography.Paragraph style={{ marginBottom: 0, overflowWrap: 'anywhere' }}>
                    {text(REASON_TEXT[entry.action] ?? 'claims.timeline.reason', { reason: entry.reason })}
                  </Typography.Paragraph>
                )}
              </>
            ),
          }))}
        />
      )}
    </section>
  );
}
