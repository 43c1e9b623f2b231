// What went wrong, as the database said it: RpcError (src/components/rpc.ts),
// a PostgREST error from supabase-js and Refine's HttpError all carry a
// message, and the action functions add a hint saying what to do instead.
export interface ErrorDetails {
  message: string;
  hint?: string;
  code?: string;
}

export function errorDetails(error: unknown, fallback = 'Something went wrong. Try again.'): ErrorDetails {
  if (typeof error === 'string') return { message: error };
  if (error && typeof error === 'object') {
    const { message, hint, code } = error as { message?: unknown; hint?: unknown; code?: unknown };
    const details: ErrorDetails = { message: typeof message === 'string' && message ? message : fallback };
    if (typeof hint === 'string' && hint) details.hint = hint;
    if (typeof code === 'string' && code) details.code = code;
    return details;
  }
  return { message: fallback };
}
