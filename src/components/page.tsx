// Refine's page frames (List, Show, Create, Edit) with the page's title as
// the page's only h1. Refine draws a string title as an h4 followed by an
// empty h5 subtitle: axe's heading-order and empty-heading (the only h1 was
// the product name in the menu). Import these instead of @refinedev/antd's.
import {
  Create as RefineCreate,
  Edit as RefineEdit,
  List as RefineList,
  Show as RefineShow,
  type CreateProps,
  type EditProps,
  type ListProps,
  type ShowProps,
} from '@refinedev/antd';
import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's title: h1, in the size Refine gives its h4. */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={1} className="refine-pageHeader-title" style={{ fontSize: 20, lineHeight: 1.4, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

/** Every page names itself (the default would be Refine's h4); a text title becomes the h1. */
type Titled<P> = Omit<P, 'title'> & { title: ReactNode };

function heading(title: ReactNode): ReactNode {
  return typeof title === 'string' ? <PageTitle>{title}</PageTitle> : title;
}

export function List({ title, ...props }: Titled<ListProps>) {
  return <RefineList {...props} title={heading(title)} />;
}

export function Show({ title, ...props }: Titled<ShowProps>) {
  return <RefineShow {...props} title={heading(title)} />;
}

export function Create({ title, ...props }: Titled<CreateProps>) {
  return <RefineCreate {...props} title={heading(title)} />;
}

export function Edit({ title, ...props }: Titled<EditProps>) {
  return <RefineEdit {...props} title={heading(title)} />;
}

/** The title of a page that is only a Result (not found, no access): the page's h1, in antd's Result size. */
export function ResultTitle({ children }: { children: ReactNode }) {
  return (
    <Typography.Title level={1} style={{ fontSize: 24, lineHeight: 1.33, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}
