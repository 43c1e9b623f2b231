// Home of every organisation context: the message centre at /:org.
import { HomeOutlined } from '@ant-design/icons';
import type { ResourceProps } from '@refinedev/core';
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { MessageCentre } from './message-centre.tsx';

export const resources: ResourceProps[] = [
  { name: 'home', list: '/:org', meta: { label: 'Home', icon: <HomeOutlined />, order: 0 } },
];

export const routes: ReactElement = <Route index element={<MessageCentre />} />;
