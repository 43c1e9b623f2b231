// Organisations area: the tree of what you reach and one organisation's page.
import { ApartmentOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { OrganisationList } from './list.tsx';
import { OrganisationShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'organisations',
    list: '/:org/organisations',
    show: '/:org/organisations/:id',
    meta: { label: dictionary['organisations.titles.list'], icon: <ApartmentOutlined />, order: 50 },
  },
];

export const routes: ReactElement = (
  <Route path="organisations">
    <Route index element={<OrganisationList />} />
    <Route path=":id" element={<OrganisationShow />} />
  </Route>
);
