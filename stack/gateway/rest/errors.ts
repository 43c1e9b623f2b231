// PostgREST's error body and the SQLSTATE → HTTP status mapping
// (supabase-api-subset.md §2.12). Every layer throws ApiError; `respond` renders it.

export interface ErrorBody {
  code: string;
  message: string;
  /** A string, or for PGRST201 the list of candidate relationships. */
  details: string | null | Array<Record<string, string>>;
  hint: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

/** A PostgREST-originated error (`PGRSTnnn`). */
export function pgrst(
  status: number,
  code: string,
  message: string,
  details: ErrorBody['details'] = null,
  hint: string | null = null,
): ApiError {
  return new ApiError(status, { code, message, details, hint });
}

/** PGRST100: the query string could not be parsed. */
export function parseError(message: string, details: string | null = null): ApiError {
  return pgrst(400, 'PGRST100', message, details);
}

export interface PostgresErrorLike {
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
}

/** Map a Postgres SQLSTATE to the HTTP status PostgREST answers with. */
export function statusForSqlState(state: string, message: string, isAnonRole: boolean): number {
  if (state === '23503' || state === '23505') return 409;
  if (state === '25006') return 405;
  if (state === '42501') return isAnonRole ? 401 : 403;
  if (state === '42883' || state === '42P01') return 404;
  if (state === '42P17') return 500;
  if (state === 'P0001') return 400;
  if (/^PT\d{3}$/.test(state)) return Number(state.slice(2));
  if (state === '21000' && message.endsWith('requires a WHERE clause')) return 400;
  if (state === '22023' && /^role ".*" does not exist$/.test(message)) return 401;
  const cls = state.slice(0, 2);
  if (cls === '08' || (cls === '53' && state !== '53400') || state === '57P01') return 503;
  if (['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(cls) || state === '53400') {
    return 500;
  }
  if (['28', '0L', '0P'].includes(cls)) return 403;
  return 400;
}

/** Turn a Postgres error into PostgREST's answer, including `RAISE SQLSTATE 'PGRST'` with JSON message/detail. */
export function fromPostgresError(error: PostgresErrorLike, isAnonRole: boolean): ApiError {
  if (error.code === 'PGRST') {
    // message: {"code","message","details","hint"}; detail: {"status": n, "headers": {...}}
    try {
      const body = JSON.parse(error.message) as Partial<ErrorBody>;
      const meta = JSON.parse(error.detail ?? '{}') as { status?: number; headers?: Record<string, string> };
      return new ApiError(
        meta.status ?? 400,
        {
          code: body.code ?? 'PGRST',
          message: body.message ?? '',
          details: body.details ?? null,
          hint: body.hint ?? null,
        },
        meta.headers ?? {},
      );
    } catch {
      return pgrst(
        500,
        'PGRST121',
        "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
        `Invalid JSON value for MESSAGE: '${error.message}'`,
        'MESSAGE must be a JSON object with obligatory keys: \'code\', \'message\' and optional keys: \'details\', \'hint\'.',
      );
    }
  }
  return new ApiError(statusForSqlState(error.code, error.message, isAnonRole), {
    code: error.code,
    message: error.message,
    details: error.detail ?? null,
    hint: error.hint ?? null,
  });
}
