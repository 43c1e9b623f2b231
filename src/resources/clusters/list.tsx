// The current commissioner's Service Provider Clusters: short name, name,
// description and how many organisations and assigned people each has.
import { getDefaultSortOrder, useTable } from '@refinedev/antd';
import { List } from '../../components/page.tsx';
import { KEY_COLUMN } from '../../components/table-layout.ts';
import type { CrudFilters, HttpError } from '@refinedev/core';
import { Alert, Empty, Form, Input, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { useAreaText } from '../../components/area-text.ts';
import dictionary from './i18n.ts';
import { CLUSTER_LIST_SELECT, CLUSTERS, type ClusterListRow } from './model.ts';

interface SearchValues {
  q?: string;
}

const SEARCH_KEY = 'search';

/** Name or short name contains the text. Quotes and backslashes would break PostgREST's `or` syntax, so they go. */
export function clusterSearchFilters(text: string | undefined): CrudFilters {
  const q = (text ?? '').replace(/["\\,()]/g, ' ').trim().slice(0, 100);
  return [
    {
      key: SEARCH_KEY,
      operator: 'or',
      value: q
        ? [
            { field: 'name', operator: 'contains', value: q },
            { field: 'short_name', operator: 'contains', value: q },
          ]
        : [],
    },
  ];
}

export function ClusterList() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const context = useCurrentContext();
  const commissioner = context?.membership ?? null;

  const { tableProps, searchFormProps, sorters, filters, tableQuery } = useTable<ClusterListRow, HttpError, SearchValues>({
    resource: CLUSTERS,
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'short_name', order: 'asc' }] },
    filters: {
      permanent: [{ field: 'commissioner_id', operator: 'eq', value: commissioner?.organisation_id ?? null }],
    },
    meta: { select: CLUSTER_LIST_SELECT },
    onSearch: ({ q }) => clusterSearchFilters(q),
    errorNotification: false,
    queryOptions: { enabled: !!commissioner },
  });

  if (!commissioner) {
    return (
      <List title={text('clusters.titles.list')}>
        <Alert type="warning" showIcon message={text('clusters.list.noCommissioner')} />
      </List>
    );
  }

  const searching = filters.some((f) => 'key' in f && f.key === SEARCH_KEY && Array.isArray(f.value) && f.value.length > 0);
  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        showTotal: (total: number, [from, to]: [number, number]) => text('clusters.list.total', { from, to, total }),
      }
    : false;

  return (
    <List title={text('clusters.titles.list')}>
      <Typography.Paragraph type="secondary">{text('clusters.list.intro', { commissioner: commissioner.name })}</Typography.Paragraph>

      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item name="q" style={{ flex: '1 1 320px', minWidth: 0, maxWidth: 480, marginInlineEnd: 0 }}>
          <Input.Search
            aria-label={text('clusters.list.search')}
            placeholder={text('clusters.list.search')}
            allowClear
            enterButton
            onSearch={() => searchFormProps.form?.submit()}
          />
        </Form.Item>
      </Form>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={text('clusters.list.loadError')}
          description={tableQuery.error?.message}
        />
      )}

      <Table<ClusterListRow>
        {...tableProps}
        rowKey="id"
        size="middle"
        pagination={pagination}
        // Not max-content: the description is cut short (ellipsis), not laid out in full.
        scroll={{ x: 900 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                tableQuery.isError
                  ? text('clusters.list.loadError')
                  : searching
                    ? text('clusters.list.noMatch')
                    : text('clusters.list.empty')
              }
            />
          ),
        }}
      >
        <Table.Column<ClusterListRow>
          dataIndex="short_name"
          title={text('clusters.fields.shortName')}
          {...KEY_COLUMN}
          width={150}
          sorter
          sortOrder={getDefaultSortOrder('short_name', sorters)}
          // The short name is the cluster's key (it never changes): it opens the cluster.
          render={(value: string, row) => (
            <Link to={path(`/clusters/${row.id}`)}>
              <Typography.Text strong style={{ color: 'inherit' }}>
                {value}
              </Typography.Text>
            </Link>
          )}
        />
        <Table.Column<ClusterListRow>
          dataIndex="name"
          title={text('clusters.fields.name')}
          width={280}
          sorter
          sortOrder={getDefaultSortOrder('name', sorters)}
        />
        <Table.Column<ClusterListRow>
          dataIndex="description"
          title={text('clusters.fields.description')}
          ellipsis
          render={(value: string) => value || '–'}
        />
        <Table.Column<ClusterListRow>
          title={text('clusters.fields.organisations')}
          width={140}
          align="right"
          render={(_, row) => row.cluster_organisations?.length ?? 0}
        />
        <Table.Column<ClusterListRow>
          title={text('clusters.fields.assignedUsers')}
          width={150}
          align="right"
          render={(_, row) => row.cluster_assignments?.length ?? 0}
        />
      </Table>
    </List>
  );
}
