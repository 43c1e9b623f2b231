// Confirm disabling a whole account (public.disable_account): a reason from
// the list, or "Other" with at most 250 characters (the shared fields count
// them as they are typed).
import { Alert, Form, Modal, Typography } from 'antd';
import { DisableReasonFields, disableReasonArgs, type DisableReason, type DisableReasonValues } from '../../components/reason-field.tsx';
import { useUsersText } from './text.ts';

export interface DisableAccountModalProps {
  open: boolean;
  personName: string;
  saving: boolean;
  onDisable: (reason: DisableReason, reasonText: string | null) => void;
  onCancel: () => void;
}

export function DisableAccountModal({ open, personName, saving, onDisable, onCancel }: DisableAccountModalProps) {
  const text = useUsersText();
  const [form] = Form.useForm<DisableReasonValues>();
  return (
    <Modal
      open={open}
      title={text('users.account.disableTitle', { name: personName })}
      okText={text('users.account.disable')}
      okButtonProps={{ danger: true, loading: saving }}
      cancelText={text('users.actions.cancel')}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={text('users.account.disableWarning', { name: personName })} />
      <Typography.Paragraph>{text('users.account.disableExplanation')}</Typography.Paragraph>
      <Form<DisableReasonValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        preserve={false}
        onFinish={(values) => {
          const { p_reason, p_reason_text } = disableReasonArgs(values);
          onDisable(p_reason, p_reason_text);
        }}
      >
        <DisableReasonFields />
      </Form>
    </Modal>
  );
}
