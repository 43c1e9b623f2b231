// Change the roles of one active membership (public.assign_roles). The
// segregation-of-duties rule is shown from the start and a selection that
// breaks it cannot be saved, before the database would refuse it.
import { Alert, Form, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
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

export interface EditRolesModalProps {
  /** The membership being edited; the modal is open while it is set. */
  membership: DirectoryMembership | undefined;
  personName: string;
  saving: boolean;
  onSave: (roles: AppRole[]) => void;
  onCancel: () => void;
}

export function EditRolesModal({ membership, personName, saving, onSave, onCancel }: EditRolesModalProps) {
  const text = useUsersText();
  const [roles, setRoles] = useState<AppRole[]>([]);
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    setRoles(membership ? [...membership.roles] : []);
    setSubmitted(false);
  }, [membership]);

  if (!membership) return null;
  const side = sideOfOrganisationType(membership.type);
  const choices = rolesForSide(side);
  const problem = roleSelectionProblem(side, roles);
  const segregationBroken = breaksSegregationOfDuties(roles);
  const unchanged = roles.length === membership.roles.length && roles.every((role) => membership.roles.includes(role));
  const organisation = membership.ods_code ? `${membership.name} (${membership.ods_code})` : membership.name;

  return (
    <Modal
      open
      title={text('users.roles.title', { name: personName })}
      okText={text('users.roles.save')}
      cancelText={text('users.actions.cancel')}
      okButtonProps={{ disabled: segregationBroken || unchanged, loading: saving }}
      onOk={() => {
        setSubmitted(true);
        if (!problem) onSave(roles);
      }}
      onCancel={onCancel}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph>{text('users.roles.intro', { organisation })}</Typography.Paragraph>
      <Alert
        type={segregationBroken ? 'error' : 'info'}
        showIcon
        role={segregationBroken ? 'alert' : undefined}
        style={{ marginBottom: 16 }}
        message={text('users.roles.segregationTitle')}
        description={
          segregationBroken
            ? text('users.roles.segregationBroken')
            : text.shared('roles.segregationOfDuties', SEGREGATION_OF_DUTIES_RULE)
        }
      />
      <Form layout="vertical" requiredMark={false}>
        <Form.Item
          label={text('users.fields.roles')}
          validateStatus={(submitted && problem) || segregationBroken ? 'error' : undefined}
          help={submitted && problem && !segregationBroken ? roleProblemText(problem, side, text) : undefined}
        >
          <RoleCheckboxes choices={choices} value={roles} onChange={setRoles} />
        </Form.Item>
      </Form>
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
