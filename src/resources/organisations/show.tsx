// One organisation the signed-in person reaches: details, parent, the
// organisations below it, its people, and its PCN relationships (a practice's
// PCN history, a PCN's member practices). Read from `my_organisations`, never
// from `organisations` (readable by anyone): an organisation outside your
// reach is "not found" here.
import { ResultTitle, Show } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { useList, useOne, type HttpError } from '@refinedev/core';
import { Alert, Card, Descriptions, Empty, Result, Space, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { RoleTags } from '../../components/role-tags.tsx';
import { MembershipStatusTag } from '../../components/status-tag.tsx';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess, type AppRole, type MembershipStatus } from '../../providers/access.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import dictionary from './i18n.ts';
import { useContextPath } from '../../components/context-links.ts';
import { OrganisationTypeTag } from './list.tsx';
import { AddToPcnButton, EndRelationshipButton, MoveToAnotherPcnButton, PCN_MEMBERSHIPS, type PcnRelationship } from './pcn-relationships.tsx';
import { isCommissionerType } from './organisation-types.ts';
import { MY_ORGANISATIONS, REACH_SELECT } from './reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import { compareOrganisations, type ReachableOrganisation } from './tree.ts';

export interface MyOrganisation extends ReachableOrganisation {
  created_at: string;
}

/** A membership at the organisation, with the person if you may see them (profiles RLS). */
export interface OrganisationPerson {
  id: string;
  profile_id: string;
  roles: AppRole[];
  status: MembershipStatus;
  profile: { id: string; full_name: string | null; email: string | null } | null;
}

const STATUS_ORDER: Record<string, number> = { active: 0, requested: 1, revoked: 2, rejected: 3 };

function Section({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>{title}</Typography.Title>} extra={extra} size="small" style={{ marginTop: 16 }}>
      {children}
    </Card>
  );
}

function LoadError({ message, error }: { message: string; error: HttpError | null | undefined }) {
  return <Alert type="error" showIcon message={message} description={error?.message} />;
}

