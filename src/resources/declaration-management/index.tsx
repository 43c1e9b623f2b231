// Declaration Management (commissioner side, issue 14; CQRS: Achievement →
// Declaration Management): the declarations by status, Approve (Approval
// Management) and Approve at finance (Finance Management), and a
// declaration's page. Declaration tasks for commissioners
// (declaration_awaiting_approval, declaration_awaiting_finance) link to
// /declaration-management.
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ACHIEVEMENT_MENU } from '../achievement-menu/index.tsx';
import { DeclarationManagementMenuCount } from './counts.tsx';
import dictionary from './i18n.ts';
import { DeclarationManagementList } from './list.tsx';
import { DeclarationShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'declaration-management',
    list: '/:org/declaration-management',
    show: '/:org/declaration-management/:id',
    meta: {
      label: dictionary['declarationManagement.titles.list'],
      icon: <SafetyCertificateOutlined />,
      order: 25.8,
      parent: ACHIEVEMENT_MENU,
      menuCount: DeclarationManagementMenuCount,
    },
  },
];

export const routes: ReactElement = (
  <Route path="declaration-management">
    <Route index element={<DeclarationManagementList />} />
    <Route path=":id" element={<DeclarationShow />} />
  </Route>
);
