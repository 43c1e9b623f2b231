// Achievements awaiting network achievement (/:org/awaiting-network,
// commissioner): every declaration stuck in awaiting_network_achievement that
// the person reaches (public.achievements_awaiting_network, RLS as
// declarations), with the cause the database found and its fix —
// "No PCN relationship on 30/09/2025" → Open the practice's PCN relationships
// (the practice's page, where Organisation and User Administrators add the
// missing relationship); "PCN achievement not submitted" → Remind nominated
// people (public.remind_network_declarers: tasks and emails to the PCN's
// Declaration Management; the answer says how many were reminded).
import { useList, type HttpError } from '@refinedev/core';
import { Alert, Button, Empty, Grid, List as AntList, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { List } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDate } from '../../lib/dates.ts';
import { canAccess } from '../../providers/access.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import type { Tables } from '../../types/database.ts';
import { optionsOf } from '../declare/model.ts';
import dictionary from './i18n.ts';

export const AWAITING_NETWORK = 'achievements_awaiting_network';

export type StuckCause = 'no_pcn_relationship' | 'network_achievement_not_submitted' | 'recalculation_pending';
export const STUCK_CAUSES: readonly StuckCause[] = ['no_pcn_relationship', 'network_achievement_not_submitted', 'recalculation_pending'];
const isCause = (value: string): value is StuckCause => (STUCK_CAUSES as readonly string[]).includes(value);

/** One row of public.achievements_awaiting_network. */
export interface StuckRow {
  declaration_id: string;
  achievement_id?: string | null;
  provider_id: string;
  provider_ods_code: string | null;
  provider_name: string | null;
  service_id: string;
  service_name: string | null;
  achievement_date: string;
  cause: StuckCause | string;
  pcn_id: string | null;
  pcn_ods_code?: string | null;
  pcn_name: string | null;
  network_achievement_id?: string | null;
  network_status?: 'not_submitted' | 'submitted' | null;
  /** Declaration Management at the PCN (null without a PCN). */
  nominated_people?: number | null;
  waiting_since?: string | null;
  /** The database's fix, in words. */
  fix: string | null;
}

// Every column read here is one of the view's (a renamed column fails the type check).
const stuckColumns: keyof StuckRow extends keyof Tables<'achievements_awaiting_network'> ? true : never = true;
void stuckColumns;

const TABLE_SCROLL = { x: 970 } as const;
type Answer = { type: 'success' | 'warning' | 'error'; message: string; description?: string };

const practiceOf = (row: StuckRow) => (row.provider_name ? `${row.provider_name} (${row.provider_ods_code ?? ''})` : row.provider_id);
const pcnOf = (row: StuckRow) => (row.pcn_name ? (row.pcn_ods_code ? `${row.pcn_name} (${row.pcn_ods_code})` : row.pcn_name) : null);
/** The PCN network achievement a reminder is about. */
const reminderKey = (row: Pick<StuckRow, 'pcn_id' | 'service_id' | 'achievement_date'>) => `${row.pcn_id}|${row.service_id}|${row.achievement_date}`;

