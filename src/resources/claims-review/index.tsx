// Claims review (commissioner side, issue 13): the queues per review step, a
// claim's review page, and Bulk Claims (/:org/claims-review/bulk) for Tier 1.
// Reviewers' notifications link to /claims/<id>; in a commissioner context
// they open /:org/claims-review/<id> (context-path.ts).
import { AuditOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { BulkClaims } from './bulk.tsx';
import { ClaimsReviewMenuCount } from './counts.tsx';
import { ClaimsReviewQueue } from './queue.tsx';
import { ClaimReview } from './review.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'claims-review',
    list: '/:org/claims-review',
    show: '/:org/claims-review/:id',
    // menuCount: the claims waiting for the caller's review steps, beside the menu entry (sider.tsx).
    meta: { label: dictionary['claimsReview.titles.list'], icon: <AuditOutlined />, order: 28, menuCount: ClaimsReviewMenuCount },
  },
];

export const routes: ReactElement = (
  <Route path="claims-review">
    <Route index element={<ClaimsReviewQueue />} />
    <Route path="bulk" element={<BulkClaims />} />
    <Route path=":id" element={<ClaimReview />} />
  </Route>
);
