// A two-step practice's Provider Approver on a claim pending provider
// approval: Approve (after a confirmation) or Return with a reason the
// submitter reads. The database refuses what is not allowed (e.g. approving a
// claim one submitted oneself); its message is shown as it says it.
import { useNotification } from '@refinedev/core';
import { Alert, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { useAreaText } from '../../components/area-text.ts';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { ReasonModal } from '../../components/reason-modal.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { formatMoney } from '../../lib/money.ts';
import dictionary from './i18n.ts';
import type { ClaimOverview } from './model.ts';

export function ProviderApproval({ claim, onDecided }: { claim: ClaimOverview; onDecided: () => Promise<unknown> }) {
  const text = useAreaText(dictionary);
  const confirm = useConfirmAction();
  const { open: notify } = useNotification();
  const [busy, setBusy] = useState<'approve' | 'return' | null>(null);
  const [failure, setFailure] = useState<{ message: string; description: string } | null>(null);
  const [returning, setReturning] = useState(false);
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

  async function giveBack(reason: string) {
    setBusy('return');
    setFailure(null);
    try {
      await callRpc('return_claim', { p_claim_id: claim.id, p_reason: reason });
      notify?.({ type: 'success', message: text('claims.approval.returned', { number }) });
      setReturning(false);
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
      <ReasonModal
        open={returning}
        busy={busy === 'return'}
        texts={{
          title: text('claims.approval.returnTitle', { number }),
          explain: text('claims.approval.returnExplain'),
          label: text('claims.approval.reason'),
          ok: text('claims.approval.returnOk'),
          cancel: text('claims.buttons.cancel'),
          required: text('claims.approval.reasonRequired'),
          tooLong: (max) => text('claims.approval.reasonTooLong', { max }),
          count: (n, max) => text('claims.approval.count', { n, max }),
        }}
        onSubmit={giveBack}
        onCancel={() => setReturning(false)}
      />
    </>
  );
}
