// Payments (provider side, issue 13): what was paid when, per claim. The
// practice's claim_paid notification links to the claim itself (/claims/<id>).
import { PoundOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { PaymentsList } from './list.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'payments',
    list: '/:org/payments',
    meta: { label: dictionary['payments.titles.list'], icon: <PoundOutlined />, order: 27.5 },
  },
];

export const routes: ReactElement = <Route path="payments" element={<PaymentsList />} />;
