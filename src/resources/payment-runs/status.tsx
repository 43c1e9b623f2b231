// A payment run's status as a coloured tag; "Flagged for attention" carries an icon so it stands out without colour.
import { WarningOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { PAYMENT_RUN_STATUS_COLOURS, type PaymentRunStatus } from './model.ts';

export function PaymentRunStatusTag({ status }: { status: PaymentRunStatus }) {
  const text = useAreaText(dictionary);
  return (
    <Tag
      color={PAYMENT_RUN_STATUS_COLOURS[status] ?? 'default'}
      icon={status === 'flagged' ? <WarningOutlined aria-hidden /> : undefined}
      style={{ marginInlineEnd: 0 }}
    >
      {text(`paymentRuns.status.${status}`)}
    </Tag>
  );
}
