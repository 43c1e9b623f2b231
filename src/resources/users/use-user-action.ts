// Runs one action function (RPC) from the user page: tells the person what
// happened (the database's own message when it refuses) and reloads what the
// action may have changed.
import { useInvalidate, useNotification } from '@refinedev/core';
import { useCallback, useState } from 'react';
import { callRpc, describeRpcError } from '../../components/rpc.ts';
import { USER_DIRECTORY } from './types.ts';

/** Everything the user page shows that an action can change. */
const AFFECTED_RESOURCES = [USER_DIRECTORY, 'cluster_assignments', 'audit_log'];

export interface UserAction {
  /** Calls `public.<name>(args)`; true when it succeeded. Failures are shown, never thrown. */
  run: (name: string, args: Record<string, unknown>, success: string) => Promise<boolean>;
  /** The name of the action in flight, if any (to show a spinner on its button). */
  pending: string | undefined;
}

export function useUserAction(): UserAction {
  const { open } = useNotification();
  const invalidate = useInvalidate();
  const [pending, setPending] = useState<string>();

  const run = useCallback(
    async (name: string, args: Record<string, unknown>, success: string) => {
      setPending(name);
      try {
        await callRpc(name, args);
        open?.({ type: 'success', message: success, key: `users-${name}` });
        return true;
      } catch (error) {
        const { message, description } = describeRpcError(error);
        open?.({ type: 'error', message, description, key: `users-${name}` });
        return false;
      } finally {
        // Also after a refusal: the record may have changed under us (PT409).
        await Promise.all(AFFECTED_RESOURCES.map((resource) => invalidate({ resource, invalidates: ['all'] })));
        setPending(undefined);
      }
    },
    [open, invalidate],
  );

  return { run, pending };
}
