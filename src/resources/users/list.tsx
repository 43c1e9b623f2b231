// Users: the people the caller may see (the user_directory view; the database
// decides who is in it), searched, filtered and sorted on the server.
import { UserAddOutlined } from '@ant-design/icons';
import { CreateButton, getDefaultSortOrder, useTable } from '@refinedev/antd';
import { List } from '../../components/page.tsx';
import { CanAccess, useNavigation, type CrudFilters, type HttpError } from '@refinedev/core';
import { Alert, Button, Empty, Flex, Form, Input, Select, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router';
import { KEY_COLUMN } from '../../components/table-layout.ts';
import { OrganisationSelect } from '../../components/organisation-select.tsx';
import { RoleTags } from '../../components/role-tags.tsx';
import { AccountStatusTag } from '../../components/status-tag.tsx';
import { useCurrentContext } from '../../providers/access-context.tsx';
import type { PortalContext } from '../../providers/access.ts';
import { Constants } from '../../types/database.ts';
import { formatUkDateTimeShort, formatUkDay } from './format.ts';
import { COMMISSIONER_ROLES, PROVIDER_ROLES, type AppRole } from './roles.ts';
import { useUsersText } from './text.ts';
import { personLabel, USER_DIRECTORY, type AccountStatus, type UserDirectoryRow } from './types.ts';

export interface UserSearchValues {
  q?: string | undefined;
  organisationId?: string | null | undefined;
  role?: AppRole | null | undefined;
  status?: AccountStatus | null | undefined;
}

export const USER_SEARCH_KEY = 'search';

/**
 * The server filters for the search form. Every filter is always present, with
 * `undefined` (dropped by Refine) when unused, so that clearing a field clears
 * its filter. Quotes and backslashes are removed: PostgREST's `or` syntax uses them.
 */
export function userSearchFilters(values: UserSearchValues): CrudFilters {
  const q = (values.q ?? '').replace(/["\\,()]/g, ' ').trim().slice(0, 100);
  return [
    {
      key: USER_SEARCH_KEY,
      operator: 'or',
      value: q
        ? [
            { field: 'full_name', operator: 'contains', value: q },
            { field: 'email', operator: 'contains', value: q },
          ]
        : [],
    },
    { field: 'organisation_ids', operator: 'ina', value: values.organisationId ? [values.organisationId] : undefined },
    { field: 'roles', operator: 'ina', value: values.role ? [values.role] : undefined },
    { field: 'status', operator: 'eq', value: values.status ?? undefined },
  ];
}

/**
 * Who the list shows at first: a provider organisation's own people; for a
 * commissioner or the Support Desk everyone the caller may see (the database
 * already limits that to their reach).
 */
export function initialOrganisationFilter(context: PortalContext | undefined): string | undefined {
  const membership = context?.membership;
  return membership && membership.side === 'provider' ? membership.organisation_id : undefined;
}

export function UserList() {
  const text = useUsersText();
  const context = useCurrentContext();
  // The context (from the URL) decides the first filter: wait for it.
  if (!context) {
    return (
      <List resource="users" title={text('users.titles.list')}>
        <Spin />
      </List>
    );
  }
  return <UserListForContext key={context.key} context={context} />;
}

function UserListForContext({ context }: { context: PortalContext }) {
  const text = useUsersText();
  const { showUrl } = useNavigation();
  const initialOrganisation = initialOrganisationFilter(context);
  const initialValues: UserSearchValues = { organisationId: initialOrganisation };

  const { tableProps, searchFormProps, sorters, filters, tableQuery } = useTable<UserDirectoryRow, HttpError, UserSearchValues>({
    resource: USER_DIRECTORY,
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    sorters: { initial: [{ field: 'full_name', order: 'asc' }] },
    filters: { initial: userSearchFilters(initialValues) },
    onSearch: (values) => userSearchFilters(values),
    // The page shows the error itself (alert above the table).
    errorNotification: false,
  });

  const isFiltered = filters.some((filter) =>
    'key' in filter && filter.key === USER_SEARCH_KEY ? filter.value.length > 0 : filter.value !== undefined,
  );

  const roleOptions = (context.membership?.side === 'provider' ? [...PROVIDER_ROLES] : [...COMMISSIONER_ROLES, ...PROVIDER_ROLES]).map(
    (role) => ({ value: role, label: text.shared(`roles.${role}`, role) }),
  );
  const statusOptions = Constants.public.Enums.account_status.map((status) => ({
    value: status,
    label: text.shared(`accountStatus.${status}`, status),
  }));

  const form = searchFormProps.form;
  const submit = () => form?.submit();

  const emptyText = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        tableQuery.isError ? text('users.list.loadFailed') : isFiltered ? text('users.list.noMatches') : text('users.list.empty')
      }
    />
  );

  const pagination = tableProps.pagination
    ? {
        ...tableProps.pagination,
        showSizeChanger: true,
        pageSizeOptions: [10, 20, 50, 100],
        showTotal: (total: number, [from, to]: [number, number]) => text('users.list.total', { from, to, total }),
      }
    : false;

  return (
    <List
      resource="users"
      title={text('users.titles.list')}
      headerButtons={
        <CanAccess resource="users" action="create">
          <CreateButton resource="users" icon={<UserAddOutlined />}>
            {text('users.actions.invite')}
          </CreateButton>
        </CanAccess>
      }
    >
      <Typography.Paragraph type="secondary">{text('users.list.intro')}</Typography.Paragraph>

      <Form {...searchFormProps} initialValues={initialValues} layout="vertical">
        {/* One row at 1280 pixels (menu open); wraps on narrower screens. */}
        <Flex wrap gap={12} align="flex-end">
          <Form.Item name="q" label={text('users.list.searchLabel')} style={{ width: 250, marginBottom: 16 }}>
            <Input.Search
              placeholder={text('users.list.searchPlaceholder')}
              allowClear
              enterButton={text('users.list.searchButton')}
              onSearch={submit}
            />
          </Form.Item>
          <Form.Item name="organisationId" label={text('users.fields.organisation')} style={{ width: 240, marginBottom: 16 }}>
            <OrganisationSelect scope="reachable" onChange={() => setTimeout(submit)} />
          </Form.Item>
          <Form.Item name="role" label={text('users.fields.role')} style={{ width: 170, marginBottom: 16 }}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={text('users.list.anyRole')}
              options={roleOptions}
              onChange={() => setTimeout(submit)}
            />
          </Form.Item>
          <Form.Item name="status" label={text('users.fields.accountStatus')} style={{ width: 150, marginBottom: 16 }}>
            <Select allowClear placeholder={text('users.list.anyStatus')} options={statusOptions} onChange={() => setTimeout(submit)} />
          </Form.Item>
          <Button
            style={{ marginBottom: 16 }}
            onClick={() => {
              form?.setFieldsValue({ q: undefined, organisationId: undefined, role: undefined, status: undefined });
              submit();
            }}
            disabled={!isFiltered}
          >
            {text('users.list.clearFilters')}
          </Button>
        </Flex>
      </Form>

      {tableQuery.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={text('users.list.loadFailed')}
          description={tableQuery.error?.message}
        />
      )}

      <Table<UserDirectoryRow>
        {...tableProps}
        rowKey="id"
        size="middle"
        loading={tableProps.loading ? { spinning: true, tip: text('users.list.loading') } : false}
        pagination={pagination}
        locale={{ emptyText }}
        // Not max-content: the e-mail and roles columns wrap, keeping the sideways scroll short.
        scroll={{ x: 1100 }}
      >
        <Table.Column<UserDirectoryRow>
          dataIndex="full_name"
          title={text('users.fields.name')}
          {...KEY_COLUMN}
          width={170}
          sorter
          sortOrder={getDefaultSortOrder('full_name', sorters)}
          render={(_value, record) => <Link to={showUrl('users', record.id)}>{personLabel(record)}</Link>}
        />
        <Table.Column<UserDirectoryRow>
          dataIndex="email"
          title={text('users.fields.email')}
          sorter
          sortOrder={getDefaultSortOrder('email', sorters)}
          render={(value: string | null, record) => (
            <Space size={4} wrap>
              {/* 'anywhere' lets a long address wrap inside its cell instead of running into the next one. */}
              <span style={{ overflowWrap: 'anywhere' }}>{value ?? '–'}</span>
              {record.generic_mailbox && (
                <Tooltip title={text('users.show.genericMailboxHelp')}>
                  <Tag color="orange">{text('users.show.genericMailbox')}</Tag>
                </Tooltip>
              )}
            </Space>
          )}
        />
        <Table.Column<UserDirectoryRow>
          key="organisations"
          title={text('users.fields.organisations')}
          render={(_value, record) => <MembershipSummary record={record} />}
        />
        <Table.Column<UserDirectoryRow>
          dataIndex="roles"
          title={text('users.fields.roles')}
          // The widest role tag ("Commissioning Management") fits: tags do not wrap.
          width={220}
          render={(roles: AppRole[] | null) => (roles && roles.length > 0 ? <RoleTags roles={roles} /> : '–')}
        />
        <Table.Column<UserDirectoryRow>
          dataIndex="status"
          title={text('users.fields.accountStatus')}
          width={130}
          sorter
          sortOrder={getDefaultSortOrder('status', sorters)}
          render={(status: AccountStatus) => <AccountStatusTag status={status} />}
        />
        <Table.Column<UserDirectoryRow>
          dataIndex="created_at"
          title={text('users.fields.created')}
          width={130}
          sorter
          sortOrder={getDefaultSortOrder('created_at', sorters)}
          render={(value: string) => (
            <Tooltip title={text('users.fields.ukTime', { time: formatUkDateTimeShort(value) })}>
              <time dateTime={value}>{formatUkDay(value)}</time>
            </Tooltip>
          )}
        />
      </Table>
    </List>
  );
}

/** The organisations a person belongs to, by ODS code; revoked or requested ones say so. */
function MembershipSummary({ record }: { record: UserDirectoryRow }) {
  const text = useUsersText();
  const memberships = record.memberships ?? [];
  if (memberships.length === 0) return <>–</>;
  return (
    <Space size={[4, 4]} wrap>
      {memberships.map((membership) => (
        <Tooltip
          key={membership.membership_id}
          title={`${membership.name} – ${text.shared(`membershipStatus.${membership.status}`, membership.status)}`}
        >
          <Tag color={membership.status === 'active' ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
            {membership.ods_code ?? membership.name}
            {membership.status !== 'active' && ` (${text.shared(`membershipStatus.${membership.status}`, membership.status)})`}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}
