// The side menu: one entry per resource with a list page, in meta.order,
// linked inside the given organisation context and shown only when the
// context's roles allow the list (the same canAccess the access control
// provider answers with). Refine's ThemedSider links the raw route pattern
// ("/:org/users"), so the portal draws its own from useMenu's composed routes.
import { ThemedTitle } from '@refinedev/antd';
import { useLink, useMenu, type TreeMenuItem } from '@refinedev/core';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, theme, type MenuProps } from 'antd';
import { useState } from 'react';
import { canAccess, type PortalContext } from '../providers/access.ts';
import { PortalLogo } from './logo.tsx';

export interface PortalSiderProps {
  productName: string;
  /** The context the links go to (the URL's, or on pages outside a context the first one). */
  context: PortalContext | undefined;
}

type MenuItem = Required<MenuProps>['items'][number];

export function PortalSider({ productName, context }: PortalSiderProps) {
  const { token } = theme.useToken();
  const Link = useLink();
  const [collapsed, setCollapsed] = useState(false);
  const { menuItems, selectedKey } = useMenu({ meta: context ? { org: context.key } : {} });

  const toItems = (items: TreeMenuItem[]): MenuItem[] =>
    items.flatMap((item): MenuItem[] => {
      if (!context || !canAccess(context, item.name, 'list').can) return [];
      const label = item.label ?? item.meta?.label ?? item.name;
      if (item.children.length > 0) {
        const children = toItems(item.children);
        return children.length > 0 ? [{ key: item.key, icon: item.icon, label, children }] : [];
      }
      if (!item.route) return [];
      return [{ key: item.key, icon: item.icon, label: <Link to={item.route}>{label}</Link> }];
    });

  const items = toItems(menuItems);

  return (
    <Layout.Sider
      collapsible
      collapsed={collapsed}
      onCollapse={setCollapsed}
      breakpoint="lg"
      collapsedWidth={64}
      width={256}
      // antd's own trigger is a clickable div; the button below works with the keyboard.
      trigger={null}
      style={{
        background: token.colorBgContainer,
        borderRight: `1px solid ${token.colorBorderSecondary}`,
        // The menu stays in view while a long page scrolls.
        position: 'sticky',
        top: 0,
        height: '100vh',
        overflowY: 'auto',
      }}
    >
      <div
        style={{
          height: 64,
          display: 'flex',
          alignItems: 'center',
          justifyContent: collapsed ? 'center' : 'flex-start',
          padding: collapsed ? 0 : '0 16px',
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <ThemedTitle collapsed={collapsed} text={productName} icon={<PortalLogo />} />
      </div>
      <nav aria-label="Main menu" style={{ paddingBottom: 56 }}>
        <Menu
          mode="inline"
          selectedKeys={selectedKey ? [selectedKey] : []}
          items={items}
          style={{ border: 'none', paddingTop: 8 }}
        />
      </nav>
      <Button
        type="text"
        block
        onClick={() => setCollapsed(!collapsed)}
        aria-label={collapsed ? 'Expand the menu' : 'Collapse the menu'}
        aria-expanded={!collapsed}
        icon={collapsed ? <RightOutlined /> : <LeftOutlined />}
        style={{
          position: 'absolute',
          bottom: 0,
          height: 48,
          borderRadius: 0,
          borderTop: `1px solid ${token.colorBorderSecondary}`,
        }}
      />
    </Layout.Sider>
  );
}
