// Home of an organisation context: the message centre. The signed-in
// person's notifications (RLS: own rows only), newest first; tasks
// (registrations and access requests waiting) apart from other notifications;
// unread ones bold. Marking as read sets read_at, which RLS allows on own rows.
import { CheckOutlined } from '@ant-design/icons';
import { List } from '../../components/page.tsx';
import { useDataProvider, useList, useNotification, useTranslate, useUpdate, useUpdateMany, type CrudFilter } from '@refinedev/core';
import { Alert, Badge, Button, Empty, Grid, Space, Table, Tabs, Tag, Tooltip, Typography, type GetRef, type TableColumnsType } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { linkInContext, pageInContext } from '../../components/context-path.ts';
import { useUnreadCount } from '../../components/header.tsx';
import { formatUkDateTime } from '../../lib/dates.ts';
import { useAccess, useCurrentContext } from '../../providers/access-context.tsx';
import { INFORMATION_KINDS, isDoneTask, isTask, TASK_KINDS, type MessageTab, type NotificationRow } from './kinds.ts';

const PAGE_SIZE = 10;
/** Mark all as read works through the unread ones in batches of this size. */
const MARK_ALL_BATCH = 500;
const UNREAD: CrudFilter = { field: 'read_at', operator: 'null', value: true };
/** A task whose subject was decided (done_at, set by the database) waits for nobody. */
const NOT_DONE: CrudFilter = { field: 'done_at', operator: 'null', value: true };

function tabFilters(tab: MessageTab): CrudFilter[] {
  if (tab === 'tasks') return [{ field: 'kind', operator: 'in', value: [...TASK_KINDS] }];
  if (tab === 'notifications') return [{ field: 'kind', operator: 'in', value: [...INFORMATION_KINDS] }];
  return [];
}

