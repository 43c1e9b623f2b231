// One cluster: details, its organisations (add with the picker, remove with a
// confirmation) and the people assigned to it (assignment happens on the user
// page). Changes go through add_cluster_organisation /
// remove_cluster_organisation; the database checks who may and what fits.
import { EditButton } from '@refinedev/antd';
import { ResultTitle, Show } from '../../components/page.tsx';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { useInvalidate, useList, useNotification, useOne, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Empty, Modal, Result, Table, Typography } from 'antd';
import { useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Link, useParams } from 'react-router';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { RoleTags } from '../../components/role-tags.tsx';
import { MembershipStatusTag } from '../../components/status-tag.tsx';
import { formatUkDate, formatUkDateTime } from '../../lib/dates.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { canAccess, type AppRole, type MembershipStatus } from '../../providers/access.ts';
import { callRpc } from '../../components/rpc.ts';
import { errorDetails } from '../../components/error-details.ts';
import { useContextPath } from '../../components/context-links.ts';
import { OrganisationTypeTag } from '../organisations/list.tsx';
import type { OrganisationType } from '../organisations/organisation-types.ts';
import { MY_ORGANISATIONS, REACH_SELECT } from '../organisations/reach.ts';
import { useAreaText } from '../../components/area-text.ts';
import type { ReachableOrganisation } from '../organisations/tree.ts';
import { addOrganisations } from './create.tsx';
import dictionary from './i18n.ts';
import { CLUSTER_ASSIGNMENTS, CLUSTER_ORGANISATIONS, CLUSTERS, type Cluster } from './model.ts';
import { OrganisationPicker, useProviderCandidates } from './organisation-picker.tsx';

export interface ClusterOrganisationRow {
  cluster_id: string;
  organisation_id: string;
  added_at: string;
  organisation: { id: string; ods_code: string; name: string; type: OrganisationType } | null;
}

export interface ClusterAssignmentRow {
  membership_id: string;
  assigned_at: string;
  membership: {
    id: string;
    profile_id: string;
    roles: AppRole[];
    status: MembershipStatus;
    profile: { id: string; full_name: string | null; email: string | null } | null;
  } | null;
}

