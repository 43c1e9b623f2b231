// The Payment Declaration History panel (CQRS job aid: "the newly declared
// achievement moves to the Payment Declaration History panel at the bottom of
// the screen"): for one provider and service, every step of its declarations
// from the audit trail (public.declaration_history: when, achievement date,
// what, by whom, status change, reason), newest first. With several services
// a select chooses which.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDateTime } from '../../lib/dates.ts';
import dictionary from './i18n.ts';
import { historyAction, type HistoryEntry } from './model.ts';
import { useDeclarationStatusText } from './status.tsx';

export const HISTORY_QUERY_KEY = 'declaration_history';

export function useDeclarationHistory(providerId: string | undefined, serviceId: string | undefined) {
  return useQuery({
    queryKey: [HISTORY_QUERY_KEY, providerId, serviceId],
    queryFn: async () => {
      const rows = (await callRpc<HistoryEntry[] | null>('declaration_history', { p_provider_id: providerId, p_service_id: serviceId })) ?? [];
      return [...rows].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at));
    },
    enabled: Boolean(providerId && serviceId),
  });
}

export function SectionTitle({ children, level = 2 }: { children: string; level?: 2 | 3 }) {
  return (
    <Typography.Title level={level} style={{ fontSize: level === 2 ? 16 : 14, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

export function PaymentDeclarationHistory({
  providerId,
  services,
  initialServiceId,
  achievementDate,
}: {
  providerId: string;
  /** The services with declarations, as select options; the first is shown unless initialServiceId says otherwise. */
  services: ReadonlyArray<{ value: string; label: string }>;
  initialServiceId?: string;
  /** Only this achievement date's entries (a declaration's own page). */
  achievementDate?: string;
}) {
  const text = useAreaText(dictionary);
  const statusText = useDeclarationStatusText();
  const [chosen, setChosen] = useState<string | undefined>(initialServiceId);
  const serviceId = chosen && services.some((s) => s.value === chosen) ? chosen : services[0]?.value;
  const serviceName = services.find((s) => s.value === serviceId)?.label ?? '';
  const history = useDeclarationHistory(providerId, serviceId);
  const rows = (history.data ?? []).filter((row) => !achievementDate || !row.achievement_date || row.achievement_date === achievementDate);
  const problem = history.error ? describeRpcError(history.error) : null;

  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<SectionTitle>{text('declare.history.title')}</SectionTitle>}>
      {services.length > 1 && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text id="history-service-label">{text('declare.history.service')}</Typography.Text>
          <Select aria-labelledby="history-service-label" value={serviceId} onChange={setChosen} options={[...services]} style={{ width: 360, maxWidth: '100%' }} />
        </Space>
      )}
      {problem ? (
        <Alert
          type="error"
          showIcon
          message={text('declare.history.loadError')}
          description={problem.description}
          action={<Button onClick={() => void history.refetch()}>{text('declare.retry')}</Button>}
        />
      ) : (
        <Table<HistoryEntry>
          dataSource={rows}
          rowKey={(row) => `${row.occurred_at}-${row.action}-${row.achievement_date ?? ''}-${row.to_status ?? ''}`}
          size="small"
          loading={history.isLoading}
          aria-label={text('declare.history.label', { service: serviceName })}
          scroll={{ x: achievementDate ? 980 : 1100 }}
          pagination={rows.length > 10 ? { pageSize: 10 } : false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('declare.history.empty')} /> }}
        >
          <Table.Column<HistoryEntry> title={text('declare.history.when')} key="when" width={140} render={(_, row) => formatUkDateTime(row.occurred_at)} />
          {/* One declaration's page shows its own date's entries: the date column would repeat it. */}
          {!achievementDate && <Table.Column<HistoryEntry> title={text('declare.history.date')} key="date" width={120} render={(_, row) => formatDateOnly(row.achievement_date)} />}
          <Table.Column<HistoryEntry> title={text('declare.history.action')} key="action" width={190} render={(_, row) => historyAction(row.action)} />
          <Table.Column<HistoryEntry> title={text('declare.history.by')} key="by" width={150} render={(_, row) => row.actor || '–'} />
          <Table.Column<HistoryEntry>
            title={text('declare.history.status')}
            key="status"
            width={240}
            render={(_, row) =>
              row.to_status ? (row.from_status ? text('declare.history.statusChange', { from: statusText(row.from_status), to: statusText(row.to_status) }) : statusText(row.to_status)) : '–'
            }
          />
          <Table.Column<HistoryEntry> title={text('declare.history.reason')} key="reason" width={260} render={(_, row) => row.reason || '–'} />
        </Table>
      )}
    </Card>
  );
}
