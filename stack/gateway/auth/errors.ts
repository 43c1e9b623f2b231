// Auth errors and how they are rendered, following GoTrue's contract
// (supabase-api-subset.md §3.4):
//
//   * `AuthError`  — GoTrue's HTTPError. Without `X-Supabase-Api-Version` (or with a
//     version before 2024-01-01) the body is `{ code: <status>, error_code, msg }`;
//     with `X-Supabase-Api-Version: 2024-01-01` (what auth-js sends) it is
//     `{ code: <error_code>, message }` and the response repeats the version header.
//     Both carry `x-sb-error-code`.
//   * `OAuthError` — the OAuth2 shape `{ error, error_description }`, always 400
//     (GoTrue uses it for e.g. a missing refresh token).
//   * weak passwords add `weak_password: { reasons }` to either shape.
//
// auth-js 2.109 reads `error_code` (legacy) or `code` (when the response carries the
// version header), and the message from `msg`, then `message`, then `error_description`.
import { randomUUID } from 'node:crypto';

export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024_01_01 = '2024-01-01';

export class AuthError extends Error {
  constructor(
    readonly status: number,
    /** GoTrue's `ErrorCode`; '' renders as `unexpected_failure` (500) or `unknown`. */
    readonly errorCode: string,
    message: string,
    /** Extra fields for the body (e.g. `weak_password`). */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (e.g. `retry-after`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export class WeakPasswordError extends AuthError {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(422, 'weak_password', message, { weak_password: { reasons } });
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const tooManyRequests = (code: string, message: string) => new AuthError(429, code, message);
export const internalError = (message: string) => new AuthError(500, 'unexpected_failure', message);

/** Whether the request asked for the 2024-01-01 error format (any valid date on or after it). */
export function wantsApiVersion20240101(header: string | undefined): boolean {
  if (!header) return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(header.trim());
  if (!match) return false;
  const date = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(date)) return false;
  return date >= Date.UTC(2024, 0, 1);
}

export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Turn any thrown value into GoTrue's error response for the given `X-Supabase-Api-Version`. */
export function renderError(error: unknown, apiVersionHeader: string | undefined): RenderedError {
  const modern = wantsApiVersion20240101(apiVersionHeader);
  const headers: Record<string, string> = {};
  if (modern) headers[API_VERSION_HEADER] = API_VERSION_2024_01_01;

  if (error instanceof OAuthError) {
    return { status: 400, headers, body: { error: error.error, error_description: error.description } };
  }

  const authError =
    error instanceof AuthError
      ? error
      : new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information');
  if (!(error instanceof AuthError)) console.error('[auth] unexpected error', error);

  const code = authError.errorCode || (authError.status === 500 ? 'unexpected_failure' : 'unknown');
  if (authError.errorCode) headers['x-sb-error-code'] = authError.errorCode;
  Object.assign(headers, authError.headers);
  if (modern) {
    return { status: authError.status, headers, body: { code, message: authError.message, ...authError.extra } };
  }
  const body: Record<string, unknown> = { code: authError.status, error_code: code, msg: authError.message, ...authError.extra };
  if (authError.status >= 500) body.error_id = randomUUID();
  return { status: authError.status, headers, body };
}
