// Confirm revoking one membership (public.revoke_membership), with an
// optional reason the person will see.
import { Form, Input, Modal, Typography } from 'antd';
import { useUsersText } from './text.ts';
import type { DirectoryMembership } from './types.ts';

export const REVOKE_REASON_MAX = 500;

export interface RevokeModalProps {
  membership: DirectoryMembership | undefined;
  personName: string;
  saving: boolean;
  onRevoke: (reason: string | null) => void;
  onCancel: () => void;
}

export function RevokeModal({ membership, personName, saving, onRevoke, onCancel }: RevokeModalProps) {
  const text = useUsersText();
  const [form] = Form.useForm<{ reason?: string }>();
  if (!membership) return null;
  const organisation = membership.ods_code ? `${membership.name} (${membership.ods_code})` : membership.name;

  return (
    <Modal
      open
      title={text('users.revoke.title', { organisation })}
      okText={text('users.revoke.confirm')}
      okButtonProps={{ danger: true, loading: saving }}
      cancelText={text('users.actions.cancel')}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Typography.Paragraph>{text('users.revoke.explanation', { name: personName, organisation })}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => onRevoke(values.reason?.trim() ? values.reason.trim() : null)}
      >
        <Form.Item
          name="reason"
          label={text('users.revoke.reasonLabel')}
          extra={text('users.revoke.reasonHelp')}
          rules={[{ max: REVOKE_REASON_MAX, message: text('users.revoke.reasonTooLong', { max: REVOKE_REASON_MAX }) }]}
        >
          <Input.TextArea rows={3} showCount maxLength={REVOKE_REASON_MAX} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
