// Achievement of national services (issue 14), the job aids' tabs: the menu
// groups "Data Submission" and "Achievement" (other areas put their pages in
// them with meta.parent: 'data-submission' / 'achievement-tab'), and Record
// Achievement (Data Submission): the achievement dates of a service, Add New
// Achievement, and an achievement's page with its indicator groups, New
// Values, Save Work in Progress and Submit Achievement Data.
import { CloudUploadOutlined, EditOutlined, TrophyOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { RecordAchievementList } from './list.tsx';
import { AchievementShow } from './show.tsx';

export const resources: ResourceProps[] = [
  // Menu groups (no page of their own; the menu shows a group when any of its items is allowed).
  { name: 'data-submission', meta: { label: dictionary['achievement.menu.dataSubmission'], icon: <CloudUploadOutlined />, order: 25 } },
  { name: 'achievement-tab', meta: { label: dictionary['achievement.menu.achievement'], icon: <TrophyOutlined />, order: 25.5 } },
  {
    name: 'achievement',
    list: '/:org/achievement',
    show: '/:org/achievement/:id',
    meta: { label: dictionary['achievement.titles.list'], icon: <EditOutlined />, order: 25.1, parent: 'data-submission' },
  },
];

export const routes: ReactElement = (
  <Route path="achievement">
    <Route index element={<RecordAchievementList />} />
    <Route path=":id" element={<AchievementShow />} />
  </Route>
);
