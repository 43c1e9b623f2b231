// Roles as tags in plain words ("Approver Tier 1"), coloured by side:
// platform purple, commissioner blue, provider green.
import { useTranslate } from '@refinedev/core';
import { Space, Tag, Typography } from 'antd';
import { COMMISSIONER_ROLES, type AppRole } from '../providers/access.ts';

function colourOf(role: AppRole): string {
  if (role === 'support_desk') return 'purple';
  return COMMISSIONER_ROLES.includes(role) ? 'blue' : 'green';
}

/** "approver_tier_1" → "Approver Tier 1" without the i18n context (for CSV, titles). */
export function roleLabelFallback(role: string): string {
  return role
    .split('_')
    .map((word) => (/^\d+$/.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

export function useRoleLabel(): (role: string) => string {
  const translate = useTranslate();
  return (role) => translate(`roles.${role}`, roleLabelFallback(role));
}

export function RoleTags({ roles, empty = '–' }: { roles: readonly AppRole[] | null | undefined; empty?: string }) {
  const label = useRoleLabel();
  if (!roles || roles.length === 0) return <Typography.Text type="secondary">{empty}</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {roles.map((role) => (
        <Tag key={role} color={colourOf(role)}>
          {label(role)}
        </Tag>
      ))}
    </Space>
  );
}
