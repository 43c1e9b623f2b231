// Access requests: people with an account asking for access to another
// organisation (from their profile), decided like registrations.
import { KeyOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { AccessRequestList } from './list.tsx';
import { AccessRequestReview } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'access-requests',
    list: '/:org/access-requests',
    show: '/:org/access-requests/:id',
    meta: { label: 'Access requests', icon: <KeyOutlined />, order: 11 },
  },
];

export const routes: ReactElement = (
  <Route path="access-requests">
    <Route index element={<AccessRequestList />} />
    <Route path=":id" element={<AccessRequestReview />} />
  </Route>
);
