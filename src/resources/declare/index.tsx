// Declare (provider side, issue 14; CQRS: Achievement → Declare): the
// practice's payment declarations, Declare Achievement, the Payment
// Declaration History and the Achievement Summary Report. Declaration
// notifications for the practice (declaration_awaiting, declaration_recalculated)
// link to /declare.
import { FileProtectOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ACHIEVEMENT_MENU } from '../achievement-menu/index.tsx';
import { DeclareMenuCount } from './counts.tsx';
import dictionary from './i18n.ts';
import { DeclarePage } from './list.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'declare',
    list: '/:org/declare',
    // A declaration's own address (the declaration_awaiting, declaration_approved and
    // declaration_recalculated notifications link to /declare/<id>): the page with it picked out.
    show: '/:org/declare/:id',
    meta: { label: dictionary['declare.titles.list'], icon: <FileProtectOutlined />, order: 25.7, parent: ACHIEVEMENT_MENU, menuCount: DeclareMenuCount },
  },
];

export const routes: ReactElement = (
  <Route path="declare">
    <Route index element={<DeclarePage />} />
    <Route path=":id" element={<DeclarePage />} />
  </Route>
);
