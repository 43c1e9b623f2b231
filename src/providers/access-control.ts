// Refine's access control over the role table in access.ts. The context is
// read at call time (the portal keeps it in step with the URL), so menus,
// buttons and guards always judge against the organisation being viewed.
import type { AccessControlProvider } from '@refinedev/core';
import { canAccess, type PortalContext } from './access.ts';

export function createAccessControlProvider(getContext: () => PortalContext | undefined): AccessControlProvider {
  return {
    can: async ({ resource, action }) => {
      if (!resource) return { can: true };
      return canAccess(getContext(), resource, action);
    },
    options: {
      // Buttons the person may not use are hidden, not shown disabled.
      buttons: { enableAccessControl: true, hideIfUnauthorized: true },
      // The answer depends on the URL's context, which the query key does not hold: never reuse an old one.
      queryOptions: { staleTime: 0, gcTime: 0 },
    },
  };
}