function Section({
  title,
  extra,
  headingRef,
  children,
}: {
  title: ReactNode;
  extra?: ReactNode;
  /** For a heading that takes the focus (tabIndex -1) after a change to the section. */
  headingRef?: RefObject<HTMLHeadingElement | null>;
  children: ReactNode;
}) {
  return (
    <Card
      title={
        <Typography.Title ref={headingRef} tabIndex={headingRef ? -1 : undefined} level={2} style={{ fontSize: 18, margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={extra}
      size="small"
      style={{ marginTop: 16 }}
    >
      {children}
    </Card>
  );
}

/** "Add organisations": the picker in a dialog, then a confirmation. */
function AddOrganisationsButton({ cluster, existing }: { cluster: Cluster; existing: readonly string[] }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { candidates, isLoading, error } = useProviderCandidates(open ? cluster.commissioner_id : null, existing);

  const close = () => {
    setOpen(false);
    setSelected([]);
    setProblem(null);
  };

  const add = async () => {
    if (selected.length === 0) {
      setProblem(text('clusters.show.nothingChosen'));
      return;
    }
    const confirmed = await confirm({
      title: text(selected.length === 1 ? 'clusters.show.addConfirmTitleOne' : 'clusters.show.addConfirmTitle', {
        n: selected.length,
        shortName: cluster.short_name,
      }),
      content: text('clusters.show.addConfirmContent'),
      okText: text(selected.length === 1 ? 'clusters.show.addConfirmOne' : 'clusters.show.addConfirm', { n: selected.length }),
    });
    if (!confirmed) return;
    setProblem(null);
    setProgress(0);
    const failures = await addOrganisations(cluster.id, selected, setProgress);
    setProgress(null);
    await invalidate({ resource: CLUSTER_ORGANISATIONS, invalidates: ['all'] });
    await invalidate({ resource: CLUSTERS, invalidates: ['all'] });
    if (failures.length > 0) {
      const names = new Map((candidates ?? []).map((row) => [row.id, `${row.name} (${row.ods_code})`]));
      const added = selected.length - failures.length;
      setSelected(failures.map((f) => f.id));
      setProblem(
        `${text('clusters.show.addedPartly', { done: added, total: selected.length })}: ` +
          failures.map((f) => `${names.get(f.id) ?? f.id}: ${f.error.message}`).join('; '),
      );
      return;
    }
    notify?.({
      type: 'success',
      message: text(selected.length === 1 ? 'clusters.show.addedOne' : 'clusters.show.added', { n: selected.length, shortName: cluster.short_name }),
    });
    close();
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {text('clusters.show.add')}
      </Button>
      <Modal
        open={open}
        width={960}
        title={text('clusters.show.addTitle', { shortName: cluster.short_name })}
        okText={text(selected.length === 1 ? 'clusters.show.addConfirmOne' : 'clusters.show.addConfirm', { n: selected.length })}
        okButtonProps={{ disabled: selected.length === 0 }}
        cancelText={text('clusters.steps.cancel')}
        onOk={() => void add()}
        onCancel={close}
        confirmLoading={progress !== null}
        destroyOnHidden
      >
        {problem && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={problem} />}
        {progress !== null && (
          <Typography.Paragraph role="status">{text('clusters.create.adding', { done: progress, total: selected.length })}</Typography.Paragraph>
        )}
        <OrganisationPicker candidates={candidates} loading={isLoading} error={error} selected={selected} onChange={setSelected} />
      </Modal>
    </>
  );
}

export function ClusterShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id } = useParams<{ id: string }>();
  const context = useCurrentContext();
  const mayEdit = canAccess(context, 'clusters', 'edit').can;
  const maySeeUsers = canAccess(context, 'users', 'show').can;
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { open: notify } = useNotification();
  const [removing, setRemoving] = useState<string | null>(null);
  const organisationsHeading = useRef<HTMLHeadingElement>(null);

  const { result: cluster, query } = useOne<Cluster, HttpError>({
    resource: CLUSTERS,
    id: id ?? '',
    errorNotification: false,
    queryOptions: { enabled: !!id },
  });
  const organisations = useList<ClusterOrganisationRow, HttpError>({
    resource: CLUSTER_ORGANISATIONS,
    filters: [{ field: 'cluster_id', operator: 'eq', value: id }],
    pagination: { mode: 'off' },
    meta: { select: 'cluster_id,organisation_id,added_at,organisation:organisations(id,ods_code,name,type)' },
    errorNotification: false,
    queryOptions: { enabled: !!cluster },
  });
  const assignments = useList<ClusterAssignmentRow, HttpError>({
    resource: CLUSTER_ASSIGNMENTS,
    filters: [{ field: 'cluster_id', operator: 'eq', value: id }],
    pagination: { mode: 'off' },
    meta: {
      select: 'membership_id,assigned_at,membership:memberships(id,profile_id,roles,status,profile:profiles(id,full_name,email))',
    },
    errorNotification: false,
    queryOptions: { enabled: !!cluster },
  });
  const commissionerId = cluster?.commissioner_id ?? null;
  const fromContext = context?.membership?.organisation_id === commissionerId ? context?.membership : null;
  const { result: commissioner } = useOne<ReachableOrganisation, HttpError>({
    resource: MY_ORGANISATIONS,
    id: commissionerId ?? '',
    meta: { select: REACH_SELECT },
    errorNotification: false,
    queryOptions: { enabled: !!commissionerId && !fromContext },
  });
  const commissionerLabel = fromContext
    ? `${fromContext.name} (${fromContext.ods_code})`
    : commissioner
      ? `${commissioner.name} (${commissioner.ods_code})`
      : '–';

  const organisationRows = useMemo(
    () =>
      [...organisations.result.data].sort((a, b) =>
        (a.organisation?.name ?? '').localeCompare(b.organisation?.name ?? '', 'en-GB'),
      ),
    [organisations.result.data],
  );
  const existingIds = useMemo(() => organisationRows.map((row) => row.organisation_id), [organisationRows]);
  const assignmentRows = useMemo(
    () =>
      [...assignments.result.data].sort((a, b) =>
        (a.membership?.profile?.full_name ?? '').localeCompare(b.membership?.profile?.full_name ?? '', 'en-GB'),
      ),
    [assignments.result.data],
  );

  if (query.isError) {
    return (
      <Show goBack={false} title={text('clusters.titles.show')} headerButtons={() => null}>
        <Alert type="error" showIcon message={text('clusters.show.loadError')} description={query.error?.message} />
      </Show>
    );
  }
  if (query.isSuccess && !cluster) {
    return (
      <Result
        status="404"
        title={<ResultTitle>{text('clusters.show.notFound')}</ResultTitle>}
        subTitle={text('clusters.show.notFoundHelp')}
        extra={<Link to={path('/clusters')}>{text('clusters.show.backToList')}</Link>}
      />
    );
  }

  const remove = async (row: ClusterOrganisationRow) => {
    if (!cluster) return;
    const name = row.organisation?.name ?? row.organisation_id;
    const confirmed = await confirm({
      title: text('clusters.show.removeTitle', { name }),
      content: text('clusters.show.removeContent', { name, ods: row.organisation?.ods_code ?? '', shortName: cluster.short_name }),
      okText: text('clusters.show.remove'),
      danger: true,
    });
    if (!confirmed) return;
    setRemoving(row.organisation_id);
    try {
      await callRpc('remove_cluster_organisation', { p_cluster_id: cluster.id, p_organisation_id: row.organisation_id });
      notify?.({ type: 'success', message: text('clusters.show.removed', { name, shortName: cluster.short_name }) });
      await invalidate({ resource: CLUSTER_ORGANISATIONS, invalidates: ['all'] });
      await invalidate({ resource: CLUSTERS, invalidates: ['all'] });
      // The row and its Remove button are gone, and the keyboard focus with them: the
      // section's heading takes it and reads out the new count.
      organisationsHeading.current?.focus();
    } catch (error) {
      const details = errorDetails(error);
      notify?.({ type: 'error', message: text('clusters.show.removeFailed', { name }), description: [details.message, details.hint].filter(Boolean).join(' ') });
    } finally {
      setRemoving(null);
    }
  };

  return (
    <Show
      goBack={false}
      title={cluster ? `${cluster.short_name} · ${cluster.name}` : text('clusters.titles.show')}
      isLoading={query.isLoading}
      headerButtons={() =>
        mayEdit && cluster ? (
          <EditButton resource={CLUSTERS} recordItemId={cluster.id}>
            {text('clusters.show.edit')}
          </EditButton>
        ) : null
      }
    >
      {cluster && (
        <Descriptions bordered size="small" column={DESCRIPTION_COLUMNS}>
          <Descriptions.Item label={text('clusters.fields.shortName')}>
            <Typography.Text strong>{cluster.short_name}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={text('clusters.fields.commissioner')}>{commissionerLabel}</Descriptions.Item>
          <Descriptions.Item label={text('clusters.fields.name')} span="filled">
            {cluster.name}
          </Descriptions.Item>
          <Descriptions.Item label={text('clusters.fields.description')} span="filled">
            {cluster.description ? (
              <span style={{ whiteSpace: 'pre-wrap' }}>{cluster.description}</span>
            ) : (
              <Typography.Text type="secondary">{text('clusters.show.noDescription')}</Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={text('clusters.fields.created')}>
            <time dateTime={cluster.created_at} title={formatUkDateTime(cluster.created_at)}>
              {formatUkDate(cluster.created_at)}
            </time>
          </Descriptions.Item>
          <Descriptions.Item label={text('clusters.fields.updated')}>
            <time dateTime={cluster.updated_at} title={formatUkDateTime(cluster.updated_at)}>
              {formatUkDate(cluster.updated_at)}
            </time>
          </Descriptions.Item>
        </Descriptions>
      )}

      {cluster && (
        <Section
          headingRef={organisationsHeading}
          title={`${text('clusters.show.organisationsTitle')} (${organisationRows.length})`}
          extra={mayEdit ? <AddOrganisationsButton cluster={cluster} existing={existingIds} /> : undefined}
        >
          {organisations.query.isError ? (
            <Alert type="error" showIcon message={text('clusters.show.organisationsError')} description={organisations.query.error?.message} />
          ) : (
            <Table<ClusterOrganisationRow>
              dataSource={organisationRows}
              rowKey="organisation_id"
              size="small"
              loading={organisations.query.isLoading}
              pagination={organisationRows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('clusters.show.organisationsEmpty')} /> }}
            >
              <Table.Column<ClusterOrganisationRow>
                title={text('clusters.fields.odsCode')}
                width={120}
                render={(_, row) => <Typography.Text strong>{row.organisation?.ods_code ?? '–'}</Typography.Text>}
              />
              <Table.Column<ClusterOrganisationRow>
                title={text('clusters.fields.name')}
                render={(_, row) =>
                  row.organisation ? <Link to={path(`/organisations/${row.organisation_id}`)}>{row.organisation.name}</Link> : row.organisation_id
                }
              />
              <Table.Column<ClusterOrganisationRow>
                title={text('clusters.fields.type')}
                width={150}
                render={(_, row) => (row.organisation ? <OrganisationTypeTag type={row.organisation.type} /> : '–')}
              />
              <Table.Column<ClusterOrganisationRow>
                title={text('clusters.fields.added')}
                dataIndex="added_at"
                width={120}
                render={(value: string) => formatUkDate(value)}
              />
              {mayEdit && (
                <Table.Column<ClusterOrganisationRow>
                  title={text('clusters.fields.actions')}
                  width={110}
                  render={(_, row) => (
                    <Button
                      danger
                      size="small"
                      loading={removing === row.organisation_id}
                      disabled={removing !== null && removing !== row.organisation_id}
                      aria-label={text('clusters.show.removeLabel', { name: row.organisation?.name ?? row.organisation_id })}
                      onClick={() => void remove(row)}
                    >
                      {text('clusters.show.remove')}
                    </Button>
                  )}
                />
              )}
            </Table>
          )}
        </Section>
      )}

      {cluster && (
        <Section title={`${text('clusters.show.usersTitle')} (${assignmentRows.length})`}>
          <Typography.Paragraph type="secondary">{text('clusters.show.usersHelp')}</Typography.Paragraph>
          {assignments.query.isError ? (
            <Alert type="error" showIcon message={text('clusters.show.usersError')} description={assignments.query.error?.message} />
          ) : (
            <Table<ClusterAssignmentRow>
              dataSource={assignmentRows}
              rowKey="membership_id"
              size="small"
              loading={assignments.query.isLoading}
              pagination={assignmentRows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('clusters.show.usersEmpty')} /> }}
            >
              <Table.Column<ClusterAssignmentRow>
                title={text('clusters.fields.person')}
                render={(_, row) => {
                  const profile = row.membership?.profile;
                  const name = profile?.full_name || profile?.email || text('clusters.show.personHidden');
                  return maySeeUsers && row.membership && profile ? (
                    <Link to={path(`/users/${row.membership.profile_id}`)}>{name}</Link>
                  ) : (
                    name
                  );
                }}
              />
              <Table.Column<ClusterAssignmentRow> title={text('clusters.fields.email')} render={(_, row) => row.membership?.profile?.email ?? '–'} />
              <Table.Column<ClusterAssignmentRow>
                title={text('clusters.fields.roles')}
                render={(_, row) => (row.membership ? <RoleTags roles={row.membership.roles} /> : '–')}
              />
              <Table.Column<ClusterAssignmentRow>
                title={text('clusters.fields.status')}
                width={120}
                render={(_, row) => (row.membership ? <MembershipStatusTag status={row.membership.status} /> : '–')}
              />
              <Table.Column<ClusterAssignmentRow>
                title={text('clusters.fields.assigned')}
                dataIndex="assigned_at"
                width={120}
                render={(value: string) => formatUkDate(value)}
              />
            </Table>
          )}
        </Section>
      )}
    </Show>
  );
}
