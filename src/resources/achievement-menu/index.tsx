// The two menu groups of national-service achievement, named as the CQRS tabs
// (issue 14): "Data Submission" (Record Achievement, Network achievement) and
// "Achievement" (Achievement Results, Declare, Declaration Management,
// Achievements awaiting network achievement). Each is a resource without a
// page; an area joins a group with `meta.parent`. The menu shows a group only
// when the context may open one of its entries (sider.tsx).
import { CloudUploadOutlined, TrophyOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import dictionary from './i18n.ts';

export const DATA_SUBMISSION_MENU = 'data-submission';
export const ACHIEVEMENT_MENU = 'achievement-tab';

export const resources: ResourceProps[] = [
  { name: DATA_SUBMISSION_MENU, meta: { label: dictionary['achievementMenu.dataSubmission'], icon: <CloudUploadOutlined />, order: 25 } },
  { name: ACHIEVEMENT_MENU, meta: { label: dictionary['achievementMenu.achievement'], icon: <TrophyOutlined />, order: 25.5 } },
];
