// The pending registrations queue: people who registered and wait for a
// decision the caller may take (public.pending_registrations decides which:
// the Support Desk sees every one, administrators what they may decide).
import { WarningOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { RoleTags } from '../../components/role-tags.tsx';
import { DateTimeCell, OrganisationCell, PersonCell, QueueOrganisationFilter, organisationFilter } from './queue.tsx';
import { useText } from './text.ts';
import { PENDING_REGISTRATIONS_VIEW, type PendingRegistration } from './types.ts';

/** antd's "warning" tag colours with darker text: the preset's orange fails WCAG AA contrast at 12px. */
const GENERIC_TAG_STYLE = { color: '#874d00', background: '#fffbe6', borderColor: '#ffd666' } as const;

export function RegistrationFlags({ row }: { row: Pick<PendingRegistration, 'generic_mailbox' | 'commissioner_administrator'> }) {
  const text = useText();
  if (!row.generic_mailbox && !row.commissioner_administrator) return null;
  return (
    <Space size={[0, 4]} wrap>
      {row.generic_mailbox && (
        <Tooltip title={text('registrations.list.genericTagHelp')}>
          <Tag icon={<WarningOutlined aria-hidden />} style={GENERIC_TAG_STYLE}>
            {text('registrations.list.genericTag')}
          </Tag>
        </Tooltip>
      )}
      {row.commissioner_administrator && (
        <Tooltip title={text('registrations.list.supportDeskTagHelp')}>
          <Tag color="purple">{text('registrations.list.supportDeskTag')}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

export function RegistrationList() {
  const text = useText();
  const [organisation, setOrganisation] = useState<string | undefined>();
  const { tableProps, sorters, setFilters, tableQuery } = useTable<PendingRegistration, HttpError>({
    resource: PENDING_REGISTRATIONS_VIEW,
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'registered_at', order: 'desc' }] },
  });

  function chooseOrganisation(value: string | undefined) {
    setOrganisation(value);
    setFilters(organisationFilter(value), 'replace');
  }

  const emptyText = tableQuery.isError ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('registrations.list.loadFailed')} />
  ) : (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={organisation ? text('registrations.list.emptyFiltered') : text('registrations.list.empty')}
    />
  );

  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        hideOnSinglePage: true,
        showTotal: (total: number, [from, to]: [number, number]) => text('registrations.list.total', { from, to, total }),
      }
    : false;

  return (
    <List title={text('registrations.titles.list')}>
      <Typography.Paragraph type="secondary">{text('registrations.list.intro')}</Typography.Paragraph>
      <div style={{ marginBottom: 16 }}>
        <QueueOrganisationFilter view={PENDING_REGISTRATIONS_VIEW} value={organisation} onChange={chooseOrganisation} />
      </div>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={text('registrations.list.loadFailed')}
          description={tableQuery.error?.message}
        />
      )}

      <Table<PendingRegistration>
        {...tableProps}
        rowKey="profile_id"
        size="middle"
        loading={tableProps.loading ? { spinning: true, tip: text('registrations.list.loading') } : false}
        pagination={pagination}
        locale={{ emptyText }}
      >
        <Table.Column<PendingRegistration>
          key="person"
          title={text('registrations.list.person')}
          render={(_, row) => (
            <Space direction="vertical" size={4}>
              <PersonCell name={row.full_name} email={row.email} />
              <RegistrationFlags row={row} />
            </Space>
          )}
        />
        <Table.Column<PendingRegistration>
          key="organisation"
          title={text('registrations.list.organisation')}
          render={(_, row) => <OrganisationCell name={row.organisation_name} odsCode={row.ods_code} />}
        />
        <Table.Column<PendingRegistration>
          key="roles"
          title={text('registrations.list.roles')}
          render={(_, row) => <RoleTags roles={row.roles ?? []} />}
        />
        <Table.Column<PendingRegistration>
          dataIndex="registered_at"
          title={text('registrations.list.registered')}
          width={170}
          sorter
          sortDirections={['descend', 'ascend', 'descend']}
          sortOrder={getDefaultSortOrder('registered_at', sorters)}
          render={(value: string) => <DateTimeCell value={value} />}
        />
        <Table.Column<PendingRegistration>
          key="actions"
          title={text('registrations.list.actions')}
          width={120}
          render={(_, row) => (
            <ShowButton
              resource="registrations"
              recordItemId={row.profile_id}
              size="small"
              aria-label={text('registrations.list.reviewPerson', { name: row.full_name ?? row.email ?? '' })}
            >
              {text('registrations.list.review')}
            </ShowButton>
          )}
        />
      </Table>
    </List>
  );
}
