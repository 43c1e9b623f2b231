// Review one pending registration: who registered, with which address, for
// which organisation and roles; Approve (after a confirmation) or Reject (with
// a reason). The row comes from public.pending_registrations, so a registration
// the caller may not decide, or one already decided, is "not found".
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { ResultTitle, Show } from '../../components/page.tsx';
import { useOne } from '@refinedev/core';
import { Alert, Button, Descriptions, Result, Skeleton, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { RoleTags } from '../../components/role-tags.tsx';
import { useDecision, RejectDialog } from './decision.tsx';
import { RegistrationFlags } from './list.tsx';
import { DateTimeCell } from './queue.tsx';
import { organisationLabel } from './register.tsx';
import { useText, type Text } from './text.ts';
import { PENDING_REGISTRATIONS_VIEW, type PendingRegistration } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | undefined): value is string {
  return Boolean(value && UUID.test(value));
}

/** "Claim Submitter, Achievement Entry" */
export function rolesInWords(text: Text, roles: readonly string[] | null | undefined): string {
  return (roles ?? []).map((role) => text.role(role)).join(', ');
}

/** The 404 of a review screen: decided already, never existed, or not the caller's to decide. */
export function NotFoundResult({ title, description, backLabel, onBack }: { title: string; description: string; backLabel: string; onBack: () => void }) {
  return (
    <Result
      status="404"
      title={<ResultTitle>{title}</ResultTitle>}
      subTitle={description}
      extra={
        <Button type="primary" onClick={onBack}>
          {backLabel}
        </Button>
      }
    />
  );
}

export function RegistrationReview() {
  const text = useText();
  const { id } = useParams();
  const valid = isUuid(id);
  const { result: row, query } = useOne<PendingRegistration>({
    resource: PENDING_REGISTRATIONS_VIEW,
    id: id ?? '',
    meta: { idColumnName: 'profile_id' },
    queryOptions: { enabled: valid },
  });
  const decision = useDecision({ resource: 'registrations', view: PENDING_REGISTRATIONS_VIEW });
  const [rejecting, setRejecting] = useState(false);

  const name = row?.full_name ?? row?.email ?? '';
  const email = row?.email ?? '';
  const organisation = row?.organisation_name ? organisationLabel({ name: row.organisation_name, ods_code: row.ods_code }) : undefined;

  function approve() {
    if (!row) return;
    void decision.approve({
      rpc: 'approve_registration',
      args: { p_profile_id: row.profile_id },
      title: text('registrations.show.approveTitle'),
      content: organisation
        ? text('registrations.show.approveText', { name, email, organisation, roles: rolesInWords(text, row.roles) })
        : text('registrations.show.approveTextNoOrganisation', { name, email }),
      done: { message: text('registrations.show.approved'), description: text('registrations.show.approvedText', { name }) },
    });
  }

  async function reject(reason: string) {
    if (!row) return;
    await decision.reject({
      rpc: 'reject_registration',
      args: { p_profile_id: row.profile_id, p_reason: reason },
      done: { message: text('registrations.show.rejected'), description: text('registrations.show.rejectedText', { name }) },
    });
    setRejecting(false);
  }

  const loading = valid && query.isLoading;
  const notFound = !valid || (!loading && !query.isError && !row);

  if (notFound) {
    return (
      <NotFoundResult
        title={text('registrations.show.notFoundTitle')}
        description={text('registrations.show.notFoundText')}
        backLabel={text('registrations.show.backToList')}
        onBack={() => decision.backToList()}
      />
    );
  }

  const approveButton = (
    <Button
      type="primary"
      icon={<CheckOutlined aria-hidden />}
      onClick={approve}
      loading={decision.busy}
      disabled={!row || row.generic_mailbox}
    >
      {text('registrations.show.approve')}
    </Button>
  );

  return (
    <Show
      title={text('registrations.titles.show')}
      isLoading={false}
      // No back arrow: antd's back control is a clickable <div> that no keyboard reaches (and
      // Refine's button inside it nests two controls). The breadcrumb links back to the queue.
      goBack={false}
      headerButtons={
        row ? (
          <Space>
            <Button danger icon={<CloseOutlined aria-hidden />} onClick={() => setRejecting(true)} disabled={decision.busy}>
              {text('registrations.show.reject')}
            </Button>
            {row.generic_mailbox ? (
              <Tooltip title={text('registrations.show.approveDisabledGeneric')}>
                {/* A disabled button gets no hover events; the span carries the tooltip. The alert below says it for everyone. */}
                <span>{approveButton}</span>
              </Tooltip>
            ) : (
              approveButton
            )}
          </Space>
        ) : null
      }
    >
      {query.isError && (
        <Alert type="error" showIcon message={text('registrations.show.loadFailed')} description={query.error?.message} />
      )}
      {loading && <Skeleton active paragraph={{ rows: 5 }} />}
      {row && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {row.generic_mailbox && (
            <Alert
              type="warning"
              showIcon
              message={text('registrations.show.genericTitle')}
              description={text('registrations.show.genericText', { email })}
            />
          )}
          {row.commissioner_administrator && (
            <Alert
              type="info"
              showIcon
              message={text('registrations.show.supportDeskTitle')}
              description={text('registrations.show.supportDeskText')}
            />
          )}
          {!row.organisation_id && <Alert type="info" showIcon message={text('registrations.show.noOrganisation')} />}
          {decision.failure && (
            <Alert type="error" showIcon message={decision.failure.message} description={decision.failure.description} />
          )}
          <Descriptions bordered column={1} size="middle" styles={{ label: { width: 220 } }}>
            <Descriptions.Item label={text('registrations.show.person')}>
              <Space wrap>
                <Typography.Text strong>{row.full_name ?? '–'}</Typography.Text>
                <RegistrationFlags row={row} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={text('registrations.show.email')}>{row.email ?? '–'}</Descriptions.Item>
            <Descriptions.Item label={text('registrations.show.registered')}>
              <DateTimeCell value={row.registered_at} />
            </Descriptions.Item>
            <Descriptions.Item label={text('registrations.show.organisation')}>
              {organisation ? (
                <>
                  {organisation}
                  {row.organisation_type && (
                    <Typography.Text type="secondary"> · {text.organisationType(row.organisation_type)}</Typography.Text>
                  )}
                </>
              ) : (
                '–'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={text('registrations.show.roles')}>
              <RoleTags roles={row.roles ?? []} />
            </Descriptions.Item>
          </Descriptions>
        </Space>
      )}
      {row && (
        <RejectDialog
          open={rejecting}
          title={text('registrations.show.rejectTitle', { name })}
          intro={text('registrations.show.rejectIntro', { name })}
          initialReason={row.generic_mailbox ? text('registrations.show.genericReason', { email }) : undefined}
          onCancel={() => setRejecting(false)}
          onReject={reject}
        />
      )}
    </Show>
  );
}
