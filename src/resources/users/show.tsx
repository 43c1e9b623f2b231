// One person: details and account status, memberships with their roles and
// clusters, the account and membership actions, and the audit timeline.
// Every action is a database function; the page only offers them.
import { ArrowLeftOutlined, MailOutlined, PlusOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { ResultTitle, Show } from '../../components/page.tsx';
import { CanAccess, useGo, useList, useNotification, useOne, type HttpError } from '@refinedev/core';
import { Alert, Button, Card, Descriptions, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { useAccess } from '../../providers/access-context.tsx';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { RoleTags } from '../../components/role-tags.tsx';
import { AccountStatusTag, MembershipStatusTag } from '../../components/status-tag.tsx';
import { AuditTimeline } from './audit-timeline.tsx';
import { AddOrganisationModal } from './add-organisation-modal.tsx';
import { DisableAccountModal } from './disable-account-modal.tsx';
import { EditRolesModal } from './edit-roles-modal.tsx';
import { formatUkDateTimeShort, formatUkDay } from './format.ts';
import { sendInvitationEmail } from './invitation-email.ts';
import { MembershipClusters } from './membership-clusters.tsx';
import { RevokeModal } from './revoke-modal.tsx';
import { sideOfOrganisationType } from './roles.ts';
import { useUsersText } from './text.ts';
import {
  personLabel,
  USER_DIRECTORY,
  type ClusterAssignmentRow,
  type ClusterSummary,
  type DirectoryMembership,
  type UserDirectoryRow,
} from './types.ts';
import { useUserAction } from './use-user-action.ts';

/** After the invite wizard: `?invited=1` email sent, `existing` an active account got new access, `unsent` the email failed. */
export const INVITED_PARAM = 'invited';

export function UserShow() {
  const text = useUsersText();
  const go = useGo();
  const { id = '' } = useParams();
  const { query, result: user } = useOne<UserDirectoryRow, HttpError>({
    resource: USER_DIRECTORY,
    id,
    errorNotification: false,
    queryOptions: { enabled: id !== '' },
  });

  const backToList = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => go({ to: { resource: 'users', action: 'list' } })}>
      {text('users.actions.backToList')}
    </Button>
  );

  if (query.isError) {
    return (
      <Show resource="users" goBack={false} title={text('users.titles.show')} headerButtons={backToList}>
        <Alert type="error" showIcon message={text('users.show.loadFailed')} description={query.error?.message} />
      </Show>
    );
  }
  if (!query.isLoading && !user) {
    return (
      <Result
        status="404"
        title={<ResultTitle>{text('users.show.notFoundTitle')}</ResultTitle>}
        subTitle={text('users.show.notFoundText')}
        extra={backToList}
      />
    );
  }

  return (
    <Show
      resource="users"
      recordItemId={id}
      goBack={false}
      // The sections are cards of their own: no card around them.
      contentProps={{ style: { background: 'transparent', boxShadow: 'none' }, styles: { body: { padding: 0 } } }}
      isLoading={query.isLoading}
      title={user ? personLabel(user) : text('users.titles.show')}
      headerButtons={backToList}
    >
      {user && <UserDetails user={user} />}
    </Show>
  );
}

