// Refine's react-router bindings with one change for keyboard users. Refine's
// antd buttons (<ShowButton>, <EditButton>, <CreateButton> — and the Create
// button <List> draws) render an antd <Button> inside a router <Link>: two tab
// stops for one action, the first a link that shows no focus and says only
// "Review". Such a link leaves the tab order; the button is the one stop, and
// its click (Enter or Space) bubbles to the link, which navigates.
import type { RouterProvider } from '@refinedev/core';
import routerBindings from '@refinedev/react-router';
import { Button } from 'antd';
import { forwardRef, isValidElement, type ForwardRefExoticComponent, type ReactNode, type RefAttributes } from 'react';

/** What Refine passes (to, replace, onClick, children…); only these are looked at here. */
interface LinkProps {
  to: string;
  tabIndex?: number | undefined;
  children?: ReactNode;
}

// The bindings' Link is a forwardRef component; Refine types it loosely.
const RefineLink = routerBindings.Link as ForwardRefExoticComponent<LinkProps & RefAttributes<HTMLAnchorElement>>;

/** True when the link's only content is an antd Button (a Refine button). */
export function wrapsButton(children: ReactNode): boolean {
  return isValidElement(children) && children.type === Button;
}

const PortalLink = forwardRef<HTMLAnchorElement, LinkProps>(function PortalLink(props, ref) {
  return <RefineLink {...props} ref={ref} tabIndex={wrapsButton(props.children) ? -1 : props.tabIndex} />;
});

export const routerProvider: RouterProvider = { ...routerBindings, Link: PortalLink };
