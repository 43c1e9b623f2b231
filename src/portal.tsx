// The portal without its data source: providers, layout and routes. App.tsx
// gives it Supabase; UI tests give it test doubles (data, auth, my_access, RPC).
//
// Routes: signed-out pages (/login, /forgot-password, /update-password and the
// areas' publicRoutes such as /register), signed-in pages outside a context
// (/profile and the areas' standaloneRoutes), and the organisation context
// /:org with every area's routes. `/` goes to the first context's home.
import { AuthPage, useNotificationProvider } from '@refinedev/antd';
import { Authenticated, Refine, type AuthProvider, type DataProvider, type IResourceItem } from '@refinedev/core';
import { CatchAllNavigate, DocumentTitleHandler, UnsavedChangesNotifier } from '@refinedev/react-router';
import { keepPreviousData, QueryClient } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider, theme, Typography } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Navigate, Outlet, Route, Routes } from 'react-router';
import { hideDecorativeIcons } from './components/decorative-icons.ts';
import { PortalBrand, PortalLogo } from './components/logo.tsx';
import { NotFound } from './components/not-found.tsx';
import { ContextLayout, HomeRedirect, ShellSettingsContext, StandaloneLayout } from './components/portal-layout.tsx';
import { setRpcTransport, type RpcTransport } from './components/rpc.ts';
import { AccessProvider, loadAccessFromRpc, type AccessLoader } from './providers/access-context.tsx';
import { createAccessControlProvider } from './providers/access-control.ts';
import type { PortalContext } from './providers/access.ts';
import { i18nProvider, translate } from './providers/i18n-provider.ts';
import { routerProvider } from './providers/router-provider.tsx';
import { contextRoutes, portalResources, publicRoutes, standaloneRoutes } from './resources/index.ts';
import { portalTheme } from './theme.ts';
import './focus.css';
import './responsive.css';

export const PRODUCT_NAME = 'Commissioning Portal';

/** Where toasts appear: a landmark of their own (axe's "region" rule; antd puts them loose at the end of <body>). */
const TOAST_REGION_ID = 'portal-toasts';
const toastContainer = (): HTMLElement => document.getElementById(TOAST_REGION_ID) ?? document.body;

export interface PortalProps {
  dataProvider: DataProvider;
  authProvider: AuthProvider;
  /** Shown in the header, e.g. "Local stack". */
  environment?: string | undefined;
  /** Loads the signed-in person's access; defaults to the my_access RPC. */
  loadAccess?: AccessLoader | undefined;
  /** How RPCs are sent; defaults to supabase-js. UI tests pass a double. */
  rpc?: RpcTransport | undefined;
}

/** Titles of pages that are not a resource's page. */
const PATH_TITLES: Array<[prefix: string, key: string, fallback: string]> = [
  ['/login', 'shell.titles.login', 'Sign in'],
  ['/register/confirmation', 'shell.titles.registrationConfirmation', 'Registration received'],
  ['/register', 'shell.titles.register', 'Register'],
  ['/forgot-password', 'shell.titles.forgotPassword', 'Forgot your password'],
  ['/update-password', 'shell.titles.updatePassword', 'Set a new password'],
  ['/accept-invitation', 'shell.titles.acceptInvitation', 'Accept your invitation'],
  ['/profile', 'shell.titles.profile', 'My profile'],
];

/** "<Page> – Commissioning Portal": an area's `<name>.titles.<action>`, else its label (and the action). */
export function documentTitle({
  resource,
  action,
  pathname,
}: {
  resource?: IResourceItem;
  action?: string;
  pathname?: string;
}): string {
  const path = PATH_TITLES.find(([prefix]) => pathname === prefix || pathname?.startsWith(`${prefix}/`));
  let page: string | undefined;
  if (path) {
    page = translate(path[1], path[2]);
  } else if (resource?.name) {
    const act = action ?? 'list';
    const key = `${resource.name}.titles.${act}`;
    const titled = translate(key);
    const label = typeof resource.meta?.label === 'string' ? resource.meta.label : undefined;
    page =
      titled !== key ? titled : act === 'list' || !label ? label : `${label}: ${translate(`actions.${act}`, act)}`;
  }
  return page ? `${page} – ${PRODUCT_NAME}` : PRODUCT_NAME;
}

/** Refine's own card titles of the sign-in pages (keys and defaults as in @refinedev/antd). */
const AUTH_TITLES = {
  login: ['pages.login.title', 'Sign in to your account'],
  forgotPassword: ['pages.forgotPassword.title', 'Forgot your password?'],
  updatePassword: ['pages.updatePassword.title', 'Set New Password'],
} as const;

/**
 * The sign-in pages, with the product's name above the card. The page is the
 * main landmark and the card's title its h1 (Refine draws an h3 in a plain section).
 */
