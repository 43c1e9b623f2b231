// The main menu: one entry per resource with a list page, in meta.order,
// linked inside the given organisation context and shown only when the
// context's roles allow the list (the same canAccess the access control
// provider answers with). Refine's ThemedSider links the raw route pattern
// ("/:org/users"), so the portal draws its own from useMenu's composed routes.
// From antd's `md` breakpoint up it is a side menu (icon-only below `lg`, or
// when collapsed); on a phone it is a drawer opened from the header.
import { useLink, useMenu, type TreeMenuItem } from '@refinedev/core';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Menu, theme, type MenuProps } from 'antd';
import { useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { canAccess, type PortalContext } from '../providers/access.ts';
import { PortalBrand } from './logo.tsx';

export interface PortalSiderProps {
  productName: string;
  /** The context the links go to (the URL's, or on pages outside a context the first one). */
  context: PortalContext | undefined;
}

type MenuItem = Required<MenuProps>['items'][number];

/** A resource's `meta.menuCount`: drawn after its menu label (e.g. how many claims wait for review); renders nothing when there is nothing to count. */
export type MenuCount = ComponentType<{ context: PortalContext | undefined }>;

export const MAIN_MENU_ID = 'main-menu';
/** The header's menu button on a phone; the focus returns to it when the drawer closes. */
export const MENU_BUTTON_ID = 'main-menu-button';

/** The keys of the groups (outermost first) that hold the item with this key; none when it is not in a group. */
function groupsHolding(items: TreeMenuItem[], key: string | undefined): string[] {
  if (!key) return [];
  for (const item of items) {
    if (item.key === key) return [];
    if (item.children.length > 0) {
      const inner = groupsHolding(item.children, key);
      if (inner.length > 0 || item.children.some((child) => child.key === key)) return [item.key, ...inner];
    }
  }
  return [];
}

/** The menu itself, in a "Main menu" navigation landmark. */
export function PortalMenu({ context, onNavigate }: { context: PortalContext | undefined; onNavigate?: () => void }) {
  const Link = useLink();
  const { menuItems, selectedKey } = useMenu({ meta: context ? { org: context.key } : {} });
  // A group (e.g. "Data Submission") opens by itself when the page shown is one of its items.
  const groupOfPage = groupsHolding(menuItems, selectedKey).join('|');
  const [openKeys, setOpenKeys] = useState<string[]>(groupOfPage ? groupOfPage.split('|') : []);
  useEffect(() => {
    if (groupOfPage) setOpenKeys((keys) => [...new Set([...keys, ...groupOfPage.split('|')])]);
  }, [groupOfPage]);

  const toItems = (items: TreeMenuItem[]): MenuItem[] =>
    items.flatMap((item): MenuItem[] => {
      if (!context) return [];
      const label = item.label ?? item.meta?.label ?? item.name;
      // A group (a resource other resources name as meta.parent) needs no role of its own:
      // it is shown when any of its items is.
      if (item.children.length > 0) {
        const children = toItems(item.children);
        if (children.length === 0) return [];
        // antd's group title is not a Tab stop (only its arrow keys reach it): its label is, and
        // Enter or Space opens or closes the group, as a click on it does.
        const toggle = () => setOpenKeys((keys) => (keys.includes(item.key) ? keys.filter((k) => k !== item.key) : [...keys, item.key]));
        return [
          {
            key: item.key,
            icon: item.icon,
            children,
            label: (
              <span
                tabIndex={0}
                className="menu-group-label"
                onKeyDown={(event) => {
                  if (event.key !== 'Enter' && event.key !== ' ') return;
                  event.preventDefault();
                  event.stopPropagation();
                  toggle();
                }}
              >
                {label}
              </span>
            ),
          },
        ];
      }
      if (!canAccess(context, item.name, 'list').can) return [];
      if (!item.route) return [];
      const Count = item.meta?.menuCount as MenuCount | undefined;
      return [
        {
          key: item.key,
          icon: item.icon,
          label: (
            <Link to={item.route} onClick={onNavigate}>
              {label}
              {Count && <Count context={context} />}
            </Link>
          ),
        },
      ];
    });

  return (
    <nav aria-label="Main menu" id={MAIN_MENU_ID}>
      <Menu
        mode="inline"
        selectedKeys={selectedKey ? [selectedKey] : []}
        openKeys={openKeys}
        onOpenChange={setOpenKeys}
        items={toItems(menuItems)}
        style={{ border: 'none', paddingTop: 8 }}
      />
    </nav>
  );
}

export function PortalSider({ productName, context }: PortalSiderProps) {
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);

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
        <PortalBrand productName={productName} iconOnly={collapsed} style={{ fontSize: 15 }} />
      </div>
      <div style={{ paddingBottom: 56 }}>
        <PortalMenu context={context} />
      </div>
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

/** The menu on a phone: a drawer from the left, opened by the header's menu button. */
export function MenuDrawer({
  productName,
  context,
  open,
  onClose,
  children,
}: PortalSiderProps & { open: boolean; onClose: () => void; children?: ReactNode }) {
  return (
    <Drawer
      open={open}
      // Escape or the close button: the focus goes back to the header's menu button (a menu link moves on instead).
      onClose={() => {
        onClose();
        document.getElementById(MENU_BUTTON_ID)?.focus();
      }}
      placement="left"
      width={288}
      title={<PortalBrand productName={productName} />}
      styles={{ body: { padding: 0 } }}
    >
      {children}
      <PortalMenu context={context} onNavigate={onClose} />
    </Drawer>
  );
}
