// The frame of the pages people see before they have an account: the
// product's name and mark above one card, centred on the page.
import { useRefineOptions } from '@refinedev/core';
import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { PortalLogo } from '../../components/logo.tsx';
import { NHS_BLUE } from '../../theme.ts';

export function PublicPage({ title, children }: { title: string; children: ReactNode }) {
  const { title: product } = useRefineOptions();
  return (
    <div style={{ minHeight: '100vh', background: '#F0F4F5', padding: '40px 16px' }}>
      <main style={{ maxWidth: 600, margin: '0 auto' }}>
        <header
          style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 12, marginBottom: 24, color: NHS_BLUE }}
        >
          {product.icon ?? <PortalLogo size={32} />}
          <Typography.Text strong style={{ fontSize: 22, color: NHS_BLUE }}>
            {product.text}
          </Typography.Text>
        </header>
        <Card>
          <Typography.Title level={1} style={{ fontSize: 26, marginTop: 0 }}>
            {title}
          </Typography.Title>
          {children}
        </Card>
      </main>
    </div>
  );
}
