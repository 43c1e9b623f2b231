// Invite a user: email → name → organisation → role(s) → review → send.
// public.invite_user records the invitation (and refuses what the rules
// forbid); the send-invitation edge function emails the link, which opens
// /accept-invitation signed in.
import { ArrowLeftOutlined, ArrowRightOutlined, SendOutlined } from '@ant-design/icons';
import { Create } from '../../components/page.tsx';
import { useGo, useNotification, useOne, useWarnAboutChange } from '@refinedev/core';
import { Alert, Button, Descriptions, Form, Input, Space, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { personNameRule } from '../../components/form-rules.ts';
import { OrganisationSelect, type OrganisationOption } from '../../components/organisation-select.tsx';
import { personNameProblem } from '../../lib/person-name.ts';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { isGenericMailbox } from '../../lib/generic-mailbox.ts';
import { useCurrentOrganisationId } from '../../providers/access-context.tsx';
import { sendInvitationEmail } from './invitation-email.ts';
import { ADMINISTRATOR_ROLES, roleSelectionProblem, rolesForSide, SEGREGATION_OF_DUTIES_RULE, sideOfOrganisationType, type AppRole } from './roles.ts';
import { RoleCheckboxes } from './role-checkboxes.tsx';
import { INVITED_PARAM } from './show.tsx';
import { roleProblemText, useUsersText, type UsersText } from './text.ts';

export interface InviteValues {
  email?: string;
  fullName?: string;
  organisationId?: string;
  roles?: AppRole[];
}

/** The steps, in order; each validates only its own fields. */
export const INVITE_STEPS = ['email', 'name', 'organisation', 'roles', 'review'] as const;
export type InviteStep = (typeof INVITE_STEPS)[number];

const FIELDS_OF_STEP: Record<InviteStep, (keyof InviteValues)[]> = {
  email: ['email'],
  name: ['fullName'],
  organisation: ['organisationId'],
  roles: ['roles'],
  review: [],
};

/** The database's own test of an address (public.invite_user), so the form refuses what it would. */
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 200;

/** Why this email cannot be invited, or undefined. */
export function emailProblem(email: string | undefined, text: UsersText): string | undefined {
  const value = (email ?? '').trim();
  if (!value) return text('users.invite.emailRequired');
  if (!EMAIL_PATTERN.test(value) || value.length > EMAIL_MAX_LENGTH) return text('users.invite.emailInvalid');
  if (isGenericMailbox(value)) return text('users.invite.emailGeneric', { email: value });
  return undefined;
}

type OrganisationRow = OrganisationOption;

/** The first step whose values the database would refuse (the same checks as each step's fields), if any. */
export function firstInvalidStep(values: InviteValues, side: 'commissioner' | 'provider' | undefined): InviteStep | undefined {
  const email = (values.email ?? '').trim();
  if (!email || !EMAIL_PATTERN.test(email) || email.length > EMAIL_MAX_LENGTH || isGenericMailbox(email)) return 'email';
  const name = (values.fullName ?? '').trim();
  if (!name || name.length > NAME_MAX_LENGTH || personNameProblem(name)) return 'name';
  if (!values.organisationId || !side) return 'organisation';
  if (roleSelectionProblem(side, values.roles ?? [])) return 'roles';
  return undefined;
}

export function UserInvite() {
  const text = useUsersText();
  const go = useGo();
  const { open } = useNotification();
  const { warnWhen, setWarnWhen } = useWarnAboutChange();
  // Where to go once the warning about unsaved changes is off (see the effect below).
  const [destination, setDestination] = useState<{ profileId: string; outcome: string }>();
  const currentOrganisationId = useCurrentOrganisationId();
  const [form] = Form.useForm<InviteValues>();
  const [step, setStep] = useState(0);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<{ message: string; description: string }>();
  const [chosenOrganisation, setChosenOrganisation] = useState<OrganisationRow>();

  const values = Form.useWatch([], { form, preserve: true }) as InviteValues | undefined;
  // From the watched values only: the form instance is not connected during the first render.
  const organisationId = values?.organisationId;

  // The organisation's type decides which roles it can hold; the chosen option carries it,
  // a default (the current context's organisation) is fetched.
  const { result: fetchedOrganisation } = useOne<OrganisationRow>({
    resource: 'organisations',
    id: organisationId ?? '',
    meta: { select: 'id,ods_code,name,type,parent_id' },
    queryOptions: { enabled: Boolean(organisationId) && chosenOrganisation?.id !== organisationId },
    errorNotification: false,
  });
  const organisation =
    chosenOrganisation?.id === organisationId ? chosenOrganisation : fetchedOrganisation?.id === organisationId ? fetchedOrganisation : undefined;
  const side = organisation ? sideOfOrganisationType(organisation.type) : undefined;

  // onValuesChange turns on the "unsaved changes" warning; it goes when the wizard does.
  useEffect(() => () => setWarnWhen(false), [setWarnWhen]);

  // Navigate only after the unsaved-changes warning is really off: navigating in the same
  // tick as setWarnWhen(false) would still meet the old guard and ask "Leave this page?".
  useEffect(() => {
    if (!destination || warnWhen) return;
    go({ to: { resource: 'users', action: 'show', id: destination.profileId }, query: { [INVITED_PARAM]: destination.outcome }, type: 'push' });
  }, [destination, warnWhen, go]);

  // The current context's organisation is the first choice (it may arrive after the first render).
  useEffect(() => {
    if (currentOrganisationId && !form.getFieldValue('organisationId')) form.setFieldValue('organisationId', currentOrganisationId);
  }, [currentOrganisationId, form]);

  const current = INVITE_STEPS[step]!;
  const stepTitles: Record<InviteStep, string> = {
    email: text('users.invite.stepEmail'),
    name: text('users.invite.stepName'),
    organisation: text('users.invite.stepOrganisation'),
    roles: text('users.invite.stepRoles'),
    review: text('users.invite.stepReview'),
  };

  const next = async () => {
    try {
      await form.validateFields(FIELDS_OF_STEP[current]);
    } catch {
      return; // the fields show what is wrong
    }
    setStep((s) => Math.min(s + 1, INVITE_STEPS.length - 1));
  };
  const back = () => setStep((s) => Math.max(s - 1, 0));
  const goToStep = (name: InviteStep) => setStep(INVITE_STEPS.indexOf(name));

  const send = async () => {
    // Only the review is on screen: check every step's values again, and go back to the first that is wrong.
    const all = form.getFieldsValue(true) as InviteValues;
    const invalid = firstInvalidStep(all, side);
    if (invalid) {
      setStep(INVITE_STEPS.indexOf(invalid));
      return;
    }
    setSending(true);
    setSendError(undefined);
    try {
      const membership = await callRpc<{ profile_id?: unknown } | null>('invite_user', {
        p_email: all.email!.trim(),
        p_full_name: all.fullName!.trim(),
        p_organisation_id: all.organisationId!,
        p_roles: all.roles ?? [],
      });
      const profileId = membership && typeof membership.profile_id === 'string' ? membership.profile_id : undefined;
      if (!profileId) throw new Error(text('users.invite.noProfileId'));

      const email = await sendInvitationEmail(profileId);
      let outcome = '1';
      if (!email.ok) {
        // An account that already exists (active) gets the new access without a link: nothing to send.
        outcome = email.code === 'not_invited' ? 'existing' : 'unsent';
        if (outcome === 'unsent') {
          open?.({ type: 'error', message: text('users.invite.emailFailed'), description: email.message });
        }
      } else {
        open?.({ type: 'success', message: text('users.invite.sentTitle'), description: text('users.invite.sentText', { email: all.email!.trim() }) });
      }
      setWarnWhen(false);
      setDestination({ profileId, outcome });
    } catch (error) {
      const described = describeRpcError(error);
      setSendError(described);
      open?.({ type: 'error', ...described });
    } finally {
      setSending(false);
    }
  };

  return (
    <Create
      resource="users"
      title={text('users.titles.invite')}
      goBack={false}
      // The wizard has its own buttons: no footer strip.
      contentProps={{ actions: [] }}
      headerButtons={() => null}
    >
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        // Going back is always allowed; going forward only with the buttons (they validate).
        onChange={(target) => {
          if (target < step) setStep(target);
        }}
        items={INVITE_STEPS.map((name, index) => ({ title: stepTitles[name], disabled: index > step }))}
      />

      <Form<InviteValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        style={{ maxWidth: 640 }}
        initialValues={{ organisationId: currentOrganisationId ?? undefined, roles: [] }}
        onValuesChange={(_changed, all) => {
          const filled = Boolean(all.email?.trim() || all.fullName?.trim() || (all.roles && all.roles.length > 0));
          setWarnWhen(filled);
        }}
        onFinish={() => void (current === 'review' ? send() : next())}
      >
        {current === 'email' && (
          <>
            <Typography.Paragraph>{text('users.invite.emailIntro')}</Typography.Paragraph>
            <Form.Item
              name="email"
              label={text('users.fields.email')}
              extra={text('users.invite.emailHelp')}
              validateFirst
              rules={[{ validator: async (_rule, value: string | undefined) => {
                const problem = emailProblem(value, text);
                if (problem) throw new Error(problem);
              } }]}
            >
              <Input type="email" autoComplete="off" autoFocus maxLength={EMAIL_MAX_LENGTH} placeholder="jo.bloggs@nhs.net" />
            </Form.Item>
          </>
        )}

        {current === 'name' && (
          <Form.Item
            name="fullName"
            label={text('users.invite.fullName')}
            extra={text('users.invite.nameHelp')}
            validateFirst
            rules={[
              { required: true, whitespace: true, message: text('users.invite.nameRequired') },
              { max: NAME_MAX_LENGTH, message: text('users.invite.nameTooLong', { max: NAME_MAX_LENGTH }) },
              personNameRule(),
            ]}
          >
            <Input autoComplete="off" autoFocus maxLength={NAME_MAX_LENGTH} />
          </Form.Item>
        )}

        {current === 'organisation' && (
          <Form.Item
            name="organisationId"
            label={text('users.fields.organisation')}
            extra={text('users.invite.organisationHelp')}
            rules={[{ required: true, message: text('users.invite.organisationRequired') }]}
          >
            <OrganisationSelect
              scope="reachable"
              onChange={(_id, chosen) => {
                setChosenOrganisation(chosen);
                // Roles of the other side cannot be held there: drop them.
                if (chosen) {
                  const allowed = rolesForSide(sideOfOrganisationType(chosen.type));
                  const roles = (form.getFieldValue('roles') as AppRole[] | undefined) ?? [];
                  form.setFieldValue('roles', roles.filter((role) => allowed.includes(role)));
                }
              }}
            />
          </Form.Item>
        )}

        {current === 'roles' && (
          <RolesStep side={side} organisationName={organisation?.name} />
        )}

        {current === 'review' && (
          <>
            <Typography.Paragraph>{text('users.invite.reviewIntro')}</Typography.Paragraph>
            <Descriptions bordered column={1} size="small" style={{ marginBottom: 16 }}>
              <Descriptions.Item label={text('users.fields.email')}>
                <ReviewValue value={values?.email} onChange={() => goToStep('email')} text={text} what={text('users.fields.email')} />
              </Descriptions.Item>
              <Descriptions.Item label={text('users.invite.fullName')}>
                <ReviewValue value={values?.fullName} onChange={() => goToStep('name')} text={text} what={text('users.invite.fullName')} />
              </Descriptions.Item>
              <Descriptions.Item label={text('users.fields.organisation')}>
                <ReviewValue
                  value={organisation ? (organisation.ods_code ? `${organisation.name} (${organisation.ods_code})` : organisation.name) : '…'}
                  onChange={() => goToStep('organisation')}
                  text={text}
                  what={text('users.fields.organisation')}
                />
              </Descriptions.Item>
              <Descriptions.Item label={text('users.fields.roles')}>
                <ReviewValue
                  value={(values?.roles ?? [])
                    .map((role) => text.shared(`roles.${role}`, role))
                    .join(', ')}
                  onChange={() => goToStep('roles')}
                  text={text}
                  what={text('users.fields.roles')}
                />
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary">{text('users.invite.reviewEmailNote')}</Typography.Paragraph>
            {sendError && (
              <Alert type="error" showIcon style={{ marginBottom: 16 }} message={sendError.message} description={sendError.description} />
            )}
          </>
        )}

        <Space style={{ marginTop: 8 }}>
          {step > 0 && (
            <Button icon={<ArrowLeftOutlined />} onClick={back} disabled={sending}>
              {text('users.invite.back')}
            </Button>
          )}
          {current === 'review' ? (
            <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={sending}>
              {text('users.invite.send')}
            </Button>
          ) : (
            <Button type="primary" htmlType="submit" icon={<ArrowRightOutlined />} iconPosition="end">
              {text('users.invite.next')}
            </Button>
          )}
        </Space>
      </Form>
    </Create>
  );
}

function ReviewValue({ value, onChange, text, what }: { value: string | undefined; onChange: () => void; text: UsersText; what: string }) {
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
      <span>{value || '–'}</span>
      <Button type="link" size="small" onClick={onChange} aria-label={text('users.invite.changeLabel', { what })}>
        {text('users.invite.change')}
      </Button>
    </Space>
  );
}

