// What happened to a person's account and access, newest first, from the
// append-only audit trail (rows the caller may read: RLS decides).
import { useList } from '@refinedev/core';
import { Alert, Button, Empty, Spin, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { formatUkDateTimeShort } from './format.ts';
import { humanise, useUsersText, type UsersText } from './text.ts';
import { personLabel, USER_DIRECTORY, type AuditEntry, type DirectoryMembership, type UserDirectoryRow } from './types.ts';
import { Constants, type Json } from '../../types/database.ts';

const PAGE_SIZE = 25;

/** The roles an audit entry's before/after row carries, if any. */
function rolesOf(row: Json | null): string[] | undefined {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return undefined;
  const roles = (row as Record<string, Json | undefined>).roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : undefined;
}

const KNOWN_ACTIONS = [
  'account.disable',
  'account.disable_own',
  'account.enable',
  'cluster.assign',
  'cluster.unassign',
  'membership.approve',
  'membership.assign_roles',
  'membership.enable',
  'membership.invite',
  'membership.reject',
  'membership.request',
  'membership.revoke',
  'registration.approve',
  'registration.reject',
  'registration.submit',
  'user.invite',
] as const;

/** The action in words, e.g. "Roles changed at NHS Northshire ICB (ZN1)". */
export function describeAuditAction(entry: AuditEntry, text: UsersText, organisationLabel: string | undefined): string {
  const known = (KNOWN_ACTIONS as readonly string[]).includes(entry.action);
  const base = known
    ? text(`users.audit.${entry.action as (typeof KNOWN_ACTIONS)[number]}`)
    : humanise(entry.action.replace('.', ': '));
  return organisationLabel ? text('users.audit.atOrganisation', { action: base, organisation: organisationLabel }) : base;
}

export interface AuditTimelineProps {
  user: UserDirectoryRow;
}

export function AuditTimeline({ user }: AuditTimelineProps) {
  const text = useUsersText();
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const { query, result } = useList<AuditEntry>({
    resource: 'audit_log',
    filters: [{ field: 'subject_profile_id', operator: 'eq', value: user.id }],
    sorters: [
      { field: 'occurred_at', order: 'desc' },
      { field: 'id', order: 'desc' },
    ],
    pagination: { currentPage: 1, pageSize },
    errorNotification: false,
  });
  const entries = result.data;

  // Actors' names: those the caller may see (the directory decides); others stay anonymous.
  const actorIds = [...new Set(entries.map((entry) => entry.actor_id).filter((id): id is string => !!id))];
  const actors = useList<Pick<UserDirectoryRow, 'id' | 'full_name' | 'email'>>({
    resource: USER_DIRECTORY,
    filters: [{ field: 'id', operator: 'in', value: actorIds }],
    pagination: { mode: 'off' },
    meta: { select: 'id, full_name, email' },
    queryOptions: { enabled: actorIds.length > 0 },
    errorNotification: false,
  });
  const actorNames = new Map(actors.result.data.map((actor) => [actor.id, personLabel(actor)]));
  const organisations = new Map<string, DirectoryMembership>(
    (user.memberships ?? []).map((membership) => [membership.organisation_id, membership]),
  );

  if (query.isLoading) return <Spin tip={text('users.audit.loading')}><div style={{ minHeight: 80 }} /></Spin>;
  if (query.isError) {
    return <Alert type="error" showIcon message={text('users.audit.loadFailed')} description={query.error?.message} />;
  }
  if (entries.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text('users.audit.empty')} />;
  }

  const actorLabel = (entry: AuditEntry) => {
    if (!entry.actor_id) return text('users.audit.system');
    if (entry.actor_id === user.id) return personLabel(user);
    return actorNames.get(entry.actor_id) ?? text('users.audit.anotherAdministrator');
  };

  return (
    <>
      <Timeline
        items={entries.map((entry) => {
          const membership = entry.organisation_id ? organisations.get(entry.organisation_id) : undefined;
          const organisationLabel = membership
            ? membership.ods_code
              ? `${membership.name} (${membership.ods_code})`
              : membership.name
            : undefined;
          const roles = entry.action === 'membership.assign_roles' ? rolesOf(entry.after) : undefined;
          return {
            key: entry.id,
            color: entry.action.endsWith('disable') || entry.action.endsWith('revoke') || entry.action.endsWith('reject') ? 'red' : 'blue',
            children: (
              <div>
                <Typography.Text type="secondary">
                  <time dateTime={entry.occurred_at}>{formatUkDateTimeShort(entry.occurred_at)}</time>
                </Typography.Text>
                <div>
                  <Typography.Text strong>{describeAuditAction(entry, text, organisationLabel)}</Typography.Text>
                </div>
                {roles && (
                  <div>
                    {text('users.audit.newRoles', {
                      roles: roles.map((role) => text.shared(`roles.${role}`, humanise(role))).join(', ') || '–',
                    })}
                  </div>
                )}
                <div>{text('users.audit.by', { actor: actorLabel(entry) })}</div>
                {entry.reason && <div>{text('users.audit.reason', { reason: reasonInWords(entry.reason, text) })}</div>}
              </div>
            ),
          };
        })}
      />
      {result.total !== undefined && result.total > entries.length && (
        <Button onClick={() => setPageSize((size) => size + PAGE_SIZE)} loading={query.isFetching}>
          {text('users.audit.showMore')}
        </Button>
      )}
    </>
  );
}

/** account.disable records the reason code when there is no free text: say it in words. */
function reasonInWords(reason: string, text: UsersText): string {
  return (Constants.public.Enums.disable_reason as readonly string[]).includes(reason)
    ? text.shared(`disableReason.${reason}`, humanise(reason))
    : reason;
}
