// The answer of a bulk declaration action, item by item: which went through
// (and the status each is in now) and, for the others, the database's reason
// ("IIF submitted 1 of 2", "a recalculation is pending", "already approved by
// …"). Each item is named by its practice, service and date from the rows the
// page had, so the list reads on its own.
import { Alert, List as AntList, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { providerLabel, serviceLabel, type DeclarationResult, type DeclarationRow } from './model.ts';
import { useDeclarationStatusText } from './status.tsx';

export interface ResultTexts {
  summary: (ok: number, failed: number) => string;
  label: string;
  ok: string;
  refused: string;
}

export function DeclarationResults({
  results,
  rows,
  texts,
  showProvider = false,
  onClose,
}: {
  results: DeclarationResult[];
  /** The rows as they were when the action was asked for (names and dates). */
  rows: readonly DeclarationRow[];
  texts: ResultTexts;
  showProvider?: boolean;
  onClose: () => void;
}) {
  const statusText = useDeclarationStatusText();
  const okCount = results.filter((r) => r.ok).length;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const name = (result: DeclarationResult): ReactNode => {
    const row = byId.get(result.declaration_id);
    if (!row) return null;
    const parts = [showProvider ? providerLabel(row) : null, serviceLabel(row), formatDateOnly(row.achievement_date)].filter(Boolean);
    return <Typography.Text strong>{parts.join(' · ')}</Typography.Text>;
  };
  return (
    <Alert
      type={okCount === results.length ? 'success' : okCount === 0 ? 'error' : 'warning'}
      showIcon
      closable
      onClose={onClose}
      role="status"
      style={{ marginBottom: 16 }}
      message={texts.summary(okCount, results.length - okCount)}
      description={
        <AntList
          size="small"
          aria-label={texts.label}
          dataSource={results}
          renderItem={(result) => (
            <AntList.Item key={result.declaration_id} data-testid={`result-${result.declaration_id}`}>
              <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
                <Space wrap size={[8, 2]}>
                  <Tag color={result.ok ? 'green' : 'red'}>{result.ok ? texts.ok : texts.refused}</Tag>
                  {name(result)}
                  {result.ok && result.status ? <Typography.Text type="secondary">{statusText(result.status)}</Typography.Text> : null}
                </Space>
                <Typography.Text style={{ overflowWrap: 'anywhere' }}>{result.message}</Typography.Text>
              </Space>
            </AntList.Item>
          )}
        />
      }
    />
  );
}
