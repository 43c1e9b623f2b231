// A claim's status as a coloured tag in the words of the job aid.
import { Tag } from 'antd';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { CLAIM_STATUS_COLOURS, type ClaimStatus } from './model.ts';

export function ClaimStatusTag({ status }: { status: ClaimStatus }) {
  const text = useAreaText(dictionary);
  return (
    <Tag color={CLAIM_STATUS_COLOURS[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {text(`claims.status.${status}`)}
    </Tag>
  );
}

/** A status (or a status name from the audit trail) in words. */
export function useStatusText() {
  const text = useAreaText(dictionary);
  return (status: string | null | undefined): string =>
    status && (CLAIM_STATUS_COLOURS as Record<string, string>)[status] !== undefined
      ? text(`claims.status.${status as ClaimStatus}`)
      : (status ?? '–').replace(/_/g, ' ');
}