function UserDetails({ user }: { user: UserDirectoryRow }) {
  const text = useUsersText();
  const action = useUserAction();
  const confirm = useConfirmAction();
  const { open } = useNotification();
  const [searchParams] = useSearchParams();
  const [editing, setEditing] = useState<DirectoryMembership>();
  const [revoking, setRevoking] = useState<DirectoryMembership>();
  const [disabling, setDisabling] = useState(false);
  const [adding, setAdding] = useState(false);
  const [resending, setResending] = useState(false);
  const { access } = useAccess();
  // The database refuses changes to your own account and access: do not offer them.
  const isSelf = access?.profile_id === user.id;
  const name = personLabel(user);
  const memberships = user.memberships ?? [];
  const disabled = user.status === 'disabled';
  // The database adds organisations to active and invited accounts only.
  const mayAddOrganisation = !isSelf && (user.status === 'active' || user.status === 'invited');

  const membershipIds = memberships.map((m) => m.membership_id);
  const assignments = useList<ClusterAssignmentRow>({
    resource: 'cluster_assignments',
    filters: [{ field: 'membership_id', operator: 'in', value: membershipIds }],
    pagination: { mode: 'off' },
    meta: { select: 'membership_id, cluster_id, assigned_at, clusters(id, short_name, name)' },
    queryOptions: { enabled: membershipIds.length > 0 },
    errorNotification: false,
  });
  const clustersOf = (membershipId: string): ClusterSummary[] =>
    assignments.result.data
      .filter((row) => row.membership_id === membershipId && row.clusters)
      .map((row) => row.clusters!)
      .sort((a, b) => a.short_name.localeCompare(b.short_name));

  const invited = searchParams.get(INVITED_PARAM);

  const enableAccount = async () => {
    const ok = await confirm({
      title: text('users.account.enableTitle', { name }),
      content: text('users.account.enableExplanation'),
      okText: text('users.account.enable'),
    });
    if (ok) await action.run('enable_account', { p_profile_id: user.id }, text('users.account.enabled', { name }));
  };

  const enableMembership = async (membership: DirectoryMembership) => {
    const ok = await confirm({
      title: text('users.memberships.enableTitle', { organisation: membership.name }),
      content: text('users.memberships.enableExplanation', { name, organisation: membership.name }),
      okText: text('users.memberships.enable'),
    });
    if (ok) {
      await action.run(
        'enable_membership',
        { p_membership_id: membership.membership_id },
        text('users.memberships.enabled', { organisation: membership.name }),
      );
    }
  };

  const resendInvitation = async () => {
    setResending(true);
    const outcome = await sendInvitationEmail(user.id);
    setResending(false);
    if (outcome.ok) open?.({ type: 'success', message: text('users.invite.sentAgain', { email: user.email ?? name }) });
    else open?.({ type: 'error', message: text('users.invite.emailFailed'), description: outcome.message });
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {isSelf && <Alert type="info" showIcon message={text('users.show.selfTitle')} description={text('users.show.selfText')} />}
      {invited === '1' && (
        <Alert type="success" showIcon closable message={text('users.invite.sentTitle')} description={text('users.invite.sentText', { email: user.email ?? name })} />
      )}
      {invited === 'existing' && (
        <Alert type="success" showIcon closable message={text('users.invite.existingTitle')} description={text('users.invite.existingText', { email: user.email ?? name })} />
      )}
      {invited === 'unsent' && (
        <Alert type="warning" showIcon closable message={text('users.invite.savedNotSentTitle')} description={text('users.invite.savedNotSentText')} />
      )}

      <Card
        title={text('users.show.accountTitle')}
        extra={
          !isSelf && (
            <CanAccess resource="users" action="edit">
              <AccountActions
                user={user}
                pendingAction={action.pending}
                resending={resending}
                onResend={() => void resendInvitation()}
                onEnable={() => void enableAccount()}
                onDisable={() => setDisabling(true)}
              />
            </CanAccess>
          )
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={text('users.fields.name')}>{user.full_name ?? '–'}</Descriptions.Item>
          <Descriptions.Item label={text('users.fields.email')}>
            <Space size={4} wrap>
              <span>{user.email ?? '–'}</span>
              {user.generic_mailbox && (
                <Tooltip title={text('users.show.genericMailboxHelp')}>
                  <Tag color="orange">{text('users.show.genericMailbox')}</Tag>
                </Tooltip>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={text('users.fields.accountStatus')}>
            <AccountStatusTag status={user.status} />
          </Descriptions.Item>
          <Descriptions.Item label={text('users.fields.created')}>
            <Tooltip title={text('users.fields.ukTime', { time: formatUkDateTimeShort(user.created_at) })}>
              <time dateTime={user.created_at}>{formatUkDay(user.created_at)}</time>
            </Tooltip>
          </Descriptions.Item>
          {user.status === 'disabled' && (
            <Descriptions.Item label={text('users.fields.disabledReason')} span="filled">
              {user.disabled_reason
                ? user.disabled_reason === 'other'
                  ? (user.disabled_reason_text ?? text.shared('disableReason.other', 'Other'))
                  : text.shared(`disableReason.${user.disabled_reason}`, user.disabled_reason)
                : text('users.show.reasonNotShown')}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <Card
        title={text('users.show.membershipsTitle')}
        extra={
          mayAddOrganisation && (
            // Those who may give access (as inviting): not Provider Approvers (add_membership agrees).
            <CanAccess resource="users" action="create">
              <Button icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                {text('users.addOrganisation.button')}
              </Button>
            </CanAccess>
          )
        }
      >
        {assignments.query.isError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={text('users.clusters.loadFailed')}
            description={assignments.query.error?.message}
          />
        )}
        <Table<DirectoryMembership>
          dataSource={memberships}
          rowKey="membership_id"
          size="middle"
          pagination={false}
          scroll={{ x: 900 }}
          locale={{ emptyText: text('users.memberships.empty') }}
        >
          <Table.Column<DirectoryMembership>
            key="organisation"
            title={text('users.fields.organisation')}
            render={(_v, m) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{m.name}</Typography.Text>
                <Typography.Text type="secondary">
                  {[m.ods_code, text.shared(`organisationType.${m.type}`, m.type)].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Space>
            )}
          />
          <Table.Column<DirectoryMembership>
            key="roles"
            title={text('users.fields.roles')}
            render={(_v, m) => <RoleTags roles={m.roles} />}
          />
          <Table.Column<DirectoryMembership>
            key="status"
            title={text('users.fields.membershipStatus')}
            width={120}
            render={(_v, m) => <MembershipStatusTag status={m.status} />}
          />
          <Table.Column<DirectoryMembership>
            key="clusters"
            title={text('users.fields.clusters')}
            render={(_v, m) =>
              sideOfOrganisationType(m.type) === 'commissioner' ? (
                <MembershipClusters
                  membership={m}
                  assigned={clustersOf(m.membership_id)}
                  personName={name}
                  action={action}
                  readOnly={isSelf}
                />
              ) : (
                <Typography.Text type="secondary">{text('users.clusters.notApplicable')}</Typography.Text>
              )
            }
          />
          <Table.Column<DirectoryMembership>
            key="actions"
            title={text('users.fields.actions')}
            width={200}
            render={(_v, m) =>
              isSelf ? (
                <Typography.Text type="secondary">–</Typography.Text>
              ) : disabled ? (
                // Nothing to change on a disabled account's memberships until it is enabled again.
                <Typography.Text type="secondary">{text('users.memberships.accountDisabled')}</Typography.Text>
              ) : (
                <CanAccess resource="users" action="edit" fallback={<Typography.Text type="secondary">–</Typography.Text>}>
                  <MembershipActions
                    membership={m}
                    enabling={action.pending === 'enable_membership'}
                    onEditRoles={() => setEditing(m)}
                    onRevoke={() => setRevoking(m)}
                    onEnable={() => void enableMembership(m)}
                  />
                </CanAccess>
              )
            }
          />
        </Table>
      </Card>

      <Card title={text('users.show.auditTitle')}>
        <AuditTimeline user={user} />
      </Card>

      <EditRolesModal
        membership={editing}
        personName={name}
        saving={action.pending === 'assign_roles'}
        onCancel={() => setEditing(undefined)}
        onSave={async (roles) => {
          if (!editing) return;
          const ok = await action.run(
            'assign_roles',
            { p_membership_id: editing.membership_id, p_roles: roles },
            text('users.roles.saved', { organisation: editing.name }),
          );
          if (ok) setEditing(undefined);
        }}
      />
      <RevokeModal
        membership={revoking}
        personName={name}
        saving={action.pending === 'revoke_membership'}
        onCancel={() => setRevoking(undefined)}
        onRevoke={async (reason) => {
          if (!revoking) return;
          const ok = await action.run(
            'revoke_membership',
            { p_membership_id: revoking.membership_id, p_reason: reason },
            text('users.revoke.done', { organisation: revoking.name }),
          );
          if (ok) setRevoking(undefined);
        }}
      />
      <AddOrganisationModal
        open={adding}
        personName={name}
        memberships={memberships}
        saving={action.pending === 'add_membership'}
        onCancel={() => setAdding(false)}
        onAdd={async (organisation, roles) => {
          const ok = await action.run(
            'add_membership',
            { p_profile_id: user.id, p_organisation_id: organisation.id, p_roles: roles },
            text('users.addOrganisation.added', { name, organisation: organisation.name }),
          );
          if (ok) setAdding(false);
        }}
      />
      <DisableAccountModal
        open={disabling}
        personName={name}
        saving={action.pending === 'disable_account'}
        onCancel={() => setDisabling(false)}
        onDisable={async (reason, reasonText) => {
          const ok = await action.run(
            'disable_account',
            { p_profile_id: user.id, p_reason: reason, p_reason_text: reasonText },
            text('users.account.disabled', { name }),
          );
          if (ok) setDisabling(false);
        }}
      />
    </Space>
  );
}

interface AccountActionsProps {
  user: UserDirectoryRow;
  pendingAction: string | undefined;
  resending: boolean;
  onResend: () => void;
  onEnable: () => void;
  onDisable: () => void;
}

/** Account-wide actions: send the invitation again, disable or enable. */
function AccountActions({ user, pendingAction, resending, onResend, onEnable, onDisable }: AccountActionsProps) {
  const text = useUsersText();
  return (
    <Space wrap>
      {user.status === 'invited' && (
        <Button icon={<MailOutlined />} loading={resending} onClick={onResend}>
          {text('users.invite.sendAgain')}
        </Button>
      )}
      {user.status === 'disabled' && (
        <Button icon={<UnlockOutlined />} loading={pendingAction === 'enable_account'} onClick={onEnable}>
          {text('users.account.enable')}
        </Button>
      )}
      {user.status !== 'disabled' && user.status !== 'rejected' && (
        <Button danger icon={<StopOutlined />} onClick={onDisable}>
          {text('users.account.disable')}
        </Button>
      )}
    </Space>
  );
}

interface MembershipActionsProps {
  membership: DirectoryMembership;
  enabling: boolean;
  onEditRoles: () => void;
  onRevoke: () => void;
  onEnable: () => void;
}

/** What can be done with one membership in its state. */
function MembershipActions({ membership: m, enabling, onEditRoles, onRevoke, onEnable }: MembershipActionsProps) {
  const text = useUsersText();
  if (m.status === 'active') {
    return (
      <Space wrap size={[8, 4]}>
        <Button size="small" onClick={onEditRoles} aria-label={text('users.memberships.editRolesAt', { organisation: m.name })}>
          {text('users.memberships.editRoles')}
        </Button>
        <Button size="small" danger onClick={onRevoke} aria-label={text('users.memberships.revokeAt', { organisation: m.name })}>
          {text('users.memberships.revoke')}
        </Button>
      </Space>
    );
  }
  if (m.status === 'revoked') {
    return (
      <Button size="small" loading={enabling} onClick={onEnable} aria-label={text('users.memberships.enableAt', { organisation: m.name })}>
        {text('users.memberships.enable')}
      </Button>
    );
  }
  // Requested and rejected memberships are decided in the registration and access-request queues.
  return <Typography.Text type="secondary">{text('users.memberships.decidedElsewhere')}</Typography.Text>;
}
