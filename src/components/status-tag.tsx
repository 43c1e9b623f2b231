// Account and membership statuses as coloured tags in plain words.
import { useTranslate } from '@refinedev/core';
import { Tag } from 'antd';
import type { AccountStatus, MembershipStatus } from '../providers/access.ts';

const ACCOUNT_COLOURS: Record<AccountStatus, string> = {
  pending: 'gold',
  invited: 'blue',
  active: 'green',
  rejected: 'red',
  disabled: 'default',
};

const MEMBERSHIP_COLOURS: Record<MembershipStatus, string> = {
  requested: 'gold',
  active: 'green',
  rejected: 'red',
  revoked: 'default',
};

function tidy(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function AccountStatusTag({ status }: { status: AccountStatus | string | null | undefined }) {
  const translate = useTranslate();
  if (!status) return null;
  return (
    <Tag color={ACCOUNT_COLOURS[status as AccountStatus] ?? 'default'}>
      {translate(`accountStatus.${status}`, tidy(status))}
    </Tag>
  );
}

export function MembershipStatusTag({ status }: { status: MembershipStatus | string | null | undefined }) {
  const translate = useTranslate();
  if (!status) return null;
  return (
    <Tag color={MEMBERSHIP_COLOURS[status as MembershipStatus] ?? 'default'}>
      {translate(`membershipStatus.${status}`, tidy(status))}
    </Tag>
  );
}
