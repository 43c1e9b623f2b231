// The signed-in frame: header, side menu and page, in two flavours: inside an
// organisation context (`/:org/...`, guarded: the organisation must be one of
// the caller's, and the page one its roles allow) and outside one (`/profile`,
// `/accept-invitation`). Also the `/` redirect to the first context's home.
import { ThemedLayout } from '@refinedev/antd';
import { useResourceParams, useTranslate } from '@refinedev/core';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Grid, Result, Space, Spin } from 'antd';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState, type MutableRefObject, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { useAccess, usePortalContexts } from '../providers/access-context.tsx';
import { canAccess, findContext, type PortalContext } from '../providers/access.ts';
import { PageErrorBoundary } from './error-boundary.tsx';
import { contextFreeLinkTarget, contextHome, contextListRoutes, listRouteOfPath, pageSegments } from './context-path.ts';
import { PhoneMenuSummary, PortalHeader } from './header.tsx';
import { NotFound } from './not-found.tsx';
import { ResultTitle } from './page.tsx';
import { MenuDrawer, PortalSider } from './sider.tsx';

export interface ShellSettings {
  productName: string;
  environment?: string | undefined;
  /** Where the access control provider reads the context from (kept in step with the page shown). */
  contextRef: MutableRefObject<PortalContext | undefined>;
}

export const ShellSettingsContext = createContext<ShellSettings | null>(null);

function useShellSettings(): ShellSettings {
  const settings = useContext(ShellSettingsContext);
  if (!settings) throw new Error('ShellSettingsContext is missing');
  return settings;
}

/** Tell the access control provider which context the page is judged in, and drop answers about the old one. */
function useAccessControlContext(context: PortalContext | undefined): void {
  const { contextRef } = useShellSettings();
  const queryClient = useQueryClient();
  // Assigned while rendering so the menus and buttons below already see it.
  contextRef.current = context;
  const signature = context ? `${context.key}:${context.roles.join(',')}` : '';
  useLayoutEffect(() => {
    void queryClient.resetQueries({ queryKey: ['access'] });
  }, [queryClient, signature]);
}

/** An ODS code or "support" (not a typo'd page such as "/no-such-page", which is a 404). */
function looksLikeContextKey(segment: string): boolean {
  return /^[A-Za-z0-9]{2,10}$/.test(segment);
}

export function AccessLoading() {
  const translate = useTranslate();
  return (
    <div style={{ minHeight: '60vh', display: 'grid', placeItems: 'center' }}>
      <Spin size="large" tip={translate('shell.loadingAccess', 'Loading your access…')}>
        <div style={{ width: 200, height: 80 }} />
      </Spin>
    </div>
  );
}

function AccessError({ error }: { error: unknown }) {
  const translate = useTranslate();
  const { refresh } = useAccess();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Result
      status="error"
      title={<ResultTitle>{translate('shell.accessError', 'Your access could not be loaded')}</ResultTitle>}
      subTitle={message}
      extra={
        <Button type="primary" onClick={() => void refresh()}>
          {translate('common.retry', 'Try again')}
        </Button>
      }
    />
  );
}

/** The organisation in the address is not one of the caller's active contexts. */
export function NoAccessResult() {
  const translate = useTranslate();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={<ResultTitle>{translate('shell.noAccess.title', 'You do not have access to this organisation')}</ResultTitle>}
      subTitle={translate(
        'shell.noAccess.subTitle',
        'The address names an organisation you are not an active member of. Choose one of your organisations instead, or request access from your profile.',
      )}
      extra={
        <Space wrap>
          <Button type="primary" onClick={() => navigate('/')}>
            {translate('shell.goHome', 'Go to the home page')}
          </Button>
          <Button onClick={() => navigate('/profile')}>{translate('shell.goProfile', 'Go to my profile')}</Button>
        </Space>
      }
    />
  );
}