function RolesStep({ side, organisationName }: { side: 'commissioner' | 'provider' | undefined; organisationName: string | undefined }) {
  const text = useUsersText();
  const roles = (Form.useWatch('roles') as AppRole[] | undefined) ?? [];
  if (!side) return <Alert type="info" showIcon message={text('users.invite.loadingOrganisation')} />;
  const choices = rolesForSide(side);
  const segregationBroken = roles.includes('approver_tier_1') && roles.includes('approver_tier_2');
  return (
    <>
      <Typography.Paragraph>
        {text(side === 'commissioner' ? 'users.invite.rolesIntroCommissioner' : 'users.invite.rolesIntroProvider', {
          organisation: organisationName ?? '',
        })}
      </Typography.Paragraph>
      {side === 'commissioner' && (
        <Alert
          type={segregationBroken ? 'error' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          message={text('users.roles.segregationTitle')}
          description={segregationBroken ? text('users.roles.segregationBroken') : text.shared('roles.segregationOfDuties', SEGREGATION_OF_DUTIES_RULE)}
        />
      )}
      <Form.Item
        name="roles"
        label={text('users.fields.roles')}
        rules={[
          {
            validator: async (_rule, value: AppRole[] | undefined) => {
              const problem = roleSelectionProblem(side, value ?? []);
              if (problem) throw new Error(roleProblemText(problem, side, text));
            },
          },
        ]}
      >
        <RoleCheckboxes choices={choices} />
      </Form.Item>
      {side === 'commissioner' && (
        <Typography.Paragraph type="secondary">
          {text('users.roles.administratorNote', {
            roles: ADMINISTRATOR_ROLES.map((role) => text.shared(`roles.${role}`, role)).join(', '),
          })}
        </Typography.Paragraph>
      )}
    </>
  );
}
