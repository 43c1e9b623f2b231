// Achievement Results (issue 14; Achievement tab): points and payment per
// indicator group and indicator with the figures they came from.
import { BarChartOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { ACHIEVEMENT_MENU } from '../achievement-menu/index.tsx';
import dictionary from './i18n.ts';
import { AchievementResultsPage } from './page.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'achievement-results',
    list: '/:org/achievement-results',
    meta: { label: dictionary['achievementResults.titles.list'], icon: <BarChartOutlined />, order: 25.6, parent: ACHIEVEMENT_MENU },
  },
];

export const routes: ReactElement = <Route path="achievement-results" element={<AchievementResultsPage />} />;
