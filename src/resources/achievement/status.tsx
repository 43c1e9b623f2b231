// An achievement's state as tags in the job aids' words: Not started, Work in
// progress, Submitted vN, New Values pending, Recalculation pending.
import { Space, Tag } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { achievementState, STATE_COLOURS, type Achievement } from './model.ts';

export function AchievementStateTags({ achievement }: { achievement: Parameters<typeof achievementState>[0] | Achievement | undefined }) {
  const text = useAreaText(dictionary);
  return (
    <Space size={[4, 4]} wrap>
      {achievementState(achievement).map((tag) => (
        <Tag key={tag.key} color={STATE_COLOURS[tag.key]} style={{ marginInlineEnd: 0 }}>
          {text(`achievement.state.${tag.key}`, { version: tag.version ?? 0 })}
        </Tag>
      ))}
    </Space>
  );
}

/** "Payment date", for achievement dates on which a payment period ends. */
export function PaymentDateTag() {
  const text = useAreaText(dictionary);
  return (
    <Tag color="gold" style={{ marginInlineEnd: 0 }}>
      {text('achievement.list.paymentDate')}
    </Tag>
  );
}
