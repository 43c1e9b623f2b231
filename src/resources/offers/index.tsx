// Offered services (commissioner side): the services offered to providers by
// financial year with their status, withdraw and cancel, a provider's offers,
// and the five-step offer wizard. Notifications link to /offered-services/<service id>.
import { SendOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import dictionary from './i18n.ts';
import { OfferedServicesList } from './list.tsx';
import { OfferedProviderShow, OfferedServiceShow } from './show.tsx';
import { OfferWizard } from './wizard.tsx';

export const resources: ResourceProps[] = [
  {
    name: 'offers',
    list: '/:org/offered-services',
    create: '/:org/offered-services/new',
    show: '/:org/offered-services/:id',
    meta: { label: dictionary['offers.titles.list'], icon: <SendOutlined />, order: 22 },
  },
];

export const routes: ReactElement = (
  <Route path="offered-services">
    <Route index element={<OfferedServicesList />} />
    <Route path="new" element={<OfferWizard />} />
    <Route path="providers/:providerId" element={<OfferedProviderShow />} />
    <Route path=":id" element={<OfferedServiceShow />} />
  </Route>
);
