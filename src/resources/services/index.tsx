// Service catalogue area: the current commissioner's quality services.
import { AppstoreOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { ServiceList } from './list.tsx';
import { ServiceCreate, ServiceEdit } from './service-form.tsx';
import { ServiceShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'services',
    list: '/:org/services',
    create: '/:org/services/create',
    show: '/:org/services/:id',
    edit: '/:org/services/:id/edit',
    meta: { label: dictionary['services.titles.list'], icon: <AppstoreOutlined />, order: 20 },
  },
];

export const routes: ReactElement = (
  <Route path="services">
    <Route index element={<ServiceList />} />
    <Route path="create" element={<ServiceCreate />} />
    <Route path=":id" element={<ServiceShow />} />
    <Route path=":id/edit" element={<ServiceEdit />} />
  </Route>
);
