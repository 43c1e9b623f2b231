// After registering: the person must confirm their address from the email,
// then an administrator decides. Reached with router state from the form; a
// reload loses the state, so the page also reads well without it.
import { MailOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { Link, useLocation } from 'react-router';
import type { ConfirmationState } from './register.tsx';
import { PublicPage } from './public-page.tsx';
import { useText } from './text.ts';

function readState(state: unknown): Partial<ConfirmationState> {
  if (!state || typeof state !== 'object') return {};
  const { email, approver } = state as Record<string, unknown>;
  return {
    ...(typeof email === 'string' ? { email } : {}),
    ...(typeof approver === 'string' ? { approver } : {}),
  };
}

export function RegisterConfirmationPage() {
  const text = useText();
  const { email, approver } = readState(useLocation().state);
  return (
    <PublicPage title={text('registrations.confirmation.title')}>
      <Space align="start" size={16}>
        <MailOutlined style={{ fontSize: 32, color: '#005EB8', marginTop: 4 }} aria-hidden />
        <div>
          <Typography.Paragraph strong>
            {email ? text('registrations.confirmation.sent', { email }) : text('registrations.confirmation.sentNoEmail')}
          </Typography.Paragraph>
          <Typography.Paragraph>
            {text('registrations.confirmation.next', { approver: approver ?? text('registrations.approver.unknown') })}
          </Typography.Paragraph>
          <Typography.Paragraph>{text('registrations.confirmation.afterDecision')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary">{text('registrations.confirmation.noEmail')}</Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            <Link to="/login" style={{ textDecoration: 'underline' }}>
              {text('registrations.confirmation.toSignIn')}
            </Link>
          </Typography.Paragraph>
        </div>
      </Space>
    </PublicPage>
  );
}