function AuthScreen({ type }: { type: 'login' | 'forgotPassword' | 'updatePassword' }) {
  const { token } = theme.useToken();
  const [key, fallback] = AUTH_TITLES[type];
  return (
    <AuthPage
      type={type}
      title={<PortalBrand productName={PRODUCT_NAME} style={{ fontSize: 20 }} />}
      rememberMe={false}
      formProps={{ requiredMark: false }}
      renderContent={(content, title) => (
        <main>
          {title}
          {content}
        </main>
      )}
      contentProps={{
        title: (
          <Typography.Title level={1} style={{ color: token.colorPrimaryTextHover, fontSize: 24, textAlign: 'center', margin: 0 }}>
            {translate(key, fallback)}
          </Typography.Title>
        ),
      }}
    />
  );
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Refine's defaults, plus one retry for a network blip (a refused request will not change its mind).
        refetchOnWindowFocus: false,
        placeholderData: keepPreviousData,
        retry: 1,
      },
    },
  });
}

/**
 * The auth provider, plus: signing in or out forgets every cached answer, so the
 * next person in this browser never sees the last one's access or data.
 */
function forgetOnSessionChange(authProvider: AuthProvider, queryClient: QueryClient): AuthProvider {
  return {
    ...authProvider,
    login: async (params: unknown) => {
      signedOutOnPurpose = false;
      const result = await authProvider.login(params);
      if (result.success) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      return result;
    },
    logout: async (params: unknown) => {
      signedOutOnPurpose = true;
      const result = await authProvider.logout(params);
      if (result.success) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
      else signedOutOnPurpose = false;
      return result;
    },
  };
}

// Set by signing out, read once by the sign-in redirect below.
let signedOutOnPurpose = false;

/**
 * Where a signed-out visitor goes: the sign-in page, which returns them to the
 * page they asked for (an emailed link, a bookmark) — except right after
 * signing out, when that page was the previous person's and the next person
 * to sign in here must start from their own home.
 */
function SignInRedirect() {
  if (signedOutOnPurpose) {
    signedOutOnPurpose = false;
    return <Navigate to="/login" replace />;
  }
  return <CatchAllNavigate to="/login" />;
}

export function Portal({ dataProvider, authProvider, environment, loadAccess, rpc }: PortalProps) {
  setRpcTransport(rpc);
  const [queryClient] = useState(createQueryClient);
  const auth = useMemo(() => forgetOnSessionChange(authProvider, queryClient), [authProvider, queryClient]);
  const contextRef = useRef<PortalContext | undefined>(undefined);
  const accessControlProvider = useMemo(() => createAccessControlProvider(() => contextRef.current), []);
  const shell = useMemo(() => ({ productName: PRODUCT_NAME, environment, contextRef }), [environment]);
  // The whole document: dialogs, drawers, dropdowns and toasts are drawn outside the portal's root.
  useLayoutEffect(() => hideDecorativeIcons(document.body), []);

  return (
    <ConfigProvider locale={enGB} theme={portalTheme}>
      <AntdApp notification={{ getContainer: toastContainer }} message={{ getContainer: toastContainer }}>
        <section id={TOAST_REGION_ID} aria-label="Notifications" />
        <ShellSettingsContext.Provider value={shell}>
          <Refine
            dataProvider={dataProvider}
            authProvider={auth}
            routerProvider={routerProvider}
            accessControlProvider={accessControlProvider}
            i18nProvider={i18nProvider}
            notificationProvider={useNotificationProvider}
            resources={portalResources}
            options={{
              disableTelemetry: true,
              syncWithLocation: false,
              warnWhenUnsavedChanges: true,
              title: { text: PRODUCT_NAME, icon: <PortalLogo /> },
              reactQuery: { clientConfig: queryClient },
            }}
          >
            <Routes>
              {/* Signed in: the access (my_access) is loaded once for everything below. */}
              <Route
                element={
                  <Authenticated key="portal" fallback={<SignInRedirect />}>
                    <AccessProvider loader={loadAccess ?? loadAccessFromRpc}>
                      <Outlet />
                    </AccessProvider>
                  </Authenticated>
                }
              >
                <Route index element={<HomeRedirect />} />
                <Route element={<StandaloneLayout />}>{standaloneRoutes}</Route>
                <Route path=":org" element={<ContextLayout />}>
                  {contextRoutes}
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Route>
              {/* Signed-in people who open a sign-in page go to the portal instead. */}
              <Route
                element={
                  <Authenticated key="sign-in-pages" fallback={<Outlet />}>
                    <Navigate to="/" replace />
                  </Authenticated>
                }
              >
                <Route path="/login" element={<AuthScreen type="login" />} />
                <Route path="/forgot-password" element={<AuthScreen type="forgotPassword" />} />
              </Route>
              {publicRoutes}
              {/* Reached from a recovery email: the link itself signs the person in. */}
              <Route path="/update-password" element={<AuthScreen type="updatePassword" />} />
            </Routes>
            <UnsavedChangesNotifier />
            <DocumentTitleHandler handler={documentTitle} />
          </Refine>
        </ShellSettingsContext.Provider>
      </AntdApp>
    </ConfigProvider>
  );
}
