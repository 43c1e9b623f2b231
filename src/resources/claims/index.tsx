// Claims (provider side, issue 12): the organisation's claims with New Claim
// (or why there is none), a claim's page with the job aid's three panes, the
// summary after Submit, and the Claim windows (schedules). Notifications and
// emails link to /claims/<claim id> (opened in the claim's practice context).
import { CalendarOutlined, FileDoneOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { ClaimsList } from './list.tsx';
import { ClaimShow } from './show.tsx';
import { ClaimSummary } from './summary.tsx';
import { ClaimWindowsPage } from './windows.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'claims',
    list: '/:org/claims',
    show: '/:org/claims/:id',
    meta: { label: dictionary['claims.titles.list'], icon: <FileDoneOutlined />, order: 26 },
  },
  {
    name: 'claim-windows',
    list: '/:org/claim-windows',
    meta: { label: dictionary['claims.titles.windows'], icon: <CalendarOutlined />, order: 27 },
  },
];

export const routes: ReactElement = (
  <>
    <Route path="claims">
      <Route index element={<ClaimsList />} />
      <Route path=":id" element={<ClaimShow />} />
      <Route path=":id/summary" element={<ClaimSummary />} />
    </Route>
    <Route path="claim-windows" element={<ClaimWindowsPage />} />
  </>
);
