// One role's tick box with its short description beside it (the words are in
// src/i18n/common.ts, `roleDescriptions.<role>`, one place for every form).
// The description is outside the box's label, so the box is still named by
// the role alone, and it is linked to the box with aria-describedby.
import { useTranslate } from '@refinedev/core';
import { Checkbox, Typography } from 'antd';
import type { AppRole } from '../providers/access.ts';

/** The short description of a role ('' when there is none). */
export function useRoleDescription(): (role: AppRole) => string {
  const translate = useTranslate();
  return (role) => {
    const key = `roleDescriptions.${role}`;
    const value = translate(key, undefined, '');
    return value === key ? '' : value;
  };
}

export function RoleOption({ role, label, idPrefix = 'role' }: { role: AppRole; label: string; idPrefix?: string }) {
  const describe = useRoleDescription();
  const description = describe(role);
  const descriptionId = `${idPrefix}-${role}-description`;
  return (
    <div>
      <Checkbox value={role} aria-describedby={description ? descriptionId : undefined}>
        {label}
      </Checkbox>
      {description && (
        <Typography.Text id={descriptionId} type="secondary" style={{ display: 'block', marginLeft: 24, fontSize: 13 }}>
          {description}
        </Typography.Text>
      )}
    </div>
  );
}
