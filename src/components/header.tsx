// The NHS-blue bar across the top of every signed-in page: the organisation
// switcher (for people with several contexts), the roles held there, the
// unread-notification bell, the user menu and the environment tag. On a phone
// (below antd's `md`) it is compact: the menu button, the organisation, the
// bell and the user menu as an icon; the roles and the environment move into
// the menu drawer (PhoneMenuSummary).
import { BellOutlined, DownOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useGetIdentity, useList, useLogout, useResourceParams, useTranslate } from '@refinedev/core';
import { Badge, Button, Dropdown, Grid, Layout, Select, Tag, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAccess, usePortalContexts } from '../providers/access-context.tsx';
import type { PortalContext } from '../providers/access.ts';
import { NHS_BLUE } from '../theme.ts';
import { contextHome, contextListRoutes, switchContextPath } from './context-path.ts';
import { useRoleLabel } from './role-tags.tsx';
import { MENU_BUTTON_ID } from './sider.tsx';

export interface PortalHeaderProps {
  productName: string;
  /** Which Supabase project the portal is using, e.g. "Local stack". */
  environment?: string | undefined;
  /** The organisation being viewed (undefined outside `/:org`). */
  context: PortalContext | undefined;
  /** On a phone: opens the menu drawer (the button shows only when given). */
  onOpenMenu?: (() => void) | undefined;
  menuOpen?: boolean;
}

/** How often the bell asks for the unread count (it also asks when the window regains focus). */
export const UNREAD_POLL_MS = 30_000;

const SWITCHER_ID = 'organisation-switcher';

/** The header's menus open inside it: the banner landmark (at the end of <body> they were outside every landmark). */
const insideHeader = (trigger: HTMLElement): HTMLElement => trigger.closest<HTMLElement>('header') ?? document.body;

function contextOptionLabel(context: PortalContext): string {
  return context.membership ? `${context.key} – ${context.label}` : context.label;
}

/** Unread notifications of the signed-in person (RLS: own rows only). */
export function useUnreadCount(initial: number | undefined): number | undefined {
  const { result, query } = useList({
    resource: 'notifications',
    // Unread and not done: a task whose subject was decided no longer waits (as my_access counts).
    filters: [
      { field: 'read_at', operator: 'null', value: true },
      { field: 'done_at', operator: 'null', value: true },
    ],
    pagination: { currentPage: 1, pageSize: 1 },
    meta: { select: 'id' },
    queryOptions: { refetchInterval: UNREAD_POLL_MS, refetchOnWindowFocus: true },
    errorNotification: false,
  });
  return query.isSuccess ? (result.total ?? 0) : initial;
}

/** The roles held in the context, for the header ("Organisation Administrator, User Administrator"). */
function useRolesText(context: PortalContext | undefined): string {
  const roleLabel = useRoleLabel();
  // The Support Desk context is named after its only role: no need to say it twice.
  return context?.membership ? context.roles.map(roleLabel).join(', ') : '';
}

/** What the phone header leaves out, at the top of the menu drawer: who is signed in, their roles, the environment. */
export function PhoneMenuSummary({ context, environment }: { context: PortalContext | undefined; environment?: string | undefined }) {
  const { access } = useAccess();
  const roles = useRolesText(context);
  return (
    <div style={{ padding: '12px 16px', borderBottom: '1px solid rgba(5, 5, 5, 0.06)', display: 'grid', gap: 4 }}>
      {access?.full_name && <Typography.Text strong>{access.full_name}</Typography.Text>}
      {context && <Typography.Text>{contextOptionLabel(context)}</Typography.Text>}
      {roles && <Typography.Text type="secondary">{roles}</Typography.Text>}
      {environment && (
        <Tag bordered={false} color="blue" style={{ justifySelf: 'start' }}>
          {environment}
        </Tag>
      )}
    </div>
  );
}

function OrganisationSwitcher({
  contexts,
  current,
  compact,
}: {
  contexts: PortalContext[];
  current: PortalContext | undefined;
  compact: boolean;
}) {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { resources } = useResourceParams();
  const listRoutes = useMemo(() => contextListRoutes(resources), [resources]);

  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0, flex: '0 1 auto' }}>
      {/* On a phone the label is for screen readers only: the room goes to the organisation's name. */}
      <label htmlFor={SWITCHER_ID} className={compact ? 'visually-hidden' : undefined} style={{ color: '#fff', whiteSpace: 'nowrap' }}>
        {translate('shell.organisation', 'Organisation')}
      </label>
      <Select<string>
        id={SWITCHER_ID}
        value={current?.key}
        placeholder={translate('shell.switchOrganisation', 'Switch organisation')}
        style={{ width: 280, maxWidth: '100%', minWidth: 0 }}
        popupMatchSelectWidth={false}
        getPopupContainer={insideHeader}
        showSearch
        optionFilterProp="label"
        options={contexts.map((context) => ({ value: context.key, label: contextOptionLabel(context) }))}
        onChange={(key) => {
          const next = contexts.find((context) => context.key === key);
          if (next && next.key !== current?.key) {
            navigate(current ? switchContextPath(pathname, next, listRoutes) : contextHome(next));
          }
        }}
      />
    </div>
  );
}

