// Review one request for access to another organisation: Approve (after a
// confirmation) or Reject (with a reason). The row comes from
// public.pending_access_requests, so one the caller may not decide, or one
// already decided, is "not found".
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Show } from '../../components/page.tsx';
import { useOne } from '@refinedev/core';
import { Alert, Button, Descriptions, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { RoleTags } from '../../components/role-tags.tsx';
import { RejectDialog, useDecision } from '../registrations/decision.tsx';
import { DateTimeCell } from '../registrations/queue.tsx';
import { organisationLabel } from '../registrations/register.tsx';
import { isUuid, NotFoundResult, rolesInWords } from '../registrations/show.tsx';
import { useText } from '../registrations/text.ts';
import { PENDING_ACCESS_REQUESTS_VIEW, type PendingAccessRequest } from '../registrations/types.ts';

export function AccessRequestReview() {
  const text = useText();
  const { id } = useParams();
  const valid = isUuid(id);
  const { result: row, query } = useOne<PendingAccessRequest>({
    resource: PENDING_ACCESS_REQUESTS_VIEW,
    id: id ?? '',
    meta: { idColumnName: 'membership_id' },
    queryOptions: { enabled: valid },
  });
  const decision = useDecision({ resource: 'access-requests', view: PENDING_ACCESS_REQUESTS_VIEW });
  const [rejecting, setRejecting] = useState(false);

  const name = row?.full_name ?? row?.email ?? '';
  const email = row?.email ?? '';
  const organisation = row ? organisationLabel({ name: row.organisation_name, ods_code: row.ods_code }) : '';

  function approve() {
    if (!row) return;
    void decision.approve({
      rpc: 'approve_access_request',
      args: { p_membership_id: row.membership_id },
      title: text('access-requests.show.approveTitle'),
      content: text('access-requests.show.approveText', { name, email, organisation, roles: rolesInWords(text, row.roles) }),
      done: { message: text('access-requests.show.approved'), description: text('access-requests.show.approvedText', { name, organisation }) },
    });
  }

  async function reject(reason: string) {
    if (!row) return;
    await decision.reject({
      rpc: 'reject_access_request',
      args: { p_membership_id: row.membership_id, p_reason: reason },
      done: { message: text('access-requests.show.rejected'), description: text('access-requests.show.rejectedText', { name }) },
    });
    setRejecting(false);
  }

  const loading = valid && query.isLoading;
  if (!valid || (!loading && !query.isError && !row)) {
    return (
      <NotFoundResult
        title={text('access-requests.show.notFoundTitle')}
        description={text('access-requests.show.notFoundText')}
        backLabel={text('access-requests.show.backToList')}
        onBack={() => decision.backToList()}
      />
    );
  }

  return (
    <Show
      title={text('access-requests.titles.show')}
      isLoading={false}
      // No back arrow: antd's back control is a clickable <div> that no keyboard reaches (and
      // Refine's button inside it nests two controls). The breadcrumb links back to the queue.
      goBack={false}
      headerButtons={
        row ? (
          <Space>
            <Button danger icon={<CloseOutlined aria-hidden />} onClick={() => setRejecting(true)} disabled={decision.busy}>
              {text('access-requests.show.reject')}
            </Button>
            <Button type="primary" icon={<CheckOutlined aria-hidden />} onClick={approve} loading={decision.busy}>
              {text('access-requests.show.approve')}
            </Button>
          </Space>
        ) : null
      }
    >
      {query.isError && (
        <Alert type="error" showIcon message={text('access-requests.show.loadFailed')} description={query.error?.message} />
      )}
      {loading && <Skeleton active paragraph={{ rows: 5 }} />}
      {row && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {decision.failure && (
            <Alert type="error" showIcon message={decision.failure.message} description={decision.failure.description} />
          )}
          <Descriptions bordered column={1} size="middle" styles={{ label: { width: 220 } }}>
            <Descriptions.Item label={text('access-requests.show.person')}>
              <Typography.Text strong>{row.full_name ?? '–'}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={text('access-requests.show.email')}>{row.email ?? '–'}</Descriptions.Item>
            <Descriptions.Item label={text('access-requests.show.requested')}>
              <DateTimeCell value={row.requested_at} />
            </Descriptions.Item>
            <Descriptions.Item label={text('access-requests.show.organisation')}>
              {organisation}
              <Typography.Text type="secondary"> · {text.organisationType(row.organisation_type)}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={text('access-requests.show.roles')}>
              <RoleTags roles={row.roles} />
            </Descriptions.Item>
          </Descriptions>
        </Space>
      )}
      {row && (
        <RejectDialog
          open={rejecting}
          title={text('access-requests.show.rejectTitle', { name })}
          intro={text('access-requests.show.rejectIntro', { name })}
          onCancel={() => setRejecting(false)}
          onReject={reject}
        />
      )}
    </Show>
  );
}
