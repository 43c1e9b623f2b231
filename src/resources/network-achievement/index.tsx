// Network achievement (PCN side, issue 14; CQRS: Data Submission → Network
// achievement): the PCN's dashboard for its nominated people. The
// network_achievement_awaited task links to /network-achievement.
import { TeamOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { DATA_SUBMISSION_MENU } from '../achievement-menu/index.tsx';
import { NetworkAchievementDashboard } from './dashboard.tsx';
import dictionary from './i18n.ts';

export const resources: ResourceProps[] = [
  {
    name: 'network-achievement',
    list: '/:org/network-achievement',
    // The network_achievement_awaited task links to /network-achievement/<network achievement id>.
    show: '/:org/network-achievement/:id',
    meta: { label: dictionary['networkAchievement.titles.list'], icon: <TeamOutlined />, order: 25.2, parent: DATA_SUBMISSION_MENU },
  },
];

export const routes: ReactElement = (
  <Route path="network-achievement">
    <Route index element={<NetworkAchievementDashboard />} />
    <Route path=":id" element={<NetworkAchievementDashboard />} />
  </Route>
);
