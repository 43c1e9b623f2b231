// Public registration: a person asks for an account and access to one
// organisation. Supabase Auth creates the user and emails a confirmation
// link; the database records the request (private.handle_new_auth_user) and
// tells the people who decide it. Everything checked here is checked again
// by Auth (password) and the database (mailbox, roles, organisation).
import { useOne } from '@refinedev/core';
import { Alert, Button, Checkbox, Form, Input, Space, Typography } from 'antd';
import { RoleOption } from '../../components/role-option.tsx';
import type { Rule } from 'antd/es/form/index.js';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { personNameRule } from '../../components/form-rules.ts';
import { OrganisationSelect } from '../../components/organisation-select.tsx';
import { describeAuthError } from '../../providers/auth-provider.ts';
import {
  breaksSegregationOfDuties,
  rolesForOrganisationType,
  sideOfOrganisationType,
  type AppRole,
  type OrganisationType,
} from '../../providers/access.ts';
import { isGenericMailbox } from '../../lib/generic-mailbox.ts';
import { PublicPage } from './public-page.tsx';
import { approverOf, cleanName, passwordProblems, type PasswordProblem } from './rules.ts';
import { signUpForAccess } from './sign-up.ts';
import { useText, type Text } from './text.ts';

interface RegistrationValues {
  full_name: string;
  email: string;
  password: string;
  confirm_password: string;
  organisation_id: string;
  roles: AppRole[];
}

interface OrganisationSummary {
  id: string;
  ods_code: string | null;
  name: string;
  type: OrganisationType;
}

/** What the confirmation page is told (router state). */
export interface ConfirmationState {
  email: string;
  approver: string;
}

const PASSWORD_MESSAGES: Record<PasswordProblem, Parameters<Text>[0]> = {
  tooShort: 'registrations.register.passwordTooShort',
  needsLower: 'registrations.register.passwordNeedsLower',
  needsUpper: 'registrations.register.passwordNeedsUpper',
  needsDigit: 'registrations.register.passwordNeedsDigit',
};

/** "Bridge Street Surgery (ZP1002)" */
export function organisationLabel(org: { name: string | null; ods_code: string | null }): string {
  return org.ods_code ? `${org.name ?? ''} (${org.ods_code})` : (org.name ?? '');
}

/** Who decides, in words, for the form and the confirmation page. */
export function approverText(text: Text, org: OrganisationSummary | undefined, roles: readonly AppRole[]): string {
  if (!org) return text('registrations.approver.unknown');
  const organisation = organisationLabel(org);
  return text(`registrations.approver.${approverOf(org.type, roles)}`, { organisation });
}

function authErrorText(text: Text, error: Error): string {
  const code = (error as { code?: string }).code;
  if (code === 'weak_password') return text('registrations.register.weakPassword');
  if (code === 'user_already_exists' || code === 'email_exists') return text('registrations.register.alreadyRegistered');
  if (code === 'over_request_rate_limit' || code === 'over_email_send_rate_limit') return text('registrations.register.rateLimited');
  return describeAuthError(error);
}

/** The roles as checkboxes in a named group (a Form control: Form.Item gives id, value and onChange). */
function RoleChoice({
  id,
  value,
  onChange,
  label,
  roles,
  roleLabel,
  placeholder,
}: {
  id?: string;
  value?: AppRole[];
  onChange?: (roles: AppRole[]) => void;
  label: string;
  roles: readonly AppRole[];
  roleLabel: (role: AppRole) => string;
  /** Shown instead of the checkboxes while there are none to offer. */
  placeholder: string;
}) {
  if (roles.length === 0) {
    return (
      <Typography.Text type="secondary" id={id}>
        {placeholder}
      </Typography.Text>
    );
  }
  return (
    <div role="group" id={id} aria-label={label}>
      <Checkbox.Group<AppRole> value={value ?? []} onChange={(next) => onChange?.(next)} style={{ width: '100%' }}>
        <Space direction="vertical" size={4}>
          {roles.map((role) => (
            <RoleOption key={role} role={role} label={roleLabel(role)} idPrefix={id ?? 'register-roles'} />
          ))}
        </Space>
      </Checkbox.Group>
    </div>
  );
}

