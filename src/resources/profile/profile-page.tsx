// /profile: the signed-in person's own details (name editable; profiles RLS
// lets a person update only their own full_name), account status,
// memberships with roles and clusters, a request for access to another
// organisation, and disabling the account. Works without any membership.
import { StopOutlined, TeamOutlined } from '@ant-design/icons';
import { useNotification, useTranslate, useUpdate, useWarnAboutChange } from '@refinedev/core';
import { Button, Card, Col, ConfigProvider, Descriptions, Empty, Form, Input, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { contextHome } from '../../components/context-path.ts';
import { personNameRule } from '../../components/form-rules.ts';
import { AccessLoading, NoContextBanner } from '../../components/portal-layout.tsx';
import { RoleTags } from '../../components/role-tags.tsx';
import { AccountStatusTag, MembershipStatusTag } from '../../components/status-tag.tsx';
import { useAccess } from '../../providers/access-context.tsx';
import type { AccessMembership } from '../../providers/access.ts';
import { DisableOwnAccountModal } from './disable-account.tsx';
import { NotificationPreferencesCard } from './notification-preferences.tsx';
import { RequestAccessModal } from './request-access.tsx';
import { PageTitle } from '../../components/page.tsx';

const FULL_NAME_MAX_LENGTH = 200;
/** NHS warm red: 4.9:1 on white. */
const DANGER_RED = '#d5281b';

interface DetailsValues {
  full_name: string;
}

function DetailsCard() {
  const translate = useTranslate();
  const { access, refresh } = useAccess();
  const [form] = Form.useForm<DetailsValues>();
  const { setWarnWhen } = useWarnAboutChange();
  const { mutate: update } = useUpdate();
  const [saving, setSaving] = useState(false);
  const [dirty, setDirty] = useState(false);

  const savedName = access?.full_name ?? '';
  useEffect(() => {
    form.setFieldsValue({ full_name: savedName });
    setDirty(false);
  }, [form, savedName]);

  if (!access) return null;

  function save(values: DetailsValues) {
    if (!access) return;
    setSaving(true);
    update(
      {
        resource: 'profiles',
        id: access.profile_id,
        values: { full_name: values.full_name.trim() },
        meta: { select: 'id,full_name' },
        successNotification: () => ({ type: 'success', message: translate('profile.details.saved', 'Your name has been saved') }),
        errorNotification: (error) => ({
          type: 'error',
          message: translate('profile.details.saveError', 'Your name could not be saved'),
          description: error?.message,
        }),
      },
      {
        onSuccess: () => {
          setWarnWhen(false);
          setDirty(false);
          void refresh();
        },
        onSettled: () => setSaving(false),
      },
    );
  }

  return (
    <Card title={translate('profile.details.title', 'Your details')} style={{ height: '100%' }}>
      <Form<DetailsValues>
        form={form}
        layout="vertical"
        name="profile-details"
        initialValues={{ full_name: savedName }}
        onValuesChange={(_changed, all) => {
          const changed = (all.full_name ?? '').trim() !== savedName;
          setDirty(changed);
          setWarnWhen(changed);
        }}
        onFinish={save}
      >
        <Form.Item
          name="full_name"
          label={translate('profile.details.fullName', 'Full name')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: translate('profile.details.fullNameRequired', 'Enter your full name.') },
            {
              max: FULL_NAME_MAX_LENGTH,
              message: translate('profile.details.fullNameTooLong', 'Use at most 200 characters.'),
            },
            personNameRule(),
          ]}
        >
          <Input autoComplete="name" maxLength={FULL_NAME_MAX_LENGTH} />
        </Form.Item>
        <Form.Item
          label={translate('profile.details.email', 'Email address')}
          htmlFor="profile-email"
          extra={translate('profile.details.emailHelp', 'Your email address is your username. Ask the Support Desk to change it.')}
        >
          <Input id="profile-email" value={access.email} readOnly variant="filled" />
        </Form.Item>
        <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
          <Descriptions.Item label={translate('profile.details.status', 'Account status')}>
            <AccountStatusTag status={access.status} />
          </Descriptions.Item>
          {access.platform_roles.length > 0 && (
            <Descriptions.Item label={translate('profile.platformRoles', 'Platform roles')}>
              <RoleTags roles={access.platform_roles} />
            </Descriptions.Item>
          )}
        </Descriptions>
        <Button type="primary" htmlType="submit" loading={saving} disabled={!dirty}>
          {translate('profile.details.save', 'Save my name')}
        </Button>
      </Form>
    </Card>
  );
}

