// Links inside the current organisation context: every signed-in page lives
// under `/:org/…` (the ODS code of the context, or `support`).
import { useCallback } from 'react';
import { useParams } from 'react-router';

/** `(path) => '/<org><path>'` for the context in the URL, e.g. `/ZN1/organisations/<id>`. */
export function useContextPath(): (path: string) => string {
  const { org } = useParams<{ org: string }>();
  return useCallback((path: string) => `/${encodeURIComponent(org ?? '')}${path.startsWith('/') ? path : `/${path}`}`, [org]);
}
