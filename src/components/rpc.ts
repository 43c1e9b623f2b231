// Calls to the database's action functions (PostgREST RPC). Every refusal
// comes back as an RpcError carrying the database's own code, message and
// hint, so pages can show exactly what to do instead.
//
// The transport is supabase-js by default, loaded lazily so that importing
// this module never needs Supabase settings; UI tests install a test double
// with setRpcTransport (the Portal's `rpc` prop does this).

export interface RpcFailure {
  code?: string | null;
  message?: string | null;
  details?: string | null;
  hint?: string | null;
}

export interface RpcResponse {
  data: unknown;
  error: RpcFailure | null;
  /** HTTP status of the answer, when known. */
  status?: number;
}

export type RpcTransport = (name: string, args: Record<string, unknown>) => Promise<RpcResponse>;

const supabaseTransport: RpcTransport = async (name, args) => {
  const { supabaseClient } = await import('../providers/supabase-client.ts');
  // The function names are checked by the database; the generated types may lag behind a new migration.
  const rpc = supabaseClient.rpc.bind(supabaseClient) as unknown as (
    fn: string,
    params: Record<string, unknown>,
  ) => PromiseLike<{ data: unknown; error: RpcFailure | null; status: number }>;
  const { data, error, status } = await rpc(name, args);
  return { data, error, status };
};

let transport: RpcTransport = supabaseTransport;

/** Replace how RPCs are sent (tests); `undefined` restores supabase-js. */
export function setRpcTransport(next: RpcTransport | undefined): void {
  transport = next ?? supabaseTransport;
}

export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    /** Postgres SQLSTATE or PostgREST code, e.g. 42501, 22023, 23514, PT409, PGRST202. */
    readonly code: string,
    message: string,
    /** What to do instead, from the database. */
    readonly hint: string | null,
    readonly status: number | undefined,
    readonly details: string | null = null,
  ) {
    super(message);
  }
}

/** HTTP statuses PostgREST answers for the codes our functions raise. */
const STATUS_OF_CODE: Record<string, number> = {
  '42501': 403,
  '22023': 400,
  '23514': 400,
  '23505': 409,
  PT404: 404,
  PT409: 409,
};

export function toRpcError(failure: RpcFailure, status?: number): RpcError {
  const code = failure.code ?? 'unknown';
  const message = failure.message?.trim() || 'The request was refused.';
  return new RpcError(code, message, failure.hint ?? null, status ?? STATUS_OF_CODE[code], failure.details ?? null);
}

/** Call `public.<name>(args)`; resolves with its result, rejects with an RpcError. */
export async function callRpc<T = unknown>(name: string, args: Record<string, unknown> = {}): Promise<T> {
  let response: RpcResponse;
  try {
    response = await transport(name, args);
  } catch (error) {
    if (error instanceof RpcError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RpcError('network', `The portal could not reach the server: ${message}`, 'Check your connection and try again.', undefined);
  }
  if (response.error) throw toRpcError(response.error, response.status);
  return response.data as T;
}

/** Plain-language headline for an error code; the database's message follows it. */
function headline(code: string): string {
  switch (code) {
    case '42501':
      return 'Not allowed';
    case '22023':
      return 'Please check what you entered';
    case '23514':
      return 'That breaks a rule';
    case '23505':
      return 'That already exists';
    case 'PT404':
      return 'Not found';
    case 'PT409':
      return 'That has already changed';
    case 'network':
      return 'No connection';
    default:
      return 'Something went wrong';
  }
}

/** For Refine's / antd's notifications: `{ message, description }` with the hint appended. */
export function describeRpcError(error: unknown): { message: string; description: string } {
  if (error instanceof RpcError) {
    return {
      message: headline(error.code),
      description: error.hint ? `${error.message} ${error.hint}` : error.message,
    };
  }
  if (error && typeof error === 'object' && 'message' in error) {
    const failure = error as RpcFailure;
    if (typeof failure.code === 'string') return describeRpcError(toRpcError(failure));
    return { message: 'Something went wrong', description: String(failure.message) };
  }
  return { message: 'Something went wrong', description: String(error ?? 'Unknown error') };
}
