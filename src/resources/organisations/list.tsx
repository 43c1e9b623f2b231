// Organisations: every ICB, sub-ICB location, PCN and GP practice the portal
// knows, read through Refine's data provider (PostgREST), sorted, searched and
// paginated on the server.
import { getDefaultFilter, getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import type { CrudFilters, HttpError } from '@refinedev/core';
import { Alert, Empty, Form, Input, Table, Tag, Tooltip, Typography } from 'antd';
import { formatUkDate, formatUkDateTime } from '../../lib/dates.ts';
import type { Tables } from '../../types/database.ts';
import {
  ORGANISATION_TYPES,
  organisationTypeDescription,
  organisationTypeLabel,
  type OrganisationType,
} from './organisation-types.ts';

/** A row of public.organisations (ods_code is null for the few bodies without one). */
export type Organisation = Tables<'organisations'>;

interface SearchValues {
  q?: string;
}

export const SEARCH_FILTER_KEY = 'search';

/**
 * One `or` filter: name or ODS code contains the text, case-insensitively.
 * An empty search yields an empty `or`, which Refine drops from the filters.
 * Double quotes and backslashes are removed because PostgREST logic trees use
 * them for quoting.
 */
export function organisationSearchFilters(text: string | undefined): CrudFilters {
  const q = (text ?? '').replace(/["\\]/g, '').trim().slice(0, 100);
  return [
    {
      key: SEARCH_FILTER_KEY,
      operator: 'or',
      value: q
        ? [
            { field: 'name', operator: 'contains', value: q },
            { field: 'ods_code', operator: 'contains', value: q },
          ]
        : [],
    },
  ];
}

const typeTagColour: Record<OrganisationType, string> = {
  national: 'blue',
  region: 'blue',
  icb: 'geekblue',
  sub_icb: 'cyan',
  pcn: 'purple',
  practice: 'green',
  other_provider: 'gold',
};

export function OrganisationList() {
  const { tableProps, searchFormProps, sorters, filters, tableQuery } = useTable<
    Organisation,
    HttpError,
    SearchValues
  >({
    resource: 'organisations',
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    onSearch: ({ q }) => organisationSearchFilters(q),
  });

  const isFiltered = filters.some(
    (filter) =>
      ('key' in filter && filter.key === SEARCH_FILTER_KEY && filter.value.length > 0) ||
      ('field' in filter && filter.field === 'type'),
  );

  const emptyText = tableQuery.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Organisations could not be loaded" />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={isFiltered ? 'No organisations match your search' : 'No organisations yet'}
    />
  );

  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal: (total: number, [from, to]: [number, number]) =>
          `${from}–${to} of ${total} organisation${total === 1 ? '' : 's'}`,
      }
    : false;

  return (
    <List title="Organisations">
      <Typography.Paragraph type="secondary">
        Commissioners, primary care networks and GP practices known to the portal.
      </Typography.Paragraph>

      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item name="q" style={{ flex: '1 1 320px', maxWidth: 480, marginInlineEnd: 0 }}>
          <Input.Search
            aria-label="Search by name or ODS code"
            placeholder="Search by name or ODS code"
            allowClear
            enterButton="Search"
            onSearch={() => searchFormProps.form?.submit()}
          />
        </Form.Item>
      </Form>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="Organisations could not be loaded"
          description={tableQuery.error?.message}
        />
      )}

      <Table<Organisation>
        {...tableProps}
        rowKey="id"
        size="middle"
        loading={tableProps.loading ? { spinning: true, tip: 'Loading organisations…' } : false}
        pagination={pagination}
        locale={{ emptyText }}
      >
        <Table.Column<Organisation>
          dataIndex="ods_code"
          title="ODS code"
          width={130}
          sorter
          sortOrder={getDefaultSortOrder('ods_code', sorters)}
          render={(value: string | null) => (value ? <Typography.Text strong>{value}</Typography.Text> : '–')}
        />
        <Table.Column<Organisation>
          dataIndex="name"
          title="Name"
          sorter
          sortOrder={getDefaultSortOrder('name', sorters)}
        />
        <Table.Column<Organisation>
          dataIndex="type"
          title="Type"
          width={190}
          sorter
          sortOrder={getDefaultSortOrder('type', sorters)}
          filters={ORGANISATION_TYPES.map((type) => ({ text: organisationTypeLabel(type), value: type }))}
          filteredValue={getDefaultFilter('type', filters, 'in') ?? null}
          render={(value: OrganisationType) => (
            <Tooltip title={organisationTypeDescription(value)}>
              <Tag color={typeTagColour[value] ?? 'default'}>{organisationTypeLabel(value)}</Tag>
            </Tooltip>
          )}
        />
        <Table.Column<Organisation>
          dataIndex="created_at"
          title="Added"
          width={140}
          responsive={['md']}
          sorter
          sortOrder={getDefaultSortOrder('created_at', sorters)}
          render={(value: string) => (
            <Tooltip title={`${formatUkDateTime(value)} (UK time)`}>
              <time dateTime={value}>{formatUkDate(value)}</time>
            </Tooltip>
          )}
        />
      </Table>
    </List>
  );
}
