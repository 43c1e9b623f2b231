// The custom access token hook (`[auth.hook.custom_access_token]`), Postgres
// functions only (`pg-functions://<db>/<schema>/<function>`), run the way GoTrue
// runs it: inside the transaction that issues the token, as `supabase_auth_admin`
// (GoTrue's own database role on hosted), with a 2 s statement timeout, given
// `{ user_id, claims, authentication_method }` and expected to return `{ claims }`
// or `{ error: { http_code, message } }`.
import type { TransactionSql } from 'postgres';
import { AuthError } from './errors.ts';
import type { CustomAccessTokenHook } from './settings.ts';
import type { Json } from './users.ts';

export interface CustomAccessTokenEvent {
  user_id: string;
  claims: Json;
  authentication_method: string;
}

const HOOK_TIMEOUT_MS = 2000;

/** Claims every access token must keep (GoTrue's MinimumViableTokenSchema). */
const REQUIRED_CLAIMS = ['aud', 'exp', 'iat', 'sub', 'email', 'phone', 'role', 'aal', 'session_id', 'is_anonymous'];
const CLAIM_TYPES: Record<string, string[]> = {
  aud: ['string', 'array'],
  exp: ['integer'],
  iat: ['integer'],
  nbf: ['integer'],
  jti: ['string'],
  iss: ['string'],
  sub: ['string'],
  email: ['string'],
  phone: ['string'],
  role: ['string'],
  aal: ['string'],
  session_id: ['string'],
  app_metadata: ['object'],
  user_metadata: ['object'],
  amr: ['array'],
};

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems with hook output claims, in the style of GoTrue's schema validation ('' = valid). */
export function claimProblems(claims: Json): string {
  const problems: string[] = [];
  for (const claim of REQUIRED_CLAIMS) if (!(claim in claims)) problems.push(`- (root): ${claim} is required`);
  for (const [claim, types] of Object.entries(CLAIM_TYPES)) {
    if (!(claim in claims)) continue;
    const actual = jsonType(claims[claim]);
    if (!types.includes(actual)) problems.push(`- ${claim}: Invalid type. Expected: ${types.join(' or ')}, given: ${actual}`);
  }
  return problems.map((line) => `${line}\n`).join('');
}

function hookFailure(hook: CustomAccessTokenHook): AuthError {
  return new AuthError(500, 'unexpected_failure', `Error running hook URI: ${hook.uri}`);
}

export async function runCustomAccessTokenHook(
  tx: TransactionSql,
  hook: CustomAccessTokenHook,
  event: CustomAccessTokenEvent,
): Promise<Json> {
  if (!hook.functionName) {
    console.warn(`[auth] custom access token hook "${hook.uri}": only pg-functions://<db>/<schema>/<function> hooks are supported locally`);
    throw hookFailure(hook);
  }
  let output: unknown;
  try {
    await tx.unsafe(`set local role supabase_auth_admin`);
    await tx.unsafe(`set local statement_timeout = ${HOOK_TIMEOUT_MS}`);
    const rows = await tx.unsafe<{ output: unknown }[]>(`select ${hook.functionName}($1::jsonb) as output`, [tx.json(event as never) as never]);
    output = rows[0]?.output ?? null;
    await tx.unsafe(`set local statement_timeout to default`);
    await tx.unsafe(`reset role`);
  } catch (error) {
    console.warn(`[auth] custom access token hook ${hook.functionName} failed: ${(error as Error).message}`);
    throw hookFailure(hook);
  }
  if (typeof output === 'string') {
    try {
      output = JSON.parse(output);
    } catch {
      throw new AuthError(500, 'unexpected_failure', 'Error unmarshaling JSON output.');
    }
  }
  const result = (output !== null && typeof output === 'object' && !Array.isArray(output) ? output : {}) as Json;
  const hookError = result.error as { http_code?: unknown; message?: unknown } | undefined;
  if (hookError && typeof hookError === 'object' && typeof hookError.message === 'string' && hookError.message !== '') {
    const status = typeof hookError.http_code === 'number' && hookError.http_code > 0 ? hookError.http_code : 500;
    throw new AuthError(status, '', hookError.message);
  }
  if (!('claims' in result)) throw new AuthError(500, '', 'output claims field is missing');
  const claims = result.claims;
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new AuthError(500, '', 'output claims do not conform to the expected schema: \n- claims: Invalid type. Expected: object\n');
  }
  const problems = claimProblems(claims as Json);
  if (problems) throw new AuthError(500, '', `output claims do not conform to the expected schema: \n${problems}`);
  return claims as Json;
}