function MembershipsCard() {
  const translate = useTranslate();
  const { access, refresh } = useAccess();
  const { open: notify } = useNotification();
  const [requesting, setRequesting] = useState(false);
  if (!access) return null;
  // Organisations already held or asked for: request_access would refuse them (PT409).
  const taken = access.memberships
    .filter((membership) => membership.status === 'active' || membership.status === 'requested')
    .map((membership) => membership.organisation_id);

  return (
    <Card
      title={translate('profile.memberships.title', 'Your organisations')}
      extra={
        access.status === 'active' && (
          <Button icon={<TeamOutlined />} onClick={() => setRequesting(true)}>
            {translate('profile.request.button', 'Request access to another organisation')}
          </Button>
        )
      }
    >
      <Table<AccessMembership>
        rowKey="membership_id"
        size="middle"
        dataSource={access.memberships}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{
          // An <Empty>, not bare text: antd draws bare text in its disabled grey (2.6:1, below WCAG AA).
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={translate('profile.memberships.empty', 'You are not a member of any organisation yet')}
            />
          ),
        }}
        columns={[
          {
            key: 'organisation',
            title: translate('profile.memberships.organisation', 'Organisation'),
            render: (_, membership) => {
              const label = `${membership.ods_code} – ${membership.name}`;
              return membership.status === 'active' && membership.ods_code ? (
                <Link to={contextHome({ key: membership.ods_code })}>{label}</Link>
              ) : (
                label
              );
            },
          },
          {
            key: 'type',
            title: translate('profile.memberships.type', 'Type'),
            dataIndex: 'type',
            width: 150,
            render: (type: string) => translate(`organisationType.${type}`, type),
          },
          {
            key: 'roles',
            title: translate('profile.memberships.roles', 'Roles'),
            render: (_, membership) => <RoleTags roles={membership.roles} />,
          },
          {
            key: 'status',
            title: translate('profile.memberships.status', 'Status'),
            width: 120,
            render: (_, membership) => <MembershipStatusTag status={membership.status} />,
          },
          {
            key: 'clusters',
            title: translate('profile.memberships.clusters', 'Clusters'),
            width: 180,
            render: (_, membership) =>
              membership.clusters.length === 0 ? (
                <Typography.Text type="secondary">
                  {membership.side === 'commissioner'
                    ? translate('profile.memberships.allOrganisations', 'Whole organisation')
                    : '–'}
                </Typography.Text>
              ) : (
                <Space size={[0, 4]} wrap>
                  {membership.clusters.map((cluster) => (
                    <Tooltip key={cluster.id} title={cluster.name}>
                      <Tag>{cluster.short_name}</Tag>
                    </Tooltip>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      <RequestAccessModal
        open={requesting}
        excludeIds={taken}
        onClose={() => setRequesting(false)}
        onRequested={(organisation) => {
          setRequesting(false);
          notify?.({
            type: 'success',
            message: translate('profile.request.sent', 'Request sent'),
            description: translate(
              'profile.request.sentDescription',
              { organisation: organisation.name },
              `Your request for access to ${organisation.name} is waiting for an administrator.`,
            ),
          });
          void refresh();
        }}
      />
    </Card>
  );
}

function DisableCard() {
  const translate = useTranslate();
  const { access } = useAccess();
  const [open, setOpen] = useState(false);
  if (access?.status !== 'active') return null;
  return (
    // antd's default red on white is too faint for small text (WCAG AA); NHS warm red is not.
    <ConfigProvider theme={{ token: { colorError: DANGER_RED } }}>
      <Card
        title={translate('profile.disable.title', 'Disable my account')}
        styles={{ header: { color: DANGER_RED } }}
        style={{ height: '100%' }}
      >
        <Typography.Paragraph>
          {translate(
            'profile.disable.intro',
            'If you no longer need the portal, you can disable your account. You will be signed out and cannot sign in again until the Support Desk or an administrator enables it. Your records are kept for audit.',
          )}
        </Typography.Paragraph>
        <Button danger icon={<StopOutlined />} onClick={() => setOpen(true)}>
          {translate('profile.disable.button', 'Disable my account')}
        </Button>
        <DisableOwnAccountModal open={open} onClose={() => setOpen(false)} />
      </Card>
    </ConfigProvider>
  );
}

export function ProfilePage() {
  const translate = useTranslate();
  const { access, isLoading } = useAccess();
  if (!access && isLoading) return <AccessLoading />;
  const active = access?.status === 'active';
  return (
    <div>
      {/* The page's h1, as on every page (PageTitle). */}
      <div style={{ marginBottom: 16 }}>
        <PageTitle>{translate('profile.title', 'My profile')}</PageTitle>
      </div>
      <NoContextBanner />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={active ? 12 : 24}>
          <DetailsCard />
        </Col>
        {active && (
          <Col xs={24} xl={12}>
            <DisableCard />
          </Col>
        )}
        <Col span={24}>
          <MembershipsCard />
        </Col>
        {active && (
          <Col span={24}>
            <NotificationPreferencesCard />
          </Col>
        )}
      </Row>
    </div>
  );
}
