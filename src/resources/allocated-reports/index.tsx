// Allocated reports area: which descendant organisations may report on the
// commissioner's quality services (Organisation Administrators).
import { FileSearchOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { AllocatedReports } from './page.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'allocated-reports',
    list: '/:org/allocated-reports',
    meta: { label: dictionary['allocated-reports.titles.list'], icon: <FileSearchOutlined />, order: 65 },
  },
];

export const routes: ReactElement = <Route path="allocated-reports" element={<AllocatedReports />} />;
