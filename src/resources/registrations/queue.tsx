// The two decision queues (registrations, access requests) are one component,
// DecisionQueue, with its cells and organisation filter.
import { getDefaultSortOrder, ShowButton, useTable } from '@refinedev/antd';
import { List } from '../../components/page.tsx';
import { KEY_COLUMN, TABLE_SCROLL } from '../../components/table-layout.ts';
import { useList, type BaseRecord, type CrudFilter, type HttpError } from '@refinedev/core';
import { Alert, Empty, Select, Space, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { RoleTags } from '../../components/role-tags.tsx';
import { formatUkDateTime } from '../../lib/dates.ts';
import type { AppRole } from '../../providers/access.ts';
import { organisationLabel } from './register.tsx';
import { useText, type TextKey } from './text.ts';

export const NO_ORGANISATION = '__none__';

export function PersonCell({ name, email }: { name: string | null; email: string | null }) {
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text strong>{name ?? email ?? '–'}</Typography.Text>
      {name && email && <Typography.Text type="secondary">{email}</Typography.Text>}
    </Space>
  );
}

export function OrganisationCell({ name, odsCode }: { name: string | null; odsCode: string | null }) {
  const text = useText();
  if (!name) return <Typography.Text type="secondary">{text('registrations.list.noRequest')}</Typography.Text>;
  return (
    <Space direction="vertical" size={0}>
      <Typography.Text>{name}</Typography.Text>
      {odsCode && <Typography.Text type="secondary">{odsCode}</Typography.Text>}
    </Space>
  );
}

/** DD/MM/YYYY HH:mm in London time, with the machine-readable instant. */
export function DateTimeCell({ value }: { value: string | null | undefined }) {
  if (!value) return <>–</>;
  return (
    <Tooltip title="UK time">
      <time dateTime={value}>{formatUkDateTime(value)}</time>
    </Tooltip>
  );
}

interface OrganisationOption {
  organisation_id: string | null;
  ods_code: string | null;
  organisation_name: string | null;
}

/** The filter for `organisation_id` a choice of the organisation filter stands for. */
export function organisationFilter(value: string | undefined): CrudFilter[] {
  if (!value) return [];
  if (value === NO_ORGANISATION) return [{ field: 'organisation_id', operator: 'null', value: true }];
  return [{ field: 'organisation_id', operator: 'eq', value }];
}

/**
 * A select of the organisations present in the queue (the queues are short:
 * they hold only what waits for the caller), so every choice finds something.
 */
