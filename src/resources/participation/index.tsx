// My services (provider side): the services offered to the current
// organisation and each offer's page with Accept and Reject. Notifications
// link to /participation/<offer id>.
import { SolutionOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { ParticipationList } from './list.tsx';
import { ParticipationShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'participation',
    list: '/:org/participation',
    show: '/:org/participation/:id',
    meta: { label: dictionary['participation.titles.list'], icon: <SolutionOutlined />, order: 24 },
  },
];

export const routes: ReactElement = (
  <Route path="participation">
    <Route index element={<ParticipationList />} />
    <Route path=":id" element={<ParticipationShow />} />
  </Route>
);
