// Network organisation relationship report (practice ↔ PCN over time).
import { FileSearchOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { NetworkRelationshipReport } from './report.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'network-relationships',
    list: '/:org/reports/network-relationships',
    meta: { label: dictionary['network-relationships.titles.list'], icon: <FileSearchOutlined />, order: 60 },
  },
];

export const routes: ReactElement = <Route path="reports/network-relationships" element={<NetworkRelationshipReport />} />;