export function RegisterPage() {
  const text = useText();
  const navigate = useNavigate();
  const [form] = Form.useForm<RegistrationValues>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  const organisationId = Form.useWatch('organisation_id', form);
  const roles = Form.useWatch('roles', form) ?? [];

  // The organisation's type decides which roles it can hold; organisations are readable without signing in.
  const { result: organisation, query: organisationQuery } = useOne<OrganisationSummary>({
    resource: 'organisations',
    id: organisationId ?? '',
    queryOptions: { enabled: Boolean(organisationId) },
    meta: { select: 'id, ods_code, name, type' },
  });
  const selected = organisationId && organisation?.id === organisationId ? organisation : undefined;
  const side = selected ? sideOfOrganisationType(selected.type) : undefined;
  const roleChoices = useMemo(() => (selected ? rolesForOrganisationType(selected.type) : []), [selected]);

  // A new organisation may be on the other side: drop roles it cannot hold.
  useEffect(() => {
    if (!selected) return;
    const current: AppRole[] = form.getFieldValue('roles') ?? [];
    const kept = current.filter((role) => roleChoices.includes(role));
    if (kept.length !== current.length) form.setFieldValue('roles', kept);
  }, [selected, roleChoices, form]);

  const segregationBroken = breaksSegregationOfDuties(roles);

  const emailRules: Rule[] = [
    { required: true, whitespace: true, message: text('registrations.register.emailRequired') },
    { type: 'email', message: text('registrations.register.emailInvalid') },
    {
      validator: async (_rule, value: string | undefined) => {
        if (value && isGenericMailbox(value)) {
          throw new Error(text('registrations.register.genericMailbox', { email: value.trim() }));
        }
      },
    },
  ];

  const passwordRules: Rule[] = [
    { required: true, message: text('registrations.register.passwordRequired') },
    {
      validator: async (_rule, value: string | undefined) => {
        if (!value) return;
        const problems = passwordProblems(value);
        if (problems.length > 0) throw new Error(problems.map((p) => text(PASSWORD_MESSAGES[p])).join(' '));
      },
    },
  ];

  const roleRules: Rule[] = [
    { required: true, type: 'array', min: 1, message: text('registrations.register.rolesRequired') },
    {
      validator: async (_rule, value: AppRole[] | undefined) => {
        if (value && breaksSegregationOfDuties(value)) throw new Error(text('registrations.register.segregationError'));
      },
    },
  ];

  async function submit(values: RegistrationValues) {
    if (!selected) {
      setFailure(text('registrations.register.organisationUnreadable'));
      return;
    }
    setSubmitting(true);
    setFailure(undefined);
    const email = values.email.trim();
    try {
      const outcome = await signUpForAccess({
        email,
        password: values.password,
        fullName: cleanName(values.full_name),
        organisationId: selected.id,
        roles: values.roles,
        redirectTo: `${window.location.origin}/`,
      });
      if (outcome.ok) {
        const state: ConfirmationState = { email, approver: approverText(text, selected, values.roles) };
        navigate('/register/confirmation', { state });
        return;
      }
      setFailure(outcome.alreadyRegistered ? text('registrations.register.alreadyRegistered') : authErrorText(text, outcome.error));
    } catch (error) {
      setFailure(describeAuthError(error instanceof Error ? error : new Error(String(error))));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <PublicPage title={text('registrations.register.title')}>
      <Typography.Paragraph>{text('registrations.register.intro')}</Typography.Paragraph>
      <Form<RegistrationValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        scrollToFirstError
        disabled={submitting}
        initialValues={{ roles: [] }}
      >
        <Form.Item
          name="full_name"
          label={text('registrations.register.fullName')}
          extra={text('registrations.register.fullNameHelp')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: text('registrations.register.fullNameRequired') },
            { max: 200, message: text('registrations.register.fullNameTooLong') },
            personNameRule(),
          ]}
        >
          <Input autoComplete="name" />
        </Form.Item>

        <Form.Item
          name="email"
          label={text('registrations.register.email')}
          extra={text('registrations.register.emailHelp')}
          rules={emailRules}
          validateFirst
          validateDebounce={300}
        >
          <Input type="email" autoComplete="email" inputMode="email" spellCheck={false} />
        </Form.Item>

        <Form.Item
          name="password"
          label={text('registrations.register.password')}
          extra={text('registrations.register.passwordHelp')}
          rules={passwordRules}
          validateFirst
          validateDebounce={300}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>

        <Form.Item
          name="confirm_password"
          label={text('registrations.register.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: text('registrations.register.confirmPasswordRequired') },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                if (value && value !== getFieldValue('password')) throw new Error(text('registrations.register.passwordsDiffer'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>

        <Form.Item
          name="organisation_id"
          label={text('registrations.register.organisation')}
          extra={text('registrations.register.organisationHelp')}
          rules={[{ required: true, message: text('registrations.register.organisationRequired') }]}
        >
          <OrganisationSelect scope="all" />
        </Form.Item>

        <Form.Item
          name="roles"
          label={text('registrations.register.roles')}
          extra={
            selected
              ? text(side === 'commissioner' ? 'registrations.register.rolesHelpCommissioner' : 'registrations.register.rolesHelpProvider', {
                  organisation: organisationLabel(selected),
                })
              : undefined
          }
          rules={roleRules}
        >
          <RoleChoice
            label={text('registrations.register.roles')}
            roles={roleChoices}
            roleLabel={text.role}
            placeholder={
              organisationId && organisationQuery.isLoading
                ? text('registrations.register.rolesLoading')
                : text('registrations.register.rolesChooseOrganisationFirst')
            }
          />
        </Form.Item>

        {side === 'commissioner' && (
          <Alert
            type={segregationBroken ? 'error' : 'info'}
            showIcon
            style={{ marginBottom: 24 }}
            message={text('registrations.register.segregationTitle')}
            description={text('registrations.register.segregationRule')}
          />
        )}

        {selected && roles.length > 0 && !segregationBroken && (
          <Typography.Paragraph>
            {text('registrations.register.whoApproves', { approver: approverText(text, selected, roles) })}
          </Typography.Paragraph>
        )}

        {failure && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 24 }}
            message={text('registrations.register.failed')}
            description={failure}
          />
        )}

        <Form.Item style={{ marginBottom: 8 }}>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
            {submitting ? text('registrations.register.submitting') : text('registrations.register.submit')}
          </Button>
        </Form.Item>
        <Typography.Paragraph style={{ textAlign: 'center', marginBottom: 0 }}>
          {text('registrations.register.haveAccount')}{' '}
          {/* Underlined: a link inside a sentence must not rely on colour alone. */}
          <Link to="/login" style={{ textDecoration: 'underline' }}>
            {text('registrations.register.signIn')}
          </Link>
        </Typography.Paragraph>
      </Form>
    </PublicPage>
  );
}
