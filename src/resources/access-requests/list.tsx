// The access-request queue: people with an active account who ask for access
// to another organisation, as public.pending_access_requests shows them (only
// requests the caller may decide).
import { getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, Empty, Table, Typography } from 'antd';
import { useState } from 'react';
import { RoleTags } from '../../components/role-tags.tsx';
import {
  DateTimeCell,
  OrganisationCell,
  PersonCell,
  QueueOrganisationFilter,
  organisationFilter,
} from '../registrations/queue.tsx';
import { useText } from '../registrations/text.ts';
import { PENDING_ACCESS_REQUESTS_VIEW, type PendingAccessRequest } from '../registrations/types.ts';

export function AccessRequestList() {
  const text = useText();
  const [organisation, setOrganisation] = useState<string | undefined>();
  const { tableProps, sorters, setFilters, tableQuery } = useTable<PendingAccessRequest, HttpError>({
    resource: PENDING_ACCESS_REQUESTS_VIEW,
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'requested_at', order: 'desc' }] },
  });

  function chooseOrganisation(value: string | undefined) {
    setOrganisation(value);
    setFilters(organisationFilter(value), 'replace');
  }

  const emptyText = tableQuery.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('access-requests.list.loadFailed')} />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={organisation ? text('access-requests.list.emptyFiltered') : text('access-requests.list.empty')}
    />
  );

  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        hideOnSinglePage: true,
        showTotal: (total: number, [from, to]: [number, number]) => text('access-requests.list.total', { from, to, total }),
      }
    : false;

  return (
    <List title={text('access-requests.titles.list')}>
      <Typography.Paragraph type="secondary">{text('access-requests.list.intro')}</Typography.Paragraph>
      <div style={{ marginBottom: 16 }}>
        <QueueOrganisationFilter view={PENDING_ACCESS_REQUESTS_VIEW} value={organisation} onChange={chooseOrganisation} />
      </div>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={text('access-requests.list.loadFailed')}
          description={tableQuery.error?.message}
        />
      )}

      <Table<PendingAccessRequest>
        {...tableProps}
        rowKey="membership_id"
        size="middle"
        loading={tableProps.loading ? { spinning: true, tip: text('access-requests.list.loading') } : false}
        pagination={pagination}
        locale={{ emptyText }}
      >
        <Table.Column<PendingAccessRequest>
          key="person"
          title={text('access-requests.list.person')}
          render={(_, row) => <PersonCell name={row.full_name} email={row.email} />}
        />
        <Table.Column<PendingAccessRequest>
          key="organisation"
          title={text('access-requests.list.organisation')}
          render={(_, row) => <OrganisationCell name={row.organisation_name} odsCode={row.ods_code} />}
        />
        <Table.Column<PendingAccessRequest>
          key="roles"
          title={text('access-requests.list.roles')}
          render={(_, row) => <RoleTags roles={row.roles} />}
        />
        <Table.Column<PendingAccessRequest>
          dataIndex="requested_at"
          title={text('access-requests.list.requested')}
          width={170}
          sorter
          sortDirections={['descend', 'ascend', 'descend']}
          sortOrder={getDefaultSortOrder('requested_at', sorters)}
          render={(value: string) => <DateTimeCell value={value} />}
        />
        <Table.Column<PendingAccessRequest>
          key="actions"
          title={text('access-requests.list.actions')}
          width={120}
          render={(_, row) => (
            <ShowButton
              resource="access-requests"
              recordItemId={row.membership_id}
              size="small"
              aria-label={text('access-requests.list.reviewPerson', { name: row.full_name ?? row.email ?? '' })}
            >
              {text('access-requests.list.review')}
            </ShowButton>
          )}
        />
      </Table>
    </List>
  );
}
