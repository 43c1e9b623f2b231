// Users: the people an administrator may see, a user page with memberships,
// roles, clusters and the audit timeline, the invite wizard, and the page an
// invitation's link opens to set a password.
import { TeamOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { AcceptInvitation } from './accept-invitation.tsx';
import { ACCEPT_INVITATION_PATH } from './invitation-email.ts';
import { UserInvite } from './invite.tsx';
import { UserList } from './list.tsx';
import { UserShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'users',
    list: '/:org/users',
    show: '/:org/users/:id',
    create: '/:org/users/invite',
    meta: { label: 'Users', icon: <TeamOutlined />, order: 30 },
  },
];

export const routes: ReactElement = (
  <Route path="users">
    <Route index element={<UserList />} />
    <Route path="invite" element={<UserInvite />} />
    <Route path=":id" element={<UserShow />} />
  </Route>
);

export const standaloneRoutes: ReactElement = <Route path={ACCEPT_INVITATION_PATH} element={<AcceptInvitation />} />;
