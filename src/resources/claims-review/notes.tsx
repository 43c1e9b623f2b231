// The notes and reasons on a claim under review, gathered from its status
// timeline (public.claim_timeline's reason): reviewers' approval notes, the
// reasons it was declined or returned, the system review's findings — who
// wrote each and when, in the order they were written. The full timeline
// stays below; this is the part a reviewer reads before deciding.
import { Card, List, Typography } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import { useTimeline } from '../claims/data.ts';
import type { TimelineEntry } from '../claims/model.ts';
import dictionary from './i18n.ts';

const KIND_OF_ACTION: Record<string, 'approval' | 'decline' | 'return' | 'systemReview'> = {
  'claim.tier_one_approve': 'approval',
  'claim.tier_two_approve': 'approval',
  'claim.finance_approve': 'approval',
  'claim.decline': 'decline',
  'claim.return': 'return',
  'claim.system_review': 'systemReview',
};

export function noteKind(entry: Pick<TimelineEntry, 'action'>): 'approval' | 'decline' | 'return' | 'systemReview' | 'other' {
  return KIND_OF_ACTION[entry.action] ?? 'other';
}

export function ReviewNotes({ claimId }: { claimId: string }) {
  const text = useAreaText(dictionary);
  const timeline = useTimeline(claimId);
  // Loading or unreadable: the timeline below says so; nothing here.
  if (!timeline.isSuccess) return null;
  const notes = timeline.data.filter((entry) => entry.reason);
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {text('claimsReview.notes.title')}
        </Typography.Title>
      }
    >
      {notes.length === 0 ? (
        <Typography.Text type="secondary">{text('claimsReview.notes.empty')}</Typography.Text>
      ) : (
        <List
          size="small"
          split
          dataSource={notes}
          renderItem={(entry, index) => (
            <List.Item key={`${entry.occurred_at}-${index}`} data-testid="review-note" style={{ display: 'block', paddingInline: 0 }}>
              <Typography.Text strong>{text(`claimsReview.notes.${noteKind(entry)}`)}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {text('claimsReview.notes.who', { who: entry.actor ?? '–', when: formatUkDateTime(entry.occurred_at) })}
              </Typography.Text>
              <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{entry.reason}</Typography.Paragraph>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
