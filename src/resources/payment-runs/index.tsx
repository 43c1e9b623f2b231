// Payment runs (commissioner side, issue 13): the runs list, New Payment Run
// and a run's page. Finance's payment_run_rejected and payment_run_flagged
// tasks link to /payment-runs/<id>, opened in the commissioner's context.
import { BankOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { PaymentRunCreate } from './create.tsx';
import dictionary from './i18n.ts';
import { PaymentRunsList } from './list.tsx';
import { PaymentRunShow } from './show.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'payment-runs',
    list: '/:org/payment-runs',
    create: '/:org/payment-runs/new',
    show: '/:org/payment-runs/:id',
    meta: { label: dictionary['paymentRuns.titles.list'], icon: <BankOutlined />, order: 29 },
  },
];

export const routes: ReactElement = (
  <Route path="payment-runs">
    <Route index element={<PaymentRunsList />} />
    <Route path="new" element={<PaymentRunCreate />} />
    <Route path=":id" element={<PaymentRunShow />} />
  </Route>
);
