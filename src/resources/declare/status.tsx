// A declaration's status as a coloured tag in the job aids' words.
import { Tag } from 'antd';
import { useCallback } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { DECLARATION_STATUS_COLOURS, isDeclarationStatus, type DeclarationStatus } from './model.ts';

export function DeclarationStatusTag({ status }: { status: DeclarationStatus }) {
  const text = useAreaText(dictionary);
  return (
    <Tag color={DECLARATION_STATUS_COLOURS[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {text(`declare.status.${status}`)}
    </Tag>
  );
}

/** A status (or a status name from the audit trail) in words. */
export function useDeclarationStatusText() {
  const text = useAreaText(dictionary);
  return useCallback(
    (status: string | null | undefined): string => (isDeclarationStatus(status) ? text(`declare.status.${status}`) : (status ?? '–').replace(/_/g, ' ')),
    [text],
  );
}
