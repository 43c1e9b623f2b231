// The signed-in person's access (my_access RPC), loaded once per session with
// react-query key ['my_access'], and the organisation context named by the
// `:org` URL segment. Pages read them through the hooks below.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { callRpc } from '../components/rpc.ts';
import { contextsOf, findContext, type Access, type PortalContext } from './access.ts';

export const ACCESS_QUERY_KEY = ['my_access'] as const;

/** Where the access comes from: the RPC in the portal, a test double in UI tests. */
export type AccessLoader = () => Promise<Access>;

export const loadAccessFromRpc: AccessLoader = () => callRpc<Access>('my_access');

export interface AccessState {
  access: Access | undefined;
  isLoading: boolean;
  error: unknown;
  /** Reload my_access: call after any action that can change the caller's own memberships or roles. */
  refresh: () => Promise<void>;
}

const AccessStateContext = createContext<AccessState | null>(null);

export function AccessProvider({ children, loader }: { children: ReactNode; loader?: AccessLoader | undefined }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ACCESS_QUERY_KEY,
    queryFn: loader ?? loadAccessFromRpc,
    // Memberships change rarely and refresh() is called after the caller's own changes.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
  });
  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ACCESS_QUERY_KEY });
  }, [queryClient]);
  const value = useMemo<AccessState>(
    () => ({ access: query.data, isLoading: query.isLoading, error: query.error, refresh }),
    [query.data, query.isLoading, query.error, refresh],
  );
  return <AccessStateContext.Provider value={value}>{children}</AccessStateContext.Provider>;
}

export function useAccess(): AccessState {
  const state = useContext(AccessStateContext);
  if (!state) throw new Error('useAccess must be used inside <AccessProvider> (signed-in pages only)');
  return state;
}

/** Every context the person can switch to (Support Desk first, then organisations by name). */
export function usePortalContexts(): PortalContext[] {
  const { access } = useAccess();
  return useMemo(() => contextsOf(access), [access]);
}

/** The context named by the `:org` URL segment; undefined outside `/:org` or when it is not one of the caller's. */
export function useCurrentContext(): PortalContext | undefined {
  const { access } = useAccess();
  const { org } = useParams();
  return useMemo(() => findContext(access, org), [access, org]);
}

/** The current context's organisation id (null for the Support Desk, or outside a context). */
export function useCurrentOrganisationId(): string | null {
  return useCurrentContext()?.membership?.organisation_id ?? null;
}
