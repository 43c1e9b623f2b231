// A dialog asking for the reason of a decision the other side will read
// (rejecting an offer, returning a claim): required, at most `maxLength`
// characters (private.clean_reason's 500 by default), with a live count.
// `optional`: a note the decision may carry (approving a claim) — may be
// left empty, and the OK button is not red. The caller does the work in
// `onSubmit` with the trimmed text; the dialog stays open (and keeps the
// text) when that throws.
import { Form, Input, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { DECISION_REASON_MAX_LENGTH } from './form-rules.ts';

export interface ReasonModalTexts {
  title: ReactNode;
  explain: ReactNode;
  label: ReactNode;
  ok: ReactNode;
  cancel: ReactNode;
  required: string;
  tooLong: (max: number) => string;
  count: (length: number, max: number) => ReactNode;
}

export interface ReasonModalProps {
  open: boolean;
  busy: boolean;
  texts: ReasonModalTexts;
  maxLength?: number;
  /** A note that may be left empty (onSubmit gets ''), for a decision that is not a refusal. */
  optional?: boolean;
  onSubmit: (reason: string) => Promise<void>;
  onCancel: () => void;
}

export function ReasonModal({ open, busy, texts, maxLength = DECISION_REASON_MAX_LENGTH, optional = false, onSubmit, onCancel }: ReasonModalProps) {
  const [form] = Form.useForm<{ reason: string }>();
  const reason = (Form.useWatch('reason', form) as string | undefined) ?? '';

  const submit = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    await onSubmit((values.reason ?? '').trim());
  };

  return (
    <Modal
      open={open}
      title={texts.title}
      okText={texts.ok}
      okButtonProps={{ danger: !optional, loading: busy }}
      cancelText={texts.cancel}
      onOk={() => void submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph>{texts.explain}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false}>
        <Form.Item
          name="reason"
          label={texts.label}
          extra={<span>{texts.count(reason.length, maxLength)}</span>}
          rules={[
            ...(optional ? [] : [{ required: true, whitespace: true, message: texts.required }]),
            { max: maxLength, message: texts.tooLong(maxLength) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={maxLength} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