export function OrganisationShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id } = useParams<{ id: string }>();
  const context = useCurrentContext();
  const mayManagePcns = context?.membership?.side === 'commissioner' && canAccess(context, 'organisations', 'edit').can;
  const maySeeUsers = canAccess(context, 'users', 'show').can;

  const { result: organisation, query } = useOne<MyOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    id: id ?? '',
    meta: { select: `${REACH_SELECT},created_at` },
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  const parentId = organisation?.parent_id ?? null;
  const { result: parent, query: parentQuery } = useOne<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    id: parentId ?? '',
    meta: { select: REACH_SELECT },
    errorNotification: false,
    queryOptions: { enabled: !!parentId },
  });
  const children = useList<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    filters: [{ field: 'parent_id', operator: 'eq', value: id }],
    pagination: { mode: 'off' },
    meta: { select: REACH_SELECT },
    errorNotification: false,
    queryOptions: { enabled: !!organisation },
  });
  const people = useList<OrganisationPerson, HttpError>({
    resource: 'memberships',
    filters: [{ field: 'organisation_id', operator: 'eq', value: id }],
    pagination: { mode: 'off' },
    meta: { select: 'id,profile_id,roles,status,profile:profiles(id,full_name,email)' },
    errorNotification: false,
    queryOptions: { enabled: !!organisation },
  });
  const isPractice = organisation?.type === 'practice';
  const isPcn = organisation?.type === 'pcn';
  const relationships = useList<PcnRelationship, HttpError>({
    resource: PCN_MEMBERSHIPS,
    filters: [{ field: isPcn ? 'pcn_id' : 'practice_id', operator: 'eq', value: id }],
    sorters: [{ field: 'valid_from', order: 'desc' }],
    pagination: { mode: 'off' },
    meta: {
      select: isPcn
        ? 'id,practice_id,pcn_id,valid_from,valid_to,practice:organisations!practice_id(id,ods_code,name)'
        : 'id,practice_id,pcn_id,valid_from,valid_to,pcn:organisations!pcn_id(id,ods_code,name)',
    },
    errorNotification: false,
    queryOptions: { enabled: isPractice || isPcn },
  });

  if (query.isError) {
    return (
      <Show goBack={false} title={text('organisations.titles.show')} headerButtons={() => null}>
        <LoadError message={text('organisations.page.loadError')} error={query.error} />
      </Show>
    );
  }
  if (query.isSuccess && !organisation) {
    return (
      <Result
        status="404"
        title={<ResultTitle>{text('organisations.page.notFound')}</ResultTitle>}
        subTitle={text('organisations.page.notFoundHelp')}
        extra={<Link to={path('/organisations')}>{text('organisations.page.backToTree')}</Link>}
      />
    );
  }

  const childRows = [...children.result.data].sort(compareOrganisations);
  const personRows = [...people.result.data].sort(
    (a, b) =>
      (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9) ||
      (a.profile?.full_name ?? '').localeCompare(b.profile?.full_name ?? '', 'en-GB'),
  );
  const relationshipRows = relationships.result.data;
  const openRelationship = relationshipRows.find((row) => row.valid_to === null);

  const parentCell = (): ReactNode => {
    if (!parentId) return <Typography.Text type="secondary">{text('organisations.page.noParent')}</Typography.Text>;
    if (parent) return <Link to={path(`/organisations/${parent.id}`)}>{`${parent.name} (${parent.ods_code})`}</Link>;
    if (parentQuery.isLoading) return text('organisations.tree.loading');
    return <Typography.Text type="secondary">{text('organisations.page.parentOutOfReach')}</Typography.Text>;
  };

  const currentTag = <Tag color="green">{text('organisations.pcn.current')}</Tag>;

  return (
    <Show
      goBack={false}
      title={organisation ? `${organisation.name} (${organisation.ods_code})` : text('organisations.titles.show')}
      isLoading={query.isLoading}
      headerButtons={() => null}
    >
      {organisation && (
        <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS}>
          <Descriptions.Item label={text('organisations.fields.name')}>{organisation.name}</Descriptions.Item>
          <Descriptions.Item label={text('organisations.fields.odsCode')}>
            <Typography.Text strong>{organisation.ods_code}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={text('organisations.fields.type')}>
            <OrganisationTypeTag type={organisation.type} />
          </Descriptions.Item>
          <Descriptions.Item label={text('organisations.fields.parent')}>{parentCell()}</Descriptions.Item>
          {isPractice && (
            <Descriptions.Item label={text('organisations.fields.currentPcn')}>
              {relationships.query.isLoading
                ? text('organisations.tree.loading')
                : openRelationship?.pcn
                  ? (
                    <span>
                      {`${openRelationship.pcn.name} (${openRelationship.pcn.ods_code})`}{' '}
                      <Typography.Text type="secondary">
                        {text('organisations.pcn.since', { from: formatDateOnly(openRelationship.valid_from) })}
                      </Typography.Text>
                    </span>
                  )
                  : text('organisations.pcn.none')}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}

      {organisation && (isPractice || isPcn) && (
        <Section
          title={isPractice ? text('organisations.pcn.historyTitle') : text('organisations.pcn.membersTitle')}
          extra={
            isPractice && mayManagePcns && !relationships.query.isLoading ? (
              // A practice is in one PCN at a time: with a current one, the way on is a move.
              openRelationship ? (
                <MoveToAnotherPcnButton practice={organisation} current={openRelationship} />
              ) : (
                <AddToPcnButton practice={organisation} />
              )
            ) : undefined
          }
        >
          {relationships.query.isError ? (
            <LoadError message={text('organisations.pcn.loadError')} error={relationships.query.error} />
          ) : (
            <Table<PcnRelationship>
              dataSource={relationshipRows}
              rowKey="id"
              size="small"
              pagination={relationshipRows.length > 10 ? { pageSize: 10 } : false}
              loading={relationships.query.isLoading}
              locale={{
                emptyText: (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={isPractice ? text('organisations.pcn.historyEmpty') : text('organisations.pcn.membersEmpty')}
                  />
                ),
              }}
            >
              <Table.Column<PcnRelationship>
                title={isPractice ? text('organisations.pcn.pcn') : text('organisations.pcn.practice')}
                render={(_, row) => {
                  const other = isPractice ? row.pcn : row.practice;
                  if (!other) return '–';
                  return (
                    <Space size={4}>
                      <Typography.Text strong>{other.ods_code}</Typography.Text>
                      <span>{other.name}</span>
                    </Space>
                  );
                }}
              />
              <Table.Column<PcnRelationship>
                title={text('organisations.pcn.from')}
                dataIndex="valid_from"
                width={130}
                render={(value: string) => formatDateOnly(value)}
              />
              <Table.Column<PcnRelationship>
                title={text('organisations.pcn.to')}
                dataIndex="valid_to"
                width={130}
                render={(value: string | null) => (value ? formatDateOnly(value) : currentTag)}
              />
              {isPractice && mayManagePcns && (
                <Table.Column<PcnRelationship>
                  title={text('organisations.fields.actions')}
                  width={190}
                  render={(_, row) =>
                    row.valid_to === null ? <EndRelationshipButton relationship={row} practiceName={organisation.name} /> : null
                  }
                />
              )}
            </Table>
          )}
        </Section>
      )}

      {organisation && (isCommissionerType(organisation.type) || childRows.length > 0) && (
        <Section title={text('organisations.page.childrenTitle')}>
          {children.query.isError ? (
            <LoadError message={text('organisations.page.childrenError')} error={children.query.error} />
          ) : (
            <Table<ReachableOrganisation>
              dataSource={childRows}
              rowKey="id"
              size="small"
              loading={children.query.isLoading}
              pagination={childRows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('organisations.page.childrenEmpty')} /> }}
            >
              <Table.Column<ReachableOrganisation>
                title={text('organisations.fields.odsCode')}
                dataIndex="ods_code"
                width={130}
                render={(value: string) => <Typography.Text strong>{value}</Typography.Text>}
              />
              <Table.Column<ReachableOrganisation>
                title={text('organisations.fields.name')}
                dataIndex="name"
                render={(_, row) => <Link to={path(`/organisations/${row.id}`)}>{row.name}</Link>}
              />
              <Table.Column<ReachableOrganisation>
                title={text('organisations.fields.type')}
                dataIndex="type"
                width={170}
                render={(value: ReachableOrganisation['type']) => <OrganisationTypeTag type={value} />}
              />
            </Table>
          )}
        </Section>
      )}

      {organisation && (
        <Section title={text('organisations.page.peopleTitle')}>
          {people.query.isError ? (
            <LoadError message={text('organisations.page.peopleError')} error={people.query.error} />
          ) : (
            <Table<OrganisationPerson>
              dataSource={personRows}
              rowKey="id"
              size="small"
              loading={people.query.isLoading}
              pagination={personRows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('organisations.page.peopleEmpty')} /> }}
            >
              <Table.Column<OrganisationPerson>
                title={text('organisations.fields.person')}
                render={(_, row) => {
                  const name = row.profile?.full_name || row.profile?.email || text('organisations.page.personHidden');
                  return maySeeUsers && row.profile ? <Link to={path(`/users/${row.profile_id}`)}>{name}</Link> : name;
                }}
              />
              <Table.Column<OrganisationPerson>
                title={text('organisations.fields.email')}
                render={(_, row) => row.profile?.email ?? '–'}
              />
              <Table.Column<OrganisationPerson>
                title={text('organisations.fields.roles')}
                dataIndex="roles"
                render={(roles: AppRole[]) => <RoleTags roles={roles} />}
              />
              <Table.Column<OrganisationPerson>
                title={text('organisations.fields.status')}
                dataIndex="status"
                width={130}
                render={(status: MembershipStatus) => <MembershipStatusTag status={status} />}
              />
            </Table>
          )}
        </Section>
      )}
    </Show>
  );
}
