// The clusters a commissioner membership is restricted to, with Assign and
// Unassign (public.assign_cluster / public.unassign_cluster) for User
// Administrators only (RESOURCE_ROLES users.assign-clusters; not the Support Desk).
import { PlusOutlined } from '@ant-design/icons';
import { CanAccess, useList } from '@refinedev/core';
import { Alert, Button, Form, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useUsersText } from './text.ts';
import type { ClusterSummary, DirectoryMembership } from './types.ts';
import type { UserAction } from './use-user-action.ts';
import { mustChoose } from '../../components/form-rules.ts';

export interface MembershipClustersProps {
  membership: DirectoryMembership;
  assigned: ClusterSummary[];
  personName: string;
  action: UserAction;
  /** Show the clusters without Assign / Unassign (e.g. your own membership). */
  readOnly?: boolean;
}

export function MembershipClusters({ membership, assigned, personName, action, readOnly = false }: MembershipClustersProps) {
  const text = useUsersText();
  const confirm = useConfirmAction();
  const [assigning, setAssigning] = useState(false);
  const canChange = !readOnly && membership.status !== 'rejected';

  const unassign = async (cluster: ClusterSummary) => {
    const ok = await confirm({
      title: text('users.clusters.unassignTitle', { cluster: cluster.short_name }),
      content:
        assigned.length === 1
          ? text('users.clusters.unassignLast', { name: personName, organisation: membership.name })
          : text('users.clusters.unassignSome', { name: personName, cluster: cluster.short_name }),
      okText: text('users.clusters.unassign'),
      danger: true,
    });
    if (!ok) return;
    await action.run(
      'unassign_cluster',
      { p_cluster_id: cluster.id, p_membership_id: membership.membership_id },
      text('users.clusters.unassigned', { cluster: cluster.short_name }),
    );
  };

  return (
    <Space direction="vertical" size={4}>
      {assigned.length === 0 ? (
        <Typography.Text type="secondary">{text('users.clusters.none')}</Typography.Text>
      ) : (
        <Space size={[4, 4]} wrap>
          {assigned.map((cluster) => (
            <Tag key={cluster.id} color="purple" style={{ marginInlineEnd: 0 }}>
              <span title={cluster.name}>
                {cluster.short_name} · {cluster.name}
              </span>
              {canChange && (
                <CanAccess resource="users" action="assign-clusters">
                  <Button
                    type="link"
                    size="small"
                    danger
                    style={{ paddingInline: 4, height: 'auto' }}
                    aria-label={text('users.clusters.unassignLabel', { cluster: cluster.short_name })}
                    onClick={() => void unassign(cluster)}
                  >
                    {text('users.clusters.unassign')}
                  </Button>
                </CanAccess>
              )}
            </Tag>
          ))}
        </Space>
      )}
      {canChange && (
        <CanAccess resource="users" action="assign-clusters">
          <Button size="small" icon={<PlusOutlined />} onClick={() => setAssigning(true)}>
            {text('users.clusters.assign')}
          </Button>
        </CanAccess>
      )}
      {assigning && (
        <AssignClusterModal
          membership={membership}
          assigned={assigned}
          saving={action.pending === 'assign_cluster'}
          onCancel={() => setAssigning(false)}
          onAssign={async (clusterId, label) => {
            const ok = await action.run(
              'assign_cluster',
              { p_cluster_id: clusterId, p_membership_id: membership.membership_id },
              text('users.clusters.assigned', { cluster: label }),
            );
            if (ok) setAssigning(false);
          }}
        />
      )}
    </Space>
  );
}

interface AssignClusterModalProps {
  membership: DirectoryMembership;
  assigned: ClusterSummary[];
  saving: boolean;
  onAssign: (clusterId: string, label: string) => void;
  onCancel: () => void;
}

function AssignClusterModal({ membership, assigned, saving, onAssign, onCancel }: AssignClusterModalProps) {
  const text = useUsersText();
  const [form] = Form.useForm<{ clusterId?: string }>();
  const { query, result } = useList<ClusterSummary & { commissioner_id: string }>({
    resource: 'clusters',
    filters: [{ field: 'commissioner_id', operator: 'eq', value: membership.organisation_id }],
    sorters: [{ field: 'short_name', order: 'asc' }],
    pagination: { mode: 'off' },
    meta: { select: 'id, short_name, name, commissioner_id' },
    errorNotification: false,
  });
  const assignedIds = new Set(assigned.map((cluster) => cluster.id));
  const available = result.data.filter((cluster) => !assignedIds.has(cluster.id));

  return (
    <Modal
      open
      title={text('users.clusters.assignTitle', { organisation: membership.name })}
      okText={text('users.clusters.assign')}
      okButtonProps={{ loading: saving, disabled: available.length === 0 }}
      cancelText={text('users.actions.cancel')}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph>{text('users.clusters.assignExplanation')}</Typography.Paragraph>
      {query.isError && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('users.clusters.loadFailed')} description={query.error?.message} />
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ clusterId }) => {
          const cluster = available.find((c) => c.id === clusterId);
          if (cluster) onAssign(cluster.id, cluster.short_name);
        }}
      >
        <Form.Item
          name="clusterId"
          label={text('users.clusters.cluster')}
          rules={[mustChoose(text('users.clusters.chooseCluster'))]}
        >
          <Select
            loading={query.isLoading}
            showSearch
            optionFilterProp="label"
            placeholder={text('users.clusters.choosePlaceholder')}
            notFoundContent={query.isLoading ? text('users.list.loading') : text('users.clusters.noneAvailable')}
            options={available.map((cluster) => ({ value: cluster.id, label: `${cluster.short_name} · ${cluster.name}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
