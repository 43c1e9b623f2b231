// Achievement of national services (issue 14): Record Achievement (in the
// menu group Data Submission, src/resources/achievement-menu): the achievement dates of a service, Add New
// Achievement, and an achievement's page with its indicator groups, New
// Values, Save Work in Progress and Submit Achievement Data.
import { EditOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { DATA_SUBMISSION_MENU } from '../achievement-menu/index.tsx';
import dictionary from './i18n.ts';
import { RecordAchievementList } from './list.tsx';
import { AchievementShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'achievement',
    list: '/:org/achievement',
    show: '/:org/achievement/:id',
    meta: { label: dictionary['achievement.titles.list'], icon: <EditOutlined />, order: 25.1, parent: DATA_SUBMISSION_MENU },
  },
];

export const routes: ReactElement = (
  <Route path="achievement">
    <Route index element={<RecordAchievementList />} />
    <Route path=":id" element={<AchievementShow />} />
  </Route>
);