export function AwaitingNetworkList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const mayRemind = canAccess(context, 'awaiting-network', 'remind').can;
  // add_pcn_membership: Organisation and User Administrators. Others are told who adds the relationship.
  const mayAddRelationship = canAccess(context, 'organisations', 'edit').can;
  // On a phone the four columns needed sideways scrolling to reach the fix: one stacked card per achievement instead.
  const stacked = Grid.useBreakpoint().md === false;
  const confirm = useConfirmAction();
  const [service, setService] = useState('');
  const [cause, setCause] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reminded, setReminded] = useState<string[]>([]);

  const list = useList<StuckRow, HttpError>({
    resource: AWAITING_NETWORK,
    pagination: { mode: 'off' },
    sorters: [
      { field: 'achievement_date', order: 'desc' },
      { field: 'provider_name', order: 'asc' },
    ],
    errorNotification: false,
  });
  const rows = useMemo(() => (list.query.isSuccess ? list.result.data : []), [list.query.isSuccess, list.result.data]);
  const shown = rows.filter((row) => (!service || row.service_id === service) && (!cause || row.cause === cause));
  const filtered = Boolean(service || cause);

  const causeText = (row: StuckRow) =>
    row.cause === 'no_pcn_relationship'
      ? text('awaitingNetwork.cause.no_pcn_relationshipOn', { date: formatDateOnly(row.achievement_date) })
      : row.cause === 'network_achievement_not_submitted'
        ? text('awaitingNetwork.cause.network_achievement_not_submittedBy', { pcn: pcnOf(row) ?? '–' })
        : row.cause === 'recalculation_pending'
          ? text('awaitingNetwork.cause.recalculation_pendingText', { pcn: pcnOf(row) ?? '–' })
          : row.cause.replace(/_/g, ' ');

  async function remind(row: StuckRow) {
    if (!row.pcn_id) return;
    const pcn = pcnOf(row) ?? '';
    const facts = {
      pcn,
      service: row.service_name ?? '',
      date: formatDateOnly(row.achievement_date),
      n: rows.filter((other) => other.cause === row.cause && reminderKey(other) === reminderKey(row)).length,
    };
    const ok = await confirm({
      title: text('awaitingNetwork.remind.title', facts),
      content: text('awaitingNetwork.remind.body', facts),
      okText: text('awaitingNetwork.remind.ok'),
      cancelText: text('awaitingNetwork.remind.cancel'),
    });
    if (!ok) return;
    setBusy(reminderKey(row));
    setAnswer(null);
    try {
      const n = Number((await callRpc<number | null>('remind_network_declarers', { p_pcn_id: row.pcn_id, p_service_id: row.service_id, p_achievement_date: row.achievement_date })) ?? 0);
      setAnswer(
        n > 0
          ? { type: 'success', message: n === 1 ? text('awaitingNetwork.remind.doneOne', { pcn }) : text('awaitingNetwork.remind.done', { n, pcn }) }
          : { type: 'warning', message: text('awaitingNetwork.remind.nobody', { pcn }), description: text('awaitingNetwork.remind.nobodyExplain') },
      );
      if (n > 0) setReminded((previous) => [...previous, reminderKey(row)]);
    } catch (error) {
      const problem = describeRpcError(error);
      setAnswer({ type: 'error', message: text('awaitingNetwork.remind.failed'), description: problem.description || problem.message });
    } finally {
      setBusy(null);
    }
  }

  const fixOf = (row: StuckRow) => {
    if (row.cause === 'no_pcn_relationship') {
      return (
        <Space direction="vertical" size={0}>
          <Link to={path(`/organisations/${row.provider_id}`)} aria-label={text('awaitingNetwork.fix.openRelationshipsLabel', { practice: practiceOf(row) })}>
            {text('awaitingNetwork.fix.openRelationships')}
          </Link>
          {!mayAddRelationship && <Typography.Text type="secondary">{text('awaitingNetwork.fix.whoAdds')}</Typography.Text>}
        </Space>
      );
    }
    if (row.cause === 'network_achievement_not_submitted' && row.pcn_id && row.nominated_people === 0) {
      return <Typography.Text type="warning">{text('awaitingNetwork.fix.nobody', { pcn: pcnOf(row) ?? '' })}</Typography.Text>;
    }
    if (row.cause === 'network_achievement_not_submitted' && row.pcn_id && mayRemind) {
      const key = reminderKey(row);
      return reminded.includes(key) ? (
        <Tag color="green">{text('awaitingNetwork.fix.reminded')}</Tag>
      ) : (
        <Button
          size="small"
          loading={busy === key}
          disabled={busy !== null}
          aria-label={text('awaitingNetwork.fix.remindLabel', { pcn: pcnOf(row) ?? '', date: formatDateOnly(row.achievement_date) })}
          onClick={() => void remind(row)}
        >
          {text('awaitingNetwork.fix.remind')}
        </Button>
      );
    }
    return null;
  };

  const causeTag = (row: StuckRow) => (
    <Tag color={row.cause === 'no_pcn_relationship' ? 'red' : row.cause === 'recalculation_pending' ? 'blue' : 'gold'} style={{ marginInlineEnd: 0 }}>
      {isCause(row.cause) ? text(`awaitingNetwork.cause.${row.cause}`) : row.cause}
    </Tag>
  );

  const label = (id: string, words: string) => (
    <Typography.Text id={id} style={{ whiteSpace: 'nowrap' }}>
      {words}
    </Typography.Text>
  );
  const any = text('awaitingNetwork.filters.any');

  return (
    <List title={text('awaitingNetwork.titles.page')}>
      <Typography.Paragraph style={{ maxWidth: 880 }}>{text('awaitingNetwork.intro')}</Typography.Paragraph>
      <Typography.Paragraph>
        <Link to={path('/reports/network-relationships')}>
          <Button>{text('awaitingNetwork.reportLink')}</Button>
        </Link>
      </Typography.Paragraph>
      {list.query.error ? (
        <Alert
          type="error"
          showIcon
          message={text('awaitingNetwork.loadError')}
          description={list.query.error.message}
          action={<Button onClick={() => void list.query.refetch()}>{text('awaitingNetwork.retry')}</Button>}
        />
      ) : (
        <>
          <Space wrap size="large" style={{ marginBottom: 16 }}>
            <Space>
              {label('an-service-label', text('awaitingNetwork.filters.service'))}
              <Select
                aria-labelledby="an-service-label"
                value={service}
                onChange={setService}
                style={{ width: 280, maxWidth: '100%' }}
                options={[{ value: '', label: any }, ...optionsOf(rows, (r) => r.service_id, (r) => r.service_name ?? r.service_id)]}
              />
            </Space>
            <Space>
              {label('an-cause-label', text('awaitingNetwork.filters.cause'))}
              <Select
                aria-labelledby="an-cause-label"
                value={cause}
                onChange={setCause}
                style={{ width: 260, maxWidth: '100%' }}
                options={[{ value: '', label: any }, ...STUCK_CAUSES.map((value) => ({ value, label: text(`awaitingNetwork.cause.${value}`) }))]}
              />
            </Space>
          </Space>
          {answer && (
            <Alert type={answer.type} showIcon closable onClose={() => setAnswer(null)} role="status" style={{ marginBottom: 16 }} message={answer.message} description={answer.description} />
          )}
          {stacked ? (
            <AntList
              dataSource={shown}
              loading={list.query.isLoading}
              aria-label={text('awaitingNetwork.tableLabel', { n: shown.length })}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? text('awaitingNetwork.emptyFiltered') : text('awaitingNetwork.empty')} /> }}
              renderItem={(row) => (
                <AntList.Item key={row.declaration_id} style={{ display: 'block', background: '#fff', padding: 12, marginBottom: 8, borderRadius: 8 }}>
                  <Space direction="vertical" size={6} style={{ width: '100%' }}>
                    <Typography.Text strong>{practiceOf(row)}</Typography.Text>
                    <Typography.Text type="secondary">
                      {row.service_name ?? '–'} · {formatDateOnly(row.achievement_date)}
                      {row.waiting_since ? ` · ${text('awaitingNetwork.waitingSince', { date: formatUkDate(row.waiting_since) })}` : ''}
                    </Typography.Text>
                    <Space wrap size={[8, 2]}>
                      {causeTag(row)}
                      <Typography.Text>{causeText(row)}</Typography.Text>
                    </Space>
                    {row.fix && <Typography.Text style={{ overflowWrap: 'anywhere' }}>{row.fix}</Typography.Text>}
                    {fixOf(row)}
                  </Space>
                </AntList.Item>
              )}
            />
          ) : (
            <Table<StuckRow>
              dataSource={shown}
              rowKey="declaration_id"
              size="small"
              loading={list.query.isLoading}
              aria-label={text('awaitingNetwork.tableLabel', { n: shown.length })}
              scroll={TABLE_SCROLL}
              pagination={shown.length > 25 ? { pageSize: 25 } : false}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? text('awaitingNetwork.emptyFiltered') : text('awaitingNetwork.empty')} />,
              }}
            >
              <Table.Column<StuckRow>
                title={text('awaitingNetwork.fields.practice')}
                key="practice"
                fixed="left"
                width={210}
                render={(_, row) => (
                  <Space direction="vertical" size={0}>
                    <Typography.Text strong>{practiceOf(row)}</Typography.Text>
                    <Typography.Text type="secondary">{row.service_name ?? '–'}</Typography.Text>
                  </Space>
                )}
              />
              <Table.Column<StuckRow>
                title={text('awaitingNetwork.fields.date')}
                key="date"
                width={130}
                render={(_, row) => (
                  <Space direction="vertical" size={0}>
                    <span>{formatDateOnly(row.achievement_date)}</span>
                    {row.waiting_since && <Typography.Text type="secondary">{text('awaitingNetwork.waitingSince', { date: formatUkDate(row.waiting_since) })}</Typography.Text>}
                  </Space>
                )}
              />
              <Table.Column<StuckRow>
                title={text('awaitingNetwork.fields.cause')}
                key="cause"
                width={230}
                render={(_, row) => (
                  <Space direction="vertical" size={2}>
                    {causeTag(row)}
                    <Typography.Text data-testid={`cause-${row.declaration_id}`}>{causeText(row)}</Typography.Text>
                  </Space>
                )}
              />
              <Table.Column<StuckRow>
                title={text('awaitingNetwork.fields.fix')}
                key="fix"
                width={400}
                render={(_, row) => (
                  <Space direction="vertical" size={6} data-testid={`fix-${row.declaration_id}`}>
                    {row.fix && <Typography.Text style={{ overflowWrap: 'anywhere' }}>{row.fix}</Typography.Text>}
                    {fixOf(row)}
                  </Space>
                )}
              />
            </Table>
          )}
        </>
      )}
    </List>
  );
}
