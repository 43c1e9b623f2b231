// Achievements awaiting network achievement (commissioner side, issue 14):
// the stuck declarations with the database's cause and fix.
import { WarningOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ACHIEVEMENT_MENU } from '../achievement-menu/index.tsx';
import { AwaitingNetworkMenuCount } from './counts.tsx';
import dictionary from './i18n.ts';
import { AwaitingNetworkList } from './list.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'awaiting-network',
    list: '/:org/awaiting-network',
    meta: { label: dictionary['awaitingNetwork.titles.list'], icon: <WarningOutlined />, order: 25.9, parent: ACHIEVEMENT_MENU, menuCount: AwaitingNetworkMenuCount },
  },
];

export const routes: ReactElement = <Route path="awaiting-network" element={<AwaitingNetworkList />} />;
