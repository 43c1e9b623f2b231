// A two-step practice's Provider Approver on a claim pending provider
// approval: Approve (after a confirmation) or Return with a reason the
// submitter reads. The database refuses what is not allowed (e.g. approving a
// claim one submitted oneself); its message is shown as it says it.
import { useNotification } from '@refinedev/core';
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatMoney } from '../../lib/money.ts';
import dictionary from './i18n.ts';
import type { ClaimOverview } from './model.ts';

/** private.clean_reason's limit. */
export const RETURN_REASON_MAX_LENGTH = 500;

export function ProviderApproval({ claim, onDecided }: { claim: ClaimOverview; onDecided: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'approve' | 'return' | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const reason = (Form.useWatch('reason', form) as string | undefined) ?? '';
  const number = claim.claim_number;

  async function approve() {
    const ok = await confirm({
      title: text('claims.approval.approveTitle', { number }),
      content: text('claims.approval.approveBody', { total: formatMoney(claim.total) }),
      okText: text('claims.approval.approveOk'),
      cancelText: text('claims.buttons.cancel'),
    });
    if (!ok) return;
    setBusy('approve');
    setFailure(null);
    try {
      await callRpc('approve_claim_as_provider', { p_claim_id: claim.id });
      notify?.({ type: 'success', message: text('claims.approval.approved', { number }) });
      await onDecided();
    } catch (error) {
      setFailure(describeRpcError(error));
    } finally {
      setBusy(null);
    }
  }

  async function giveBack() {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy('return');
    setFailure(null);
    try {
      await callRpc('return_claim', { p_claim_id: claim.id, p_reason: values.reason.trim() });
      notify?.({ type: 'success', message: text('claims.approval.returned', { number }) });
      setReturning(false);
      form.resetFields();
      await onDecided();
    } catch (error) {
      setReturning(false);
      setFailure(describeRpcError(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={text('claims.approval.title', { number })}
        description={
          <>
            <Typography.Paragraph style={{ marginBottom: 8 }}>{text('claims.approval.explain')}</Typography.Paragraph>
            <Space wrap>
              <Button type="primary" onClick={() => void approve()} loading={busy === 'approve'} disabled={busy !== null}>
                {text('claims.approval.approve')}
              </Button>
              <Button danger onClick={() => setReturning(true)} disabled={busy !== null}>
                {text('claims.approval.return')}
              </Button>
            </Space>
          </>
        }
      />
      {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure.message} description={failure.description} />}
      <Modal
        open={returning}
        title={text('claims.approval.returnTitle', { number })}
        okText={text('claims.approval.returnOk')}
        okButtonProps={{ danger: true, loading: busy === 'return' }}
        cancelText={text('claims.buttons.cancel')}
        onOk={() => void giveBack()}
        onCancel={() => setReturning(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{text('claims.approval.returnExplain')}</Typography.Paragraph>
        <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
          <Form.Item
            name="reason"
            label={text('claims.approval.reason')}
            extra={<span>{text('claims.approval.count', { n: reason.length, max: RETURN_REASON_MAX_LENGTH })}</span>}
            rules={[
              { required: true, whitespace: true, message: text('claims.approval.reasonRequired') },
              { max: RETURN_REASON_MAX_LENGTH, message: text('claims.approval.reasonTooLong', { max: RETURN_REASON_MAX_LENGTH }) },
            ]}
          >
            <Input.TextArea rows={4} maxLength={RETURN_REASON_MAX_LENGTH} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