/** The context is the caller's, but its roles do not allow this page. */
export function ForbiddenResult({ context }: { context: PortalContext }) {
  const translate = useTranslate();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={<ResultTitle>{translate('shell.forbidden.title', 'You cannot open this page')}</ResultTitle>}
      subTitle={translate(
        'shell.forbidden.subTitle',
        { organisation: context.label },
        `Your roles at ${context.label} do not include this page.`,
      )}
      extra={
        <Button type="primary" onClick={() => navigate(contextHome(context))}>
          {translate('shell.goHome', 'Go to the home page')}
        </Button>
      }
    />
  );
}

/** On a phone: the menu drawer's state, for the header's menu button (null: side menu instead). */
const MenuDrawerStateContext = createContext<{ open: () => void; isOpen: boolean } | null>(null);

/**
 * ThemedLayout with the portal's header and menu. `context` is the one being
 * viewed (header); `menuContext` where the menu links go (defaults to it).
 * Below antd's `md` breakpoint (phones) there is no side menu: the header's
 * menu button opens it in a drawer, which closes when the page changes.
 */
function Frame({
  context,
  menuContext = context,
  children,
}: {
  context: PortalContext | undefined;
  menuContext?: PortalContext | undefined;
  children: ReactNode;
}) {
  const { productName, environment } = useShellSettings();
  // Undefined before antd has measured the screen: start with the side menu.
  const phone = Grid.useBreakpoint().md === false;
  // Someone who can act for no organisation yet (invited, pending, everything revoked) has no
  // menu entries: no empty side menu or menu button, the page has the width.
  const hasMenu = menuContext !== undefined;
  const [menuOpen, setMenuOpen] = useState(false);
  const openMenu = useCallback(() => setMenuOpen(true), []);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  const { pathname } = useLocation();
  // A new page (a menu link, a link on the page, Back) or a wider screen closes the drawer.
  useEffect(() => setMenuOpen(false), [pathname, phone]);

  // Stable component identities: ThemedLayout renders these as components, so new functions would remount them
  // (the open state comes through a context, so opening the drawer does not remount the header and lose the focus).
  const Header = useMemo(
    () =>
      function HeaderSlot() {
        const drawer = useContext(MenuDrawerStateContext);
        return (
          <PortalHeader
            productName={productName}
            environment={environment}
            context={context}
            onOpenMenu={drawer?.open}
            menuOpen={drawer?.isOpen ?? false}
          />
        );
      },
    [productName, environment, context],
  );
  const Sider = useMemo(
    () =>
      function SiderSlot() {
        return phone || !hasMenu ? null : <PortalSider productName={productName} context={menuContext} />;
      },
    [productName, menuContext, phone, hasMenu],
  );
  const drawerState = useMemo(
    () => (phone && hasMenu ? { open: openMenu, isOpen: menuOpen } : null),
    [phone, hasMenu, openMenu, menuOpen],
  );
  return (
    <MenuDrawerStateContext.Provider value={drawerState}>
      <ThemedLayout Header={Header} Sider={Sider}>
        {children}
      </ThemedLayout>
      {drawerState && (
        <MenuDrawer productName={productName} context={menuContext} open={menuOpen} onClose={closeMenu}>
          <PhoneMenuSummary context={context} environment={environment} />
        </MenuDrawer>
      )}
    </MenuDrawerStateContext.Provider>
  );
}

/**
 * Which resource and action the current page needs: Refine's match when it is
 * the page's own resource, else at least the list of the resource whose pages
 * the path is in. Pages of no resource (none today) are left to themselves.
 */
function useRequiredAccess(): { resource: string; action: string } | undefined {
  const { pathname } = useLocation();
  const { resource, action, resources } = useResourceParams();
  const listRoutes = useMemo(() => contextListRoutes(resources), [resources]);
  if (pageSegments(pathname).length === 0) return { resource: 'home', action: 'list' };
  const owner = listRouteOfPath(pathname, listRoutes)?.resource;
  if (!owner) return undefined;
  if (resource?.name === owner && action) return { resource: owner, action };
  return { resource: owner, action: 'list' };
}

