// "Disable my account": a reason (or Other with at most 250 characters), a
// danger confirmation, then disable_own_account and sign-out.
import { useLogout, useNotification, useTranslate } from '@refinedev/core';
import { Alert, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { DisableReasonFields, disableReasonArgs, type DisableReasonValues } from '../../components/reason-field.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';

export function DisableOwnAccountModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const translate = useTranslate();
  const [form] = Form.useForm<DisableReasonValues>();
  const { mutate: logout } = useLogout();
  const { open: notify } = useNotification();
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; description: string } | undefined>();

  async function submit() {
    const values = await form.validateFields();
    setSending(true);
    setRefusal(undefined);
    try {
      await callRpc('disable_own_account', disableReasonArgs(values));
      notify?.({ type: 'success', message: translate('profile.disable.done', 'Your account has been disabled') });
      logout();
    } catch (error) {
      setRefusal(describeRpcError(error));
      setSending(false);
    }
  }

  return (
    <Modal
      open={open}
      title={translate('profile.disable.confirmTitle', 'Disable your account?')}
      okText={translate('profile.disable.confirm', 'Disable my account')}
      okButtonProps={{ danger: true }}
      cancelText={translate('buttons.cancel', 'Cancel')}
      confirmLoading={sending}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => {
        form.resetFields();
        setRefusal(undefined);
        onClose();
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {translate(
          'profile.disable.confirmIntro',
          'You will be signed out straight away and will not be able to sign in again. Tell us why:',
        )}
      </Typography.Paragraph>
      <Form<DisableReasonValues> form={form} layout="vertical" name="disable-own-account">
        <DisableReasonFields />
      </Form>
      {refusal && <Alert type="error" showIcon message={refusal.message} description={refusal.description} />}
    </Modal>
  );
}
