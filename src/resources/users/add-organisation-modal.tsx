// "Add organisation" (the CQRS job aid's words): give a person an active
// membership of another organisation within the administrator's reach, with
// roles (public.add_membership). Also how a PCN nominated person is made: a
// practice person added to the PCN with Declaration Management. The
// segregation-of-duties rule is shown from the start; an organisation the
// person already has a membership of says what to do instead.
import { Alert, Form, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { OrganisationSelect, type OrganisationOption } from '../../components/organisation-select.tsx';
import { RoleCheckboxes } from './role-checkboxes.tsx';
import {
  ADMINISTRATOR_ROLES,
  breaksSegregationOfDuties,
  roleSelectionProblem,
  rolesForSide,
  SEGREGATION_OF_DUTIES_RULE,
  sideOfOrganisationType,
  type AppRole,
} from './roles.ts';
import { roleProblemText, useUsersText } from './text.ts';
import type { DirectoryMembership } from './types.ts';

export interface AddOrganisationModalProps {
  open: boolean;
  personName: string;
  /** The person's memberships the caller can see (an organisation among them cannot be added again). */
  memberships: readonly DirectoryMembership[];
  saving: boolean;
  onAdd: (organisation: OrganisationOption, roles: AppRole[]) => void;
  onCancel: () => void;
}

export function AddOrganisationModal({ open, personName, memberships, saving, onAdd, onCancel }: AddOrganisationModalProps) {
  const text = useUsersText();
  const [organisation, setOrganisation] = useState<OrganisationOption>();
  const [roles, setRoles] = useState<AppRole[]>([]);
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    if (!open) {
      setOrganisation(undefined);
      setRoles([]);
      setSubmitted(false);
    }
  }, [open]);

  if (!open) return null;
  const side = organisation ? sideOfOrganisationType(organisation.type) : undefined;
  const problem = side ? roleSelectionProblem(side, roles) : undefined;
  const segregationBroken = breaksSegregationOfDuties(roles);
  // A membership that is not rejected blocks adding: say what to do instead.
  const existing = organisation ? memberships.find((m) => m.organisation_id === organisation.id && m.status !== 'rejected') : undefined;
  const existingText = existing
    ? existing.status === 'active'
      ? text('users.addOrganisation.existsActive', { name: personName, organisation: existing.name })
      : existing.status === 'revoked'
        ? text('users.addOrganisation.existsRevoked', { name: personName, organisation: existing.name })
        : text('users.addOrganisation.existsRequested', { name: personName, organisation: existing.name })
    : undefined;

  return (
    <Modal
      open
      title={text('users.addOrganisation.title', { name: personName })}
      okText={text('users.addOrganisation.add')}
      cancelText={text('users.actions.cancel')}
      okButtonProps={{ disabled: segregationBroken || Boolean(existing), loading: saving }}
      onOk={() => {
        setSubmitted(true);
        if (organisation && side && !problem && !existing) onAdd(organisation, roles);
      }}
      onCancel={onCancel}
      destroyOnHidden
      width={600}
    >
      <Typography.Paragraph>{text('users.addOrganisation.intro', { name: personName })}</Typography.Paragraph>
      <Alert
        type={segregationBroken ? 'error' : 'info'}
        showIcon
        role={segregationBroken ? 'alert' : undefined}
        style={{ marginBottom: 16 }}
        message={text('users.roles.segregationTitle')}
        description={
          segregationBroken ? text('users.roles.segregationBroken') : text.shared('roles.segregationOfDuties', SEGREGATION_OF_DUTIES_RULE)
        }
      />
      <Form layout="vertical" requiredMark={false}>
        <Form.Item
          label={text('users.fields.organisation')}
          htmlFor="add-organisation-organisation"
          extra={text('users.addOrganisation.organisationHelp')}
          validateStatus={(submitted && !organisation) || existing ? 'error' : undefined}
          help={existingText ?? (submitted && !organisation ? text('users.addOrganisation.organisationRequired') : undefined)}
        >
          <OrganisationSelect
            id="add-organisation-organisation"
            scope="reachable"
            value={organisation?.id ?? null}
            onChange={(_id, chosen) => {
              setOrganisation(chosen);
              if (chosen) {
                // Roles of the other side cannot be held there: drop them.
                const allowed = rolesForSide(sideOfOrganisationType(chosen.type));
                setRoles((current) => current.filter((role) => allowed.includes(role)));
              }
            }}
          />
        </Form.Item>
        {side && (
          <Form.Item
            label={text('users.fields.roles')}
            validateStatus={(submitted && problem) || segregationBroken ? 'error' : undefined}
            help={submitted && problem && !segregationBroken ? roleProblemText(problem, side, text) : undefined}
          >
            <RoleCheckboxes choices={rolesForSide(side)} value={roles} onChange={setRoles} />
          </Form.Item>
        )}
      </Form>
      {organisation?.type === 'pcn' && (
        <Typography.Paragraph type="secondary">{text('users.addOrganisation.pcnNote')}</Typography.Paragraph>
      )}
      {side === 'commissioner' && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {text('users.roles.administratorNote', {
            roles: ADMINISTRATOR_ROLES.map((role) => text.shared(`roles.${role}`, role)).join(', '),
          })}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
