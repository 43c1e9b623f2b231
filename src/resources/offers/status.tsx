// An offer's status as a coloured tag in plain words; a withdrawn offer is
// "Cancelled" with a "withdrawn" note (the provider had not answered yet).
import { Space, Tag, Typography } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import type { Offer, OfferStatus } from './model.ts';

const COLOURS: Record<OfferStatus, string> = {
  offered: 'blue',
  approved: 'green',
  rejected: 'red',
  cancelled: 'default',
};

export function OfferStatusTag({ offer }: { offer: Pick<Offer, 'status' | 'withdrawn'> }) {
  const text = useAreaText(dictionary);
  return (
    <Space size={4} wrap>
      <Tag color={COLOURS[offer.status]} style={{ marginInlineEnd: 0 }}>
        {text(`offers.status.${offer.status}`)}
      </Tag>
      {offer.withdrawn && <Typography.Text type="secondary">{text('offers.status.withdrawnNote')}</Typography.Text>}
    </Space>
  );
}

/** The status filter's choices: every status, or all. */
export function useStatusOptions() {
  const text = useAreaText(dictionary);
  return [
    { value: 'all', label: text('offers.status.all') },
    ...(['offered', 'approved', 'rejected', 'cancelled'] as const).map((status) => ({ value: status, label: text(`offers.status.${status}`) })),
  ];
}
