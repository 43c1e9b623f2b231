// The portal without its data source: providers, layout and routes. App.tsx
// gives it the Supabase data provider; UI tests give it a test double.
import { ApartmentOutlined } from '@ant-design/icons';
import { AuthPage, ThemedLayout, ThemedTitle, useNotificationProvider } from '@refinedev/antd';
import { Authenticated, Refine, type AuthProvider, type DataProvider } from '@refinedev/core';
import routerProvider, { CatchAllNavigate, DocumentTitleHandler, NavigateToResource } from '@refinedev/react-router';
import { App as AntdApp, ConfigProvider, Grid } from 'antd';
import enGB from 'antd/locale/en_GB.js';
import { Outlet, Route, Routes } from 'react-router';
import { PortalHeader } from './components/header.tsx';
import { PortalLogo } from './components/logo.tsx';
import { NotFound } from './components/not-found.tsx';
import { OrganisationList } from './resources/organisations/list.tsx';
import { portalTheme } from './theme.ts';

export const PRODUCT_NAME = 'Commissioning Portal';

export interface PortalProps {
  dataProvider: DataProvider;
  authProvider: AuthProvider;
  /** Shown in the header, e.g. "Local stack". */
  environment?: string | undefined;
}

function documentTitle({ resource }: { resource?: { meta?: { label?: string } } }): string {
  const label = resource?.meta?.label;
  return label ? `${label} – ${PRODUCT_NAME}` : PRODUCT_NAME;
}

/** Page content; on narrow screens it leaves room for the menu button Refine pins below the header. */
function PageContent() {
  const breakpoint = Grid.useBreakpoint();
  return (
    <div style={{ paddingTop: breakpoint.lg === false ? 40 : 0 }}>
      <Outlet />
    </div>
  );
}

/** The sign-in pages, with the product's name above the card. */
function AuthScreen({ type }: { type: 'login' | 'register' | 'forgotPassword' | 'updatePassword' }) {
  return (
    <AuthPage
      type={type}
      title={<ThemedTitle collapsed={false} text={PRODUCT_NAME} icon={<PortalLogo />} />}
      rememberMe={false}
      formProps={{ requiredMark: false }}
    />
  );
}

export function Portal({ dataProvider, authProvider, environment }: PortalProps) {
  return (
    <ConfigProvider locale={enGB} theme={portalTheme}>
      <AntdApp>
        <Refine
          dataProvider={dataProvider}
          authProvider={authProvider}
          routerProvider={routerProvider}
          notificationProvider={useNotificationProvider}
          resources={[
            {
              name: 'organisations',
              list: '/organisations',
              meta: { label: 'Organisations', icon: <ApartmentOutlined /> },
            },
          ]}
          options={{
            disableTelemetry: true,
            syncWithLocation: false,
            warnWhenUnsavedChanges: true,
            title: { text: PRODUCT_NAME, icon: <PortalLogo /> },
            // One retry for a network blip; a refused request will not change its mind.
            reactQuery: { clientConfig: { defaultOptions: { queries: { retry: 1 } } } },
          }}
        >
          <Routes>
            <Route
              element={
                <Authenticated key="portal" fallback={<CatchAllNavigate to="/login" />}>
                  <ThemedLayout
                    Title={({ collapsed }) => <ThemedTitle collapsed={collapsed} text={PRODUCT_NAME} icon={<PortalLogo />} />}
                    Header={() => <PortalHeader productName={PRODUCT_NAME} environment={environment} />}
                  >
                    <PageContent />
                  </ThemedLayout>
                </Authenticated>
              }
            >
              <Route index element={<NavigateToResource resource="organisations" />} />
              <Route path="/organisations" element={<OrganisationList />} />
              <Route path="*" element={<NotFound />} />
            </Route>
            {/* Signed-in people who open a sign-in page go to the portal instead. */}
            <Route
              element={
                <Authenticated key="sign-in-pages" fallback={<Outlet />}>
                  <NavigateToResource resource="organisations" />
                </Authenticated>
              }
            >
              <Route path="/login" element={<AuthScreen type="login" />} />
              <Route path="/register" element={<AuthScreen type="register" />} />
              <Route path="/forgot-password" element={<AuthScreen type="forgotPassword" />} />
            </Route>
            {/* Reached from a recovery email: the link itself signs the person in. */}
            <Route path="/update-password" element={<AuthScreen type="updatePassword" />} />
          </Routes>
          <DocumentTitleHandler handler={documentTitle} />
        </Refine>
      </AntdApp>
    </ConfigProvider>
  );
}
