// A claim's risk band as a tag.
import { Tag } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { RISK_COLOURS, type RiskBand } from './model.ts';

export function RiskTag({ band }: { band: RiskBand | null | undefined }) {
  const text = useAreaText(dictionary);
  if (!band) return <Tag style={{ marginInlineEnd: 0 }}>{text('claimsReview.band.none')}</Tag>;
  return (
    <Tag color={RISK_COLOURS[band]} style={{ marginInlineEnd: 0 }}>
      {text(`claimsReview.band.${band}`)}
    </Tag>
  );
}
