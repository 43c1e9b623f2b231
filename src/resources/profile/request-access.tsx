// "Request access to another organisation": organisation (any, by ODS code or
// name), then roles of that organisation's side. The segregation-of-duties
// rule is shown and checked before anything is sent; the database
// (request_access) checks everything again.
import { useTranslate } from '@refinedev/core';
import { Alert, Checkbox, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { OrganisationSelect, organisationLabel, type OrganisationOption } from '../../components/organisation-select.tsx';
import { useRoleLabel } from '../../components/role-tags.tsx';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import {
  breaksSegregationOfDuties,
  rolesForOrganisationType,
  SEGREGATION_OF_DUTIES_RULE,
  sideOfOrganisationType,
  type AppRole,
} from '../../providers/access.ts';

interface RequestValues {
  organisation_id?: string;
  roles?: AppRole[];
}

export interface RequestAccessModalProps {
  open: boolean;
  /** Organisations the person already has (or asked for): not offered again. */
  excludeIds: readonly string[];
  onClose: () => void;
  /** After the database accepted the request. */
  onRequested: (organisation: OrganisationOption) => void;
}

/**
 * The role tick boxes as a named group (Tab reaches each box, Space ticks it).
 * Form.Item marks its control aria-required, which a group may not carry: only
 * the props a group may have are passed on.
 */
function RoleCheckboxes({
  id,
  value,
  onChange,
  disabled,
  label,
  options,
  'aria-describedby': describedBy,
}: {
  id?: string;
  value?: AppRole[];
  onChange?: (roles: AppRole[]) => void;
  disabled: boolean;
  label: string;
  options: { value: AppRole; label: string }[];
  'aria-describedby'?: string;
}) {
  return (
    <div role="group" id={id} aria-label={label} aria-describedby={describedBy}>
      <Checkbox.Group<AppRole>
        value={value ?? []}
        onChange={(next) => onChange?.(next)}
        disabled={disabled}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: 8 }}
        options={options}
      />
    </div>
  );
}

export function RequestAccessModal({ open, excludeIds, onClose, onRequested }: RequestAccessModalProps) {
  const translate = useTranslate();
  const roleLabel = useRoleLabel();
  const [form] = Form.useForm<RequestValues>();
  const [organisation, setOrganisation] = useState<OrganisationOption | undefined>();
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; description: string } | undefined>();

  const side = organisation ? sideOfOrganisationType(organisation.type) : undefined;
  const roleOptions = organisation ? rolesForOrganisationType(organisation.type) : [];

  function reset() {
    form.resetFields();
    setOrganisation(undefined);
    setRefusal(undefined);
  }

  async function submit() {
    const values = await form.validateFields();
    if (!organisation || !values.roles) return;
    setSending(true);
    setRefusal(undefined);
    try {
      await callRpc('request_access', { p_organisation_id: organisation.id, p_roles: values.roles });
      onRequested(organisation);
      reset();
    } catch (error) {
      setRefusal(describeRpcError(error));
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal
      open={open}
      title={translate('profile.request.title', 'Request access to another organisation')}
      okText={translate('profile.request.submit', 'Send request')}
      cancelText={translate('buttons.cancel', 'Cancel')}
      confirmLoading={sending}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">
        {translate(
          'profile.request.intro',
          'Choose the organisation and the roles you need there. An administrator will review the request; you will get an email when it is decided.',
        )}
      </Typography.Paragraph>
      <Form<RequestValues> form={form} layout="vertical" name="request-access">
        <Form.Item
          name="organisation_id"
          label={translate('profile.request.organisation', 'Organisation')}
          rules={[{ required: true, message: translate('profile.request.organisationRequired', 'Choose an organisation.') }]}
        >
          <OrganisationSelect
            scope="all"
            excludeIds={excludeIds}
            onChange={(_id, chosen) => {
              setOrganisation(chosen);
              // Roles of the other side make no sense at the new organisation.
              form.setFieldValue('roles', []);
            }}
          />
        </Form.Item>
        {organisation && (
          <Typography.Paragraph>
            <Typography.Text strong>{organisationLabel(organisation)}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              ({translate(`organisationType.${organisation.type}`, organisation.type)},{' '}
              {side === 'commissioner' ? 'commissioner roles' : 'provider roles'})
            </Typography.Text>
          </Typography.Paragraph>
        )}
        {side === 'commissioner' && (
          <Alert
            type="info"
            showIcon
            message={`Segregation of duties: ${translate('roles.segregationOfDuties', SEGREGATION_OF_DUTIES_RULE)}`}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form.Item
          name="roles"
          required
          label={translate('profile.request.roles', 'Roles')}
          extra={
            organisation
              ? undefined
              : translate('profile.request.chooseOrganisationFirst', 'Choose the organisation first: the roles depend on it.')
          }
          rules={[
            {
              validator: async (_rule, value: AppRole[] | undefined) => {
                if (!value || value.length === 0) {
                  throw new Error(translate('profile.request.rolesRequired', 'Choose at least one role.'));
                }
                if (breaksSegregationOfDuties(value)) {
                  throw new Error(translate('roles.segregationOfDuties', SEGREGATION_OF_DUTIES_RULE));
                }
              },
            },
          ]}
        >
          <RoleCheckboxes
            label={translate('profile.request.roles', 'Roles')}
            disabled={!organisation}
            options={roleOptions.map((role) => ({ value: role, label: roleLabel(role) }))}
          />
        </Form.Item>
        {refusal && <Alert type="error" showIcon message={refusal.message} description={refusal.description} />}
      </Form>
    </Modal>
  );
}
