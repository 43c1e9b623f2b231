// One declaration (/:org/declaration-management/:id): its practice, service,
// date, status and figures, when it was declared and approved, why it was
// last sent back, a pending recalculation, its configuration (No Declaration
// Required, No Approval Required); Approve for whoever takes its current step;
// and the Payment Declaration History of its practice and service for its date.
import { useInvalidate, useOne, type HttpError } from '@refinedev/core';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Result, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { useContextPath } from '../../components/context-links.ts';
import { PageTitle, ResultTitle, Show } from '../../components/page.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { DESCRIPTION_COLUMNS } from '../../components/table-layout.ts';
import { formatDateOnly } from '../../lib/calendar-dates.ts';
import { formatUkDate, formatUkDateTime } from '../../lib/dates.ts';
import { formatMoney } from '../../lib/money.ts';
import { useCurrentContext } from '../../providers/access-context.tsx';
import { HISTORY_QUERY_KEY, PaymentDeclarationHistory, SectionTitle } from '../declare/history.tsx';
import declareDictionary from '../declare/i18n.ts';
import {
  approvalStepFor,
  DECLARATION_SELECT,
  DECLARATIONS,
  formatPoints,
  providerLabel,
  serviceLabel,
  type DeclarationResult,
  type DeclarationRow,
} from '../declare/model.ts';
import { DeclarationStatusTag } from '../declare/status.tsx';
import dictionary from './i18n.ts';

export function DeclarationShow() {
  const text = useAreaText(dictionary);
  const path = useContextPath();
  const { id = '' } = useParams<{ id: string }>();
  const one = useOne<DeclarationRow, HttpError>({ resource: DECLARATIONS, id, meta: { select: DECLARATION_SELECT }, errorNotification: false });
  const row = one.result;
  const back = <Link to={path('/declaration-management')}>{text('declarationManagement.show.back')}</Link>;

  if (one.query.isLoading) return <Skeleton active aria-busy="true" />;
  if (one.query.error || !row) {
    return (
      <Result
        status={one.query.error ? 'error' : '404'}
        title={<ResultTitle>{text('declarationManagement.show.notFound')}</ResultTitle>}
        subTitle={one.query.error?.message}
        extra={back}
      />
    );
  }
  return (
    <Show
      title={
        <PageTitle>
          {/* A long title wraps rather than ending in an ellipsis on a laptop. */}
          <span style={{ whiteSpace: 'normal' }}>
            {text('declarationManagement.show.title', { practice: providerLabel(row), service: serviceLabel(row), date: formatDateOnly(row.achievement_date) })}
          </span>
        </PageTitle>
      }
      goBack={false}
      headerButtons={() => back}
    >
      <DeclarationBody key={`${row.status}-${row.updated_at}`} row={row} onChanged={() => one.query.refetch()} />
    </Show>
  );
}

function DeclarationBody({ row, onChanged }: { row: DeclarationRow; onChanged: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const declareText = useAreaText(declareDictionary);
  const context = useCurrentContext();
  const step = approvalStepFor(row.status, context?.roles ?? []);
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ type: 'success' | 'error'; message: string; description?: string } | null>(null);

  async function approve() {
    if (!step) return;
    const ok = await confirm({
      title: text('declarationManagement.approveTitleOne'),
      content: (
        <>
          <Typography.Paragraph>{text(`declarationManagement.approveBody.${step.step}`)}</Typography.Paragraph>
          <Typography.Paragraph>
            {text('declarationManagement.approveItem', {
              practice: providerLabel(row),
              service: serviceLabel(row),
              date: formatDateOnly(row.achievement_date),
              payment: formatMoney(row.payment),
            })}
          </Typography.Paragraph>
        </>
      ),
      okText: text('declarationManagement.approveOk'),
      cancelText: text('declarationManagement.cancel'),
    });
    if (!ok) return;
    setBusy(true);
    setAnswer(null);
    try {
      const answers = (await callRpc<DeclarationResult[] | null>(step.rpc, { p_declaration_ids: [row.id] })) ?? [];
      const mine = answers.find((a) => a.declaration_id === row.id) ?? answers[0];
      setAnswer(
        mine?.ok
          ? { type: 'success', message: text('declarationManagement.show.approved.ok'), description: mine.message }
          : { type: 'error', message: text('declarationManagement.failed'), description: mine?.message },
      );
      await Promise.all([onChanged(), invalidate({ resource: DECLARATIONS, invalidates: ['list'] }), queryClient.invalidateQueries({ queryKey: [HISTORY_QUERY_KEY] })]);
    } catch (error) {
      const problem = describeRpcError(error);
      setAnswer({ type: 'error', message: text('declarationManagement.failed'), description: problem.description || problem.message });
    } finally {
      setBusy(false);
    }
  }

  const configuration = [
    row.service?.no_declaration_required ? declareText('declare.note.noDeclarationRequired') : null,
    row.service?.no_approval_required ? declareText('declare.note.noApprovalRequired') : null,
  ].filter(Boolean);

  return (
    <>
      {answer && <Alert type={answer.type} showIcon role="status" style={{ marginBottom: 16 }} message={answer.message} description={answer.description} />}
      {row.achievement?.recalculation_requested_at && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={text('declarationManagement.show.recalculation', { when: formatUkDateTime(row.achievement.recalculation_requested_at) })} />
      )}
      {step && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button type="primary" loading={busy} onClick={() => void approve()}>
            {text('declarationManagement.show.approve')}
          </Button>
        </Space>
      )}
      <Descriptions
        bordered
        size="small"
        column={DESCRIPTION_COLUMNS}
        style={{ marginBottom: 16 }}
        title={<SectionTitle>{text('declarationManagement.show.details')}</SectionTitle>}
      >
        <Descriptions.Item label={text('declarationManagement.show.practice')}>{providerLabel(row)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.service')}>{serviceLabel(row)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.year')}>{row.service?.financial_year ?? '–'}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.date')}>{formatDateOnly(row.achievement_date)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.status')}>
          <DeclarationStatusTag status={row.status} />
        </Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.points')}>{formatPoints(row.points)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.payment')}>
          <Typography.Text strong data-testid="declaration-payment">
            {formatMoney(row.payment)}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.declared')}>{formatUkDateTime(row.declared_at)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.approved')}>{formatUkDateTime(row.commissioner_approved_at)}</Descriptions.Item>
        <Descriptions.Item label={text('declarationManagement.show.financeApproved')}>{formatUkDateTime(row.finance_approved_at)}</Descriptions.Item>
        {row.sent_back_at && (
          <Descriptions.Item label={text('declarationManagement.show.sentBack')}>
            {formatUkDate(row.sent_back_at)}: {row.sent_back_reason ?? '–'}
          </Descriptions.Item>
        )}
        {configuration.length > 0 && <Descriptions.Item label={text('declarationManagement.show.configuration')}>{configuration.join(', ')}</Descriptions.Item>}
      </Descriptions>
      <PaymentDeclarationHistory
        providerId={row.provider_id}
        services={[{ value: row.service_id, label: serviceLabel(row) }]}
        initialServiceId={row.service_id}
        achievementDate={row.achievement_date}
      />
    </>
  );
}
