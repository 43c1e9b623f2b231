// Every area of the portal (src/resources/<area>/index.tsx), collected at build
// time: their Refine resources (menu order from meta.order) and their routes.
import type { ResourceProps } from '@refinedev/core';
import { createElement, Fragment, type ReactElement } from 'react';

export interface ResourceModule {
  resources: ResourceProps[];
  /** Routes relative to the `/:org` context layout. */
  routes?: ReactElement;
  /** Signed-out routes outside the layout (registration). */
  publicRoutes?: ReactElement;
  /** Signed-in routes outside `/:org` (profile, accept-invitation). */
  standaloneRoutes?: ReactElement;
}

const modules = import.meta.glob<ResourceModule>('./*/index.tsx', { eager: true });

/** The areas in path order (stable), each named by its folder. */
export const resourceModules: ReadonlyArray<{ area: string; module: ResourceModule }> = Object.keys(modules)
  .sort()
  .map((path) => ({ area: path.replace(/^\.\/(.+)\/index\.tsx$/, '$1'), module: modules[path]! }));

function orderOf(resource: ResourceProps): number {
  const order = (resource.meta as { order?: unknown } | undefined)?.order;
  return typeof order === 'number' ? order : Number.MAX_SAFE_INTEGER;
}

/** Every resource of every area, in menu order (meta.order, then name). */
export const portalResources: ResourceProps[] = resourceModules
  .flatMap(({ module }) => module.resources ?? [])
  .map((resource, index) => ({ resource, index }))
  .sort((a, b) => orderOf(a.resource) - orderOf(b.resource) || a.index - b.index)
  .map(({ resource }) => resource);

/** One kind of route from every area that has it, each in a keyed fragment (React Router reads fragments). */
function routesOf(kind: 'routes' | 'publicRoutes' | 'standaloneRoutes'): ReactElement[] {
  return resourceModules.flatMap(({ area, module }) => {
    const element = module[kind];
    return element ? [createElement(Fragment, { key: `${area}:${kind}` }, element)] : [];
  });
}

export const contextRoutes: ReactElement[] = routesOf('routes');
export const publicRoutes: ReactElement[] = routesOf('publicRoutes');
export const standaloneRoutes: ReactElement[] = routesOf('standaloneRoutes');