export function PortalHeader({ productName, environment, context, onOpenMenu, menuOpen = false }: PortalHeaderProps) {
  const translate = useTranslate();
  const breakpoint = Grid.useBreakpoint();
  const narrow = breakpoint.xl === false;
  const phone = breakpoint.md === false;
  const { access } = useAccess();
  const contexts = usePortalContexts();
  const { data: identity } = useGetIdentity<{ name?: string; email?: string }>();
  const { mutate: logout } = useLogout();
  const navigate = useNavigate();
  const rolesText = useRolesText(context);
  const unread = useUnreadCount(access?.unread_notifications);

  const displayName = access?.full_name?.trim() || identity?.name || access?.email || identity?.email || '';
  const roles = phone ? '' : rolesText;
  const bellTarget = context ?? contexts[0];
  const unreadLabel = translate('shell.unreadNotifications', { count: unread ?? 0 }, `${unread ?? 0} unread notifications`);

  return (
    <Layout.Header
      className="portal-header"
      style={{
        background: NHS_BLUE,
        height: 64,
        lineHeight: 'normal',
        padding: phone ? '0 8px' : '0 16px 0 24px',
        display: 'flex',
        alignItems: 'center',
        gap: phone ? 4 : 16,
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      {onOpenMenu && (
        <Button
          id={MENU_BUTTON_ID}
          type="text"
          icon={<MenuOutlined style={{ fontSize: 20 }} />}
          onClick={onOpenMenu}
          aria-label={translate('shell.openMenu', 'Menu')}
          aria-expanded={menuOpen}
          aria-haspopup="dialog"
          style={{ color: '#fff', flex: 'none' }}
        />
      )}
      <div style={{ flex: '1 1 auto', minWidth: 0, display: 'flex', alignItems: 'center', gap: 16 }}>
        {contexts.length > 1 ? (
          <OrganisationSwitcher contexts={contexts} current={context} compact={phone} />
        ) : context ? (
          <Typography.Text strong style={{ color: '#fff', flex: '0 1 auto', maxWidth: 360, minWidth: 0 }} ellipsis>
            {contextOptionLabel(context)}
          </Typography.Text>
        ) : (
          <Typography.Text strong style={{ color: '#fff' }} ellipsis>
            {narrow ? productName : translate('shell.tagline', 'Local services and incentive schemes')}
          </Typography.Text>
        )}
        {roles && (
          <Tooltip title={roles}>
            <Typography.Text style={{ color: '#fff', opacity: 0.9, flex: '1 1 0', minWidth: 80, fontSize: 13 }} ellipsis>
              {roles}
            </Typography.Text>
          </Tooltip>
        )}
      </div>

      {bellTarget && (
        <Tooltip title={unreadLabel}>
          <Link
            to={contextHome(bellTarget)}
            aria-label={`${translate('shell.notifications', 'Notifications')}: ${unreadLabel}`}
            style={{ color: '#fff', display: 'inline-flex', padding: 8, flex: 'none' }}
          >
            <Badge count={unread ?? 0} size="small" offset={[2, -2]}>
              <BellOutlined style={{ fontSize: 20, color: '#fff' }} />
            </Badge>
          </Link>
        </Tooltip>
      )}

      <Dropdown
        trigger={['click']}
        getPopupContainer={insideHeader}
        // Opened with Enter or Space, the menu takes the focus (arrow keys, Enter; Escape returns).
        autoFocus
        menu={{
          items: [
            { key: 'profile', label: translate('shell.myProfile', 'My profile') },
            { type: 'divider' },
            { key: 'logout', label: translate('shell.signOut', 'Sign out') },
          ],
          onClick: ({ key }) => {
            if (key === 'profile') navigate('/profile');
            if (key === 'logout') logout();
          },
        }}
      >
        <Button type="text" style={{ color: '#fff', maxWidth: 240, flex: 'none' }} aria-label={`User menu: ${displayName}`}>
          <UserOutlined />
          {/* On a phone the icon alone: the name is in the menu drawer (and the button's accessible name). */}
          {!phone && (
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: 170 }}>
              {displayName}
            </span>
          )}
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>

      {environment && !phone && (
        <Tag bordered={false} style={{ marginInlineEnd: 0, background: '#fff', color: NHS_BLUE }}>
          {environment}
        </Tag>
      )}
    </Layout.Header>
  );
}