export function MessageCentre() {
  const translate = useTranslate();
  // On a phone the three columns left the message a word per line: one column, each message a stacked card.
  const stacked = Grid.useBreakpoint().md === false;
  const context = useCurrentContext();
  const { access } = useAccess();
  const { open } = useNotification();
  const dataProvider = useDataProvider();
  const [tab, setTab] = useState<MessageTab>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [markingAll, setMarkingAll] = useState(false);

  const { result, query } = useList<NotificationRow>({
    resource: 'notifications',
    filters: tabFilters(tab),
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { currentPage: page, pageSize },
    errorNotification: false,
  });
  const unread = useUnreadCount(access?.unread_notifications);
  const { result: unreadTasks } = useList<NotificationRow>({
    resource: 'notifications',
    filters: [UNREAD, NOT_DONE, ...tabFilters('tasks')],
    pagination: { currentPage: 1, pageSize: 1 },
    meta: { select: 'id' },
    errorNotification: false,
  });
  const unreadTaskCount = unreadTasks.total ?? 0;

  const { mutate: update } = useUpdate<NotificationRow>();
  const [markingId, setMarkingId] = useState<string | undefined>();
  const { mutateAsync: updateMany } = useUpdateMany<NotificationRow>();

  // A read message loses its "Mark as read" button, and the keyboard focus with it: the
  // next message's button (the one now in its place) takes it, else the first link left.
  const table = useRef<GetRef<typeof Table>>(null);
  const [refocus, setRefocus] = useState<{ id: string; index: number } | null>(null);
  const markButtons = () => [
    ...(table.current?.nativeElement.querySelectorAll<HTMLElement>('button[data-mark-read]') ?? []),
  ];
  useEffect(() => {
    if (!refocus) return;
    if (result.data.some((row) => row.id === refocus.id && row.read_at === null)) return; // not refetched yet
    setRefocus(null);
    // Unless the person has moved on meanwhile.
    if (document.activeElement && document.activeElement !== document.body) return;
    const buttons = markButtons();
    const next =
      buttons[Math.min(refocus.index, buttons.length - 1)] ??
      table.current?.nativeElement.querySelector<HTMLElement>('tbody a[href]');
    next?.focus();
  }, [refocus, result.data]);

  function markAsRead(row: NotificationRow, button?: HTMLElement) {
    setMarkingId(row.id);
    const index = button ? markButtons().indexOf(button) : -1;
    update(
      {
        resource: 'notifications',
        id: row.id,
        values: { read_at: new Date().toISOString() },
        successNotification: false,
        errorNotification: (error) => ({
          type: 'error',
          message: translate('home.markError', 'The message could not be marked as read'),
          description: error?.message,
        }),
      },
      {
        onSuccess: () => {
          if (index >= 0) setRefocus({ id: row.id, index });
        },
        onSettled: () => setMarkingId(undefined),
      },
    );
  }

  async function markAllAsRead() {
    setMarkingAll(true);
    let marked = 0;
    try {
      // Every unread one, not only this page; a batch at a time.
      for (;;) {
        const { data } = await dataProvider().getList<NotificationRow>({
          resource: 'notifications',
          filters: [UNREAD],
          pagination: { currentPage: 1, pageSize: MARK_ALL_BATCH },
          meta: { select: 'id' },
        });
        if (data.length === 0) break;
        await updateMany({
          resource: 'notifications',
          ids: data.map((row) => row.id),
          values: { read_at: new Date().toISOString() },
          successNotification: false,
          errorNotification: false,
        });
        marked += data.length;
        if (data.length < MARK_ALL_BATCH) break;
      }
      open?.({
        type: 'success',
        message:
          marked > 0
            ? translate('home.markedAllAsRead', { count: marked }, `Marked ${marked} messages as read`)
            : translate('home.nothingUnread', 'Everything is read'),
      });
    } catch (error) {
      open?.({
        type: 'error',
        message: translate('home.markError', 'The message could not be marked as read'),
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setMarkingAll(false);
    }
  }

  const emptyText = query.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={translate('home.loadError', 'Your messages could not be loaded')} />
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={translate(`home.empty.${tab}`, 'No messages yet')} />
  );

  const tabLabel = (key: MessageTab, fallback: string, count: number) => (
    <Space size={6}>
      {translate(`home.tabs.${key}`, fallback)}
      {count > 0 && <Badge count={count} color="#005EB8" title={`${count} ${translate('home.unread', 'Unread').toLowerCase()}`} />}
    </Space>
  );

  const organisation = context?.label ?? '';
  const name = access?.full_name?.trim() || access?.email || '';

  const received = (value: string) => (
    <Tooltip title="UK time">
      <time dateTime={value}>{formatUkDateTime(value)}</time>
    </Tooltip>
  );
  const markButton = (row: NotificationRow) =>
    row.read_at === null && !isDoneTask(row) ? (
      <Button
        size="small"
        data-mark-read
        onClick={(event) => markAsRead(row, event.currentTarget)}
        loading={markingId === row.id}
        aria-label={`${translate('home.markAsRead', 'Mark as read')}: ${row.subject}`}
      >
        {translate('home.markAsRead', 'Mark as read')}
      </Button>
    ) : null;

  return (
    <List
      title={translate('home.title', 'Message centre')}
      headerButtons={
        <Button
          icon={<CheckOutlined />}
          onClick={() => void markAllAsRead()}
          loading={markingAll}
          disabled={(unread ?? 0) === 0}
        >
          {translate('home.markAllAsRead', 'Mark all as read')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {context?.membership === null
          ? translate('home.welcomeSupport', { name }, `Signed in as ${name}, working as the Support Desk.`)
          : translate('home.welcome', { name, organisation }, `Signed in as ${name}, working for ${organisation}.`)}
      </Typography.Paragraph>

      <Tabs
        activeKey={tab}
        onChange={(key) => {
          setTab(key as MessageTab);
          setPage(1);
        }}
        items={[
          { key: 'all', label: tabLabel('all', 'All', unread ?? 0) },
          { key: 'tasks', label: tabLabel('tasks', 'Tasks', unreadTaskCount) },
          {
            key: 'notifications',
            label: tabLabel('notifications', 'Notifications', Math.max(0, (unread ?? 0) - unreadTaskCount)),
          },
        ]}
      />

      {query.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={translate('home.loadError', 'Your messages could not be loaded')}
          description={query.error?.message}
        />
      )}

      <Table<NotificationRow>
        ref={table}
        className={stacked ? 'stacked-table' : undefined}
        rowKey="id"
        size="middle"
        dataSource={result.data}
        loading={query.isLoading ? { spinning: true, tip: translate('home.loading', 'Loading your messages…') } : false}
        locale={{ emptyText }}
        pagination={{
          current: page,
          pageSize,
          total: result.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50],
          showTotal: (total, [from, to]) =>
            translate('home.total', { from, to, total }, `${from}–${to} of ${total} messages`),
          onChange: (nextPage, nextSize) => {
            setPage(nextSize !== pageSize ? 1 : nextPage);
            setPageSize(nextSize);
          },
        }}
        columns={(
          [
          {
            key: 'message',
            title: translate('home.columns.message', 'Message'),
            render: (_, row) => {
              // A done task (its subject decided) is shown muted, as done, and no longer unread.
              const done = isDoneTask(row);
              const unreadRow = row.read_at === null && !done;
              const subject = unreadRow ? (
                <strong>{row.subject}</strong>
              ) : done ? (
                <Typography.Text type="secondary" data-done>
                  {row.subject}
                </Typography.Text>
              ) : (
                row.subject
              );
              return (
                <Space direction="vertical" size={2} style={{ width: '100%' }}>
                  <Space size={6} wrap>
                    {context && row.link ? (
                      <Link
                        to={linkInContext(context.key, pageInContext(context, row.link))}
                        onClick={() => {
                          if (unreadRow) markAsRead(row);
                        }}
                      >
                        {subject}
                      </Link>
                    ) : (
                      <Typography.Text>{subject}</Typography.Text>
                    )}
                    {isTask(row.kind) && <Tag color="orange">{translate('home.task', 'Task')}</Tag>}
                    {done && <Tag color="green">{translate('home.done', 'Done')}</Tag>}
                    {unreadRow && <Tag color="blue">{translate('home.unread', 'Unread')}</Tag>}
                  </Space>
                  <Typography.Text type="secondary" style={{ whiteSpace: 'pre-line' }}>
                    {row.body}
                  </Typography.Text>
                  {stacked && (
                    <Space size={12} wrap>
                      {received(row.created_at)}
                      {markButton(row)}
                    </Space>
                  )}
                </Space>
              );
            },
          },
          {
            key: 'received',
            title: translate('home.columns.received', 'Received'),
            dataIndex: 'created_at',
            width: 170,
            render: (value: string) => received(value),
          },
          {
            key: 'actions',
            title: translate('home.columns.actions', 'Actions'),
            width: 150,
            render: (_, row) => markButton(row),
          },
          ] satisfies TableColumnsType<NotificationRow>
        ).filter((column) => !stacked || column.key === 'message')}
      />
    </List>
  );
}
