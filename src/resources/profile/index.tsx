// The signed-in person's own page, outside any organisation context (it also
// works with no active membership).
import { UserOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ProfilePage } from './profile-page.tsx';

export const resources: ResourceProps[] = [
  // Reached from the header's user menu, not the side menu.
  { name: 'profile', list: '/profile', meta: { label: 'My profile', icon: <UserOutlined />, order: 1000, hide: true } },
];

export const standaloneRoutes: ReactElement = <Route path="/profile" element={<ProfilePage />} />;
