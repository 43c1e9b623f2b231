// The roles an organisation's side can hold, as checkboxes in two columns,
// each with its short description (src/components/role-option.tsx). Works as an antd
// Form control (value / onChange) or on its own.
import { Checkbox, Col, Row } from 'antd';
import { RoleOption } from '../../components/role-option.tsx';
import type { AppRole } from './roles.ts';
import { useUsersText } from './text.ts';

export interface RoleCheckboxesProps {
  choices: readonly AppRole[];
  value?: AppRole[];
  onChange?: (roles: AppRole[]) => void;
  id?: string;
}

export function RoleCheckboxes({ choices, value, onChange, id }: RoleCheckboxesProps) {
  const text = useUsersText();
  return (
    <Checkbox.Group {...(id ? { id } : {})} value={value ?? []} onChange={(values) => onChange?.(values as AppRole[])} style={{ width: '100%' }}>
      <Row gutter={[16, 6]}>
        {choices.map((role) => (
          <Col key={role} xs={24} sm={12}>
            <RoleOption role={role} label={text.shared(`roles.${role}`, role)} idPrefix={id ?? 'roles'} />
          </Col>
        ))}
      </Row>
    </Checkbox.Group>
  );
}
