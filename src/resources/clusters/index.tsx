// Clusters area: Service Provider Clusters of the current commissioner.
import { ClusterOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ClusterCreate } from './create.tsx';
import { ClusterEdit } from './edit.tsx';
import dictionary from './i18n.ts';
import { ClusterList } from './list.tsx';
import { ClusterShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'clusters',
    list: '/:org/clusters',
    create: '/:org/clusters/create',
    show: '/:org/clusters/:id',
    edit: '/:org/clusters/:id/edit',
    meta: { label: dictionary['clusters.titles.list'], icon: <ClusterOutlined />, order: 40 },
  },
];

export const routes: ReactElement = (
  <Route path="clusters">
    <Route index element={<ClusterList />} />
    <Route path="create" element={<ClusterCreate />} />
    <Route path=":id" element={<ClusterShow />} />
    <Route path=":id/edit" element={<ClusterEdit />} />
  </Route>
);