export function QueueOrganisationFilter({
  view,
  value,
  onChange,
}: {
  view: string;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const text = useText();
  const { result, query } = useList<OrganisationOption>({
    resource: view,
    pagination: { mode: 'off' },
    sorters: [{ field: 'organisation_name', order: 'asc' }],
    meta: { select: 'organisation_id, ods_code, organisation_name' },
  });
  const options = useMemo(() => {
    const seen = new Map<string, { value: string; label: string }>();
    for (const row of result?.data ?? []) {
      const key = row.organisation_id ?? NO_ORGANISATION;
      if (seen.has(key)) continue;
      seen.set(key, {
        value: key,
        label: row.organisation_id
          ? organisationLabel({ name: row.organisation_name, ods_code: row.ods_code })
          : text('registrations.list.noOrganisation'),
      });
    }
    return [...seen.values()];
  }, [result?.data, text]);

  const id = `${view}-organisation-filter`;
  return (
    <Space wrap>
      <label htmlFor={id}>{text('registrations.list.filterOrganisation')}</label>
      <Select<string>
        id={id}
        placeholder={text('registrations.list.allOrganisations')}
        style={{ width: 360, maxWidth: '100%' }}
        allowClear
        showSearch
        optionFilterProp="label"
        loading={query.isLoading}
        value={value}
        onChange={(next) => onChange(next ?? undefined)}
        options={options}
      />
    </Space>
  );
}

/** What both queues show of a row. */
interface QueueRow extends BaseRecord {
  full_name: string | null;
  email: string | null;
  organisation_name: string | null;
  ods_code: string | null;
  roles: AppRole[] | null;
}

type QueueArea = 'registrations' | 'access-requests';

/**
 * A decision queue over one of the views that hold only what waits for the
 * caller: newest first, an organisation filter, loading, empty and error
 * states, and a Review button per row. Texts are `<area>.list.*`.
 */
export function DecisionQueue<Row extends QueueRow>({
  area,
  view,
  rowKey,
  dateField,
  dateTitle,
  personExtra,
}: {
  area: QueueArea;
  view: string;
  rowKey: keyof Row & string;
  dateField: keyof Row & string;
  dateTitle: TextKey;
  /** Shown under the person's name and email (e.g. warning tags). */
  personExtra?: (row: Row) => ReactNode;
}) {
  const text = useText();
  const key = (name: string) => `${area}.${name}` as TextKey;
  const [organisation, setOrganisation] = useState<string | undefined>();
  const { tableProps, sorters, setFilters, tableQuery } = useTable<Row, HttpError>({
    resource: view,
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: dateField, order: 'desc' }] },
  });

  function chooseOrganisation(value: string | undefined) {
    setOrganisation(value);
    setFilters(organisationFilter(value), 'replace');
  }

  const emptyText = tableQuery.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text(key('list.loadFailed'))} />
  ) : (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text(key(organisation ? 'list.emptyFiltered' : 'list.empty'))} />
  );

  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        hideOnSinglePage: true,
        showTotal: (total: number, [from, to]: [number, number]) => text(key('list.total'), { from, to, total }),
      }
    : false;

  return (
    <List title={text(key('titles.list'))}>
      <Typography.Paragraph type="secondary">{text(key('list.intro'))}</Typography.Paragraph>
      <div style={{ marginBottom: 16 }}>
        <QueueOrganisationFilter view={view} value={organisation} onChange={chooseOrganisation} />
      </div>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={text(key('list.loadFailed'))}
          description={tableQuery.error?.message}
        />
      )}

      <Table<Row>
        {...tableProps}
        rowKey={rowKey}
        size="middle"
        loading={tableProps.loading ? { spinning: true, tip: text(key('list.loading')) } : false}
        pagination={pagination}
        locale={{ emptyText }}
        scroll={TABLE_SCROLL}
      >
        <Table.Column<Row>
          key="person"
          title={text(key('list.person'))}
          {...KEY_COLUMN}
          width={200}
          render={(_, row) => (
            <Space direction="vertical" size={4}>
              <PersonCell name={row.full_name} email={row.email} />
              {personExtra?.(row)}
            </Space>
          )}
        />
        <Table.Column<Row>
          key="organisation"
          title={text(key('list.organisation'))}
          render={(_, row) => <OrganisationCell name={row.organisation_name} odsCode={row.ods_code} />}
        />
        <Table.Column<Row>
          key="roles"
          title={text(key('list.roles'))}
          render={(_, row) => <RoleTags roles={row.roles ?? []} />}
        />
        <Table.Column<Row>
          dataIndex={dateField}
          title={text(dateTitle)}
          width={170}
          sorter
          sortDirections={['descend', 'ascend', 'descend']}
          sortOrder={getDefaultSortOrder(dateField, sorters)}
          render={(value: string) => <DateTimeCell value={value} />}
        />
        <Table.Column<Row>
          key="actions"
          title={text(key('list.actions'))}
          width={120}
          render={(_, row) => (
            <ShowButton
              resource={area}
              recordItemId={String(row[rowKey])}
              size="small"
              aria-label={text(key('list.reviewPerson'), { name: row.full_name ?? row.email ?? '' })}
            >
              {text(key('list.review'))}
            </ShowButton>
          )}
        />
      </Table>
    </List>
  );
}
