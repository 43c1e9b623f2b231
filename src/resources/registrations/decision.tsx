// Deciding a request (a registration or an access request): Approve after a
// confirmation step, Reject with a reason the person will read. The database
// action decides whether the caller may; its refusal is shown as it says it.
import { useInvalidate, useNavigation, useNotification } from '@refinedev/core';
import { Alert, Form, Input, Modal, Typography, type GetRef } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useConfirmAction } from '../../components/confirm-action.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { useText } from './text.ts';

/** reject_registration / reject_access_request accept at most this many characters (private.clean_reason). */
export const MAX_REASON_LENGTH = 500;

interface RejectDialogProps {
  open: boolean;
  title: string;
  intro: ReactNode;
  /** Suggested text (e.g. for a generic mailbox); the decider may change it. */
  initialReason?: string | undefined;
  onCancel: () => void;
  /** Resolves when saved; rejects with the database's refusal, which the dialog shows. */
  onReject: (reason: string) => Promise<void>;
}

/** The Reject dialog: a required reason of at most 500 characters, with a live count. */
export function RejectDialog({ open, title, intro, initialReason, onCancel, onReject }: RejectDialogProps) {
  const text = useText();
  const [form] = Form.useForm<{ reason: string }>();
  const reason = Form.useWatch('reason', form) ?? '';
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<{ message: string; description: string } | undefined>();
  const reasonField = useRef<GetRef<typeof Input.TextArea>>(null);

  useEffect(() => {
    if (open) {
      form.setFieldsValue({ reason: initialReason ?? '' });
      setFailure(undefined);
    }
  }, [open, initialReason, form]);

  async function submit({ reason: value }: { reason: string }) {
    setSaving(true);
    setFailure(undefined);
    try {
      await onReject(value.trim());
    } catch (error) {
      setFailure(describeRpcError(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={title}
      okText={text('registrations.show.reject')}
      cancelText={text('registrations.decision.cancel')}
      okButtonProps={{ danger: true, loading: saving, htmlType: 'submit', form: 'reject-reason-form' }}
      cancelButtonProps={{ disabled: saving }}
      onCancel={onCancel}
      maskClosable={!saving}
      closable={!saving}
      // Keep the form mounted so its instance stays connected between openings.
      forceRender
      // The dialog focuses itself on opening; the reason is what the person came to write
      // (autoFocus cannot do it: the field was mounted hidden).
      afterOpenChange={(opened) => {
        if (opened) reasonField.current?.focus({ cursor: 'end' });
      }}
    >
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      <Form form={form} id="reject-reason-form" layout="vertical" requiredMark={false} onFinish={submit} disabled={saving}>
        <Form.Item
          name="reason"
          label={text('registrations.decision.reason')}
          rules={[
            { required: true, whitespace: true, message: text('registrations.decision.reasonRequired') },
            { max: MAX_REASON_LENGTH, message: text('registrations.decision.reasonTooLong') },
          ]}
          extra={
            <span aria-live="polite" data-testid="reason-count">
              {text('registrations.decision.characters', { count: reason.length })}
            </span>
          }
        >
          <Input.TextArea ref={reasonField} rows={5} maxLength={MAX_REASON_LENGTH} />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon message={failure.message} description={failure.description} />}
    </Modal>
  );
}

interface DecisionOptions {
  /** The Refine resource of the queue, e.g. `registrations`. */
  resource: string;
  /** The view the queue reads, invalidated after a decision. */
  view: string;
}

interface Decision {
  approve: (options: {
    rpc: string;
    args: Record<string, unknown>;
    title: string;
    content: ReactNode;
    done: { message: string; description: string };
  }) => Promise<void>;
  reject: (options: { rpc: string; args: Record<string, unknown>; done: { message: string; description: string } }) => Promise<void>;
  /** The last refusal of an approval, shown on the page. */
  failure: { message: string; description: string } | undefined;
  busy: boolean;
  backToList: () => void;
}

/** Approve/Reject plumbing shared by the review screens: confirm, call, tell, go back to the queue. */
export function useDecision({ resource, view }: DecisionOptions): Decision {
  const text = useText();
  const confirm = useConfirmAction();
  const invalidate = useInvalidate();
  const { list } = useNavigation();
  const { open } = useNotification();
  const [failure, setFailure] = useState<Decision['failure']>();
  const [busy, setBusy] = useState(false);

  async function finish(done: { message: string; description: string }) {
    // Refine's antd notifications show `description` as the title and `message` below it.
    open?.({ type: 'success', message: done.description, description: done.message, key: `${resource}-decision` });
    await Promise.all([
      // Refetch the queue now, although it is not on screen, so that it never shows the decided request again.
      invalidate({ resource: view, invalidates: ['list'], invalidationFilters: { type: 'all', refetchType: 'all' } }),
      // Only mark the review stale: refetching it here would flash "not found" before we leave.
      invalidate({ resource: view, invalidates: ['detail'], invalidationFilters: { type: 'all', refetchType: 'none' } }),
      // The message centre's "waiting for you" tasks change too.
      invalidate({ resource: 'notifications', invalidates: ['list'] }),
    ]);
    list(resource);
  }

  return {
    failure,
    busy,
    backToList: () => list(resource),
    async approve({ rpc, args, title, content, done }) {
      setFailure(undefined);
      const ok = await confirm({ title, content, okText: text('registrations.show.approve') });
      if (!ok) return;
      setBusy(true);
      try {
        await callRpc(rpc, args);
      } catch (error) {
        setFailure(describeRpcError(error));
        setBusy(false);
        return;
      }
      setBusy(false);
      await finish(done);
    },
    async reject({ rpc, args, done }) {
      setFailure(undefined);
      // Errors propagate to the dialog, which shows them next to the reason.
      await callRpc(rpc, args);
      await finish(done);
    },
  };
}
