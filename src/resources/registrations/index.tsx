// Registrations: the public sign-up pages and the queue of pending
// registrations with its review screen.
import { UserAddOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { RegisterConfirmationPage } from './confirmation.tsx';
import { RegistrationList } from './list.tsx';
import { RegisterPage } from './register.tsx';
import { RegistrationReview } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'registrations',
    list: '/:org/registrations',
    show: '/:org/registrations/:id',
    meta: { label: 'Registrations', icon: <UserAddOutlined />, order: 10 },
  },
];

export const routes: ReactElement = (
  <Route path="registrations">
    <Route index element={<RegistrationList />} />
    <Route path=":id" element={<RegistrationReview />} />
  </Route>
);

export const publicRoutes: ReactElement = (
  <Route path="register">
    <Route index element={<RegisterPage />} />
    <Route path="confirmation" element={<RegisterConfirmationPage />} />
  </Route>
);
