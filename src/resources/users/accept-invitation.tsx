// /accept-invitation: the invitation email's link signs the person in and
// lands here; they choose a password (Auth checks the same rule), then go to
// their first organisation.
import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { useGetIdentity, useGo, useNotification } from '@refinedev/core';
import { Alert, Button, Card, Form, Input, List, Typography } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../providers/access-context.tsx';
import { describeAuthError } from '../../providers/auth-provider.ts';
import { useUsersText, type UsersText } from './text.ts';

export const PASSWORD_MIN_LENGTH = 12;

export interface PasswordCheck {
  key: 'length' | 'lower' | 'upper' | 'digit';
  ok: boolean;
}

/** The password rule (Auth: at least 12 characters with lower case, upper case and digits), one check each. */
export function passwordChecks(password: string): PasswordCheck[] {
  return [
    { key: 'length', ok: password.length >= PASSWORD_MIN_LENGTH },
    { key: 'lower', ok: /[a-z]/.test(password) },
    { key: 'upper', ok: /[A-Z]/.test(password) },
    { key: 'digit', ok: /[0-9]/.test(password) },
  ];
}

export function passwordMeetsRule(password: string): boolean {
  return passwordChecks(password).every((check) => check.ok);
}

function checkLabel(key: PasswordCheck['key'], text: UsersText): string {
  switch (key) {
    case 'length':
      return text('users.accept.ruleLength', { min: PASSWORD_MIN_LENGTH });
    case 'lower':
      return text('users.accept.ruleLower');
    case 'upper':
      return text('users.accept.ruleUpper');
    case 'digit':
      return text('users.accept.ruleDigit');
  }
}

/** Read by screen readers, not shown. */
const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

interface AcceptValues {
  password?: string;
  confirm?: string;
}

/** Sets the password through supabase-js (loaded lazily so tests can stand in for it). */
export type PasswordSetter = (password: string) => Promise<{ error: Error | null }>;

const setPasswordWithSupabase: PasswordSetter = async (password) => {
  const { supabaseClient } = await import('../../providers/supabase-client.ts');
  const { error } = await supabaseClient.auth.updateUser({ password });
  return { error };
};

export function AcceptInvitation({ setPassword = setPasswordWithSupabase }: { setPassword?: PasswordSetter }) {
  const text = useUsersText();
  const go = useGo();
  const { open } = useNotification();
  const { refresh } = useAccess();
  const { data: identity } = useGetIdentity<{ name?: string; email?: string }>();
  const [form] = Form.useForm<AcceptValues>();
  const password = (Form.useWatch('password', form) as string | undefined) ?? '';
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async ({ password: chosen }: AcceptValues) => {
    if (!chosen) return;
    setSaving(true);
    setError(undefined);
    const { error: failure } = await setPassword(chosen);
    setSaving(false);
    if (failure) {
      setError(describeAuthError(failure));
      return;
    }
    open?.({ type: 'success', message: text('users.accept.done'), description: text('users.accept.doneText') });
    // Accepting made the account active: load the access that goes with it.
    await refresh();
    go({ to: '/', type: 'replace' });
  };

  return (
    // Inside the portal's frame (header and menu): a narrow card, centred.
    <div style={{ width: '100%', maxWidth: 480, margin: '24px auto' }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {text('users.accept.title')}
        </Typography.Title>
        <Typography.Paragraph>
          {identity?.email
            ? text('users.accept.introFor', { name: identity.name ?? identity.email, email: identity.email })
            : text('users.accept.intro')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={text('users.accept.failed')} description={error} />}
        <Form<AcceptValues> form={form} layout="vertical" requiredMark={false} onFinish={(values) => void submit(values)}>
          <Form.Item
            name="password"
            label={text('users.accept.password')}
            rules={[
              { required: true, message: text('users.accept.passwordRequired') },
              {
                validator: async (_rule, value: string | undefined) => {
                  if (value && !passwordMeetsRule(value)) throw new Error(text('users.accept.passwordWeak'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" autoFocus aria-describedby="password-rule" />
          </Form.Item>
          <div id="password-rule" style={{ marginTop: -8, marginBottom: 16 }}>
            <Typography.Text type="secondary">{text('users.accept.ruleIntro')}</Typography.Text>
            <List
              size="small"
              split={false}
              dataSource={passwordChecks(password)}
              renderItem={(check) => (
                <List.Item style={{ padding: '2px 0' }}>
                  <span>
                    {check.ok ? (
                      <CheckCircleFilled style={{ color: '#007f3b', marginInlineEnd: 8 }} aria-hidden />
                    ) : (
                      <CloseCircleOutlined style={{ color: '#8a8a8a', marginInlineEnd: 8 }} aria-hidden />
                    )}
                    {checkLabel(check.key, text)}
                    <span style={VISUALLY_HIDDEN}>
                      {check.ok ? ` ${text('users.accept.met')}` : ` ${text('users.accept.notMet')}`}
                    </span>
                  </span>
                </List.Item>
              )}
            />
          </div>
          <Form.Item
            name="confirm"
            label={text('users.accept.confirm')}
            dependencies={['password']}
            rules={[
              { required: true, message: text('users.accept.confirmRequired') },
              ({ getFieldValue }) => ({
                validator: async (_rule, value: string | undefined) => {
                  if (value && value !== getFieldValue('password')) throw new Error(text('users.accept.mismatch'));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={saving}>
            {text('users.accept.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