/** `/:org` and everything under it. */
export function ContextLayout() {
  const { access, isLoading, error } = useAccess();
  const contexts = usePortalContexts();
  const fallback = contexts[0];
  const { org } = useParams();
  const { pathname, search } = useLocation();
  const context = useMemo(() => findContext(access, org), [access, org]);
  const required = useRequiredAccess();
  const { resources } = useResourceParams();
  const emailedLinkTarget = useMemo(
    () => (context ? undefined : contextFreeLinkTarget(pathname, contexts, contextListRoutes(resources))),
    [context, pathname, contexts, resources],
  );
  // Outside the caller's organisations the menu leads back to their first one.
  useAccessControlContext(context ?? fallback);

  if (!access && isLoading) return <AccessLoading />;
  if (!access) return <AccessError error={error} />;
  if (emailedLinkTarget) return <Navigate to={`${emailedLinkTarget}${search}`} replace />;
  if (!context && org && !looksLikeContextKey(org)) {
    return (
      <Frame context={undefined}>
        <NotFound />
      </Frame>
    );
  }
  if (!context) {
    return (
      <Frame context={undefined} menuContext={fallback}>
        <NoAccessResult />
      </Frame>
    );
  }
  const allowed = required ? canAccess(context, required.resource, required.action).can : true;
  return (
    <Frame context={context}>
      {/* A new context is a new world: pages start afresh (filters, forms, cached permissions). */}
      {allowed ? (
        <PageErrorBoundary key={`${context.key}${pathname}`}>
          <Outlet key={context.key} />
        </PageErrorBoundary>
      ) : (
        <ForbiddenResult context={context} />
      )}
    </Frame>
  );
}

/** Signed-in pages outside a context; the menu links to the first context. */
export function StandaloneLayout() {
  const { access, isLoading, error } = useAccess();
  const contexts = usePortalContexts();
  const fallback = contexts[0];
  const { pathname } = useLocation();
  useAccessControlContext(fallback);
  if (!access && isLoading) return <AccessLoading />;
  if (!access) return <AccessError error={error} />;
  return (
    <Frame context={undefined} menuContext={fallback}>
      <PageErrorBoundary key={pathname}>
        <Outlet />
      </PageErrorBoundary>
    </Frame>
  );
}

/** `/`: the first context's home, or the profile when the person has none. */
export function HomeRedirect() {
  const { access, isLoading, error } = useAccess();
  const contexts = usePortalContexts();
  if (!access && isLoading) return <AccessLoading />;
  if (!access) return <AccessError error={error} />;
  const first = contexts[0];
  return <Navigate to={first ? contextHome(first) : '/profile'} replace />;
}

/** Shown on the profile when the person cannot act for any organisation. */
export function NoContextBanner() {
  const { access } = useAccess();
  const contexts = usePortalContexts();
  if (!access || contexts.length > 0) return null;
  const requested = access.memberships.some((membership) => membership.status === 'requested');
  let message: string;
  let description: string;
  if (access.status === 'pending') {
    message = 'Your registration is waiting for approval';
    description =
      'An administrator will review it. You will get an email when it has been decided; until then you can only see this page.';
  } else if (access.status === 'invited') {
    message = 'Your invitation has not been accepted yet';
    description = 'Follow the link in the invitation email to finish setting up your account.';
  } else if (requested) {
    message = 'You have no active access to an organisation';
    description = 'Your request for access is waiting for an administrator. You will get an email when it is decided.';
  } else {
    message = 'You have no active access to an organisation';
    description =
      'Your access may have been removed or not granted yet. Request access to your organisation below; an administrator will review it.';
  }
  return <Alert type="info" showIcon message={message} description={description} style={{ marginBottom: 16 }} />;
}
