// The NHS-blue bar across the top of every page. On narrow screens the side
// menu (with the product name) folds into a drawer, so the bar names the product.
import { Grid, Layout, Tag, Typography } from 'antd';
import { NHS_BLUE } from '../theme.ts';

export interface PortalHeaderProps {
  productName: string;
  /** Which Supabase project the portal is using, e.g. "Local stack". */
  environment?: string | undefined;
}

export function PortalHeader({ productName, environment }: PortalHeaderProps) {
  const breakpoint = Grid.useBreakpoint();
  const narrow = breakpoint.lg === false;
  return (
    <Layout.Header
      role="banner"
      style={{
        background: NHS_BLUE,
        height: 64,
        lineHeight: '64px',
        padding: '0 24px',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'space-between',
        gap: 16,
      }}
    >
      <Typography.Text style={{ color: '#fff', fontWeight: 600, fontSize: narrow ? 16 : 14 }} ellipsis>
        {narrow ? productName : 'Local services and incentive schemes'}
      </Typography.Text>
      {environment && (
        <Tag bordered={false} style={{ marginInlineEnd: 0, background: '#fff', color: NHS_BLUE }}>
          {environment}
        </Tag>
      )}
    </Layout.Header>
  );
}
