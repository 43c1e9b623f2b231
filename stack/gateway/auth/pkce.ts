// PKCE (RFC 7636) for email flows, as GoTrue does it: a sign-up / recovery /
// magic-link / email-change request carrying `code_challenge` stores a flow state
// with a fresh auth code; its email token gets a `pkce_` prefix; opening the link
// redirects with `?code=<auth code>`; POST /token?grant_type=pkce exchanges the
// code and the verifier for a session.
import { randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { badRequest, unprocessable } from './errors.ts';

export const PKCE_PREFIX = 'pkce_';
/** How long an auth code may be exchanged after the flow started (GoTrue: 5 minutes). */
export const FLOW_STATE_EXPIRY_SECONDS = 300;

export type FlowType = 'pkce' | 'implicit';

export interface PkceParams {
  codeChallenge: string;
  codeChallengeMethod: string;
}

export function flowOf(params: PkceParams): FlowType {
  return params.codeChallenge ? 'pkce' : 'implicit';
}

export function validatePkceParams(params: PkceParams): void {
  if ((params.codeChallenge === '') !== (params.codeChallengeMethod === '')) {
    throw badRequest('validation_failed', 'PKCE flow requires code_challenge_method and code_challenge');
  }
  if (params.codeChallenge === '') return;
  if (params.codeChallenge.length < 43 || params.codeChallenge.length > 128) {
    throw badRequest('validation_failed', 'code challenge has to be between 43 and 128 characters');
  }
  if (!/^[a-zA-Z._~0-9-]+$/.test(params.codeChallenge)) {
    throw badRequest('validation_failed', 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
  }
  if (!['s256', 'plain'].includes(params.codeChallengeMethod.toLowerCase())) {
    throw badRequest('validation_failed', `unsupported code_challenge method "${params.codeChallengeMethod}"`);
  }
}

/** Authentication method recorded for a verification type (GoTrue's ParseAuthenticationMethod). */
export function methodForType(type: string): string {
  return type.endsWith('signup') ? 'email/signup' : type;
}

export async function createFlowState(
  tx: TransactionSql,
  userId: string,
  authenticationMethod: string,
  params: PkceParams,
): Promise<void> {
  await tx`
    insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type,
                                 created_at, updated_at, authentication_method)
    values (${randomUUID()}, ${userId}, ${randomUUID()}, ${params.codeChallengeMethod.toLowerCase()}::auth.code_challenge_method,
            ${params.codeChallenge}, ${authenticationMethod}, now(), now(), ${authenticationMethod})`;
}

/** The auth code of the user's latest flow for this method, marked as issued now. */
export async function issueAuthCode(tx: TransactionSql, userId: string, authenticationMethod: string): Promise<string> {
  const rows = await tx<{ id: string; auth_code: string }[]>`
    select id, auth_code from auth.flow_state
    where user_id = ${userId} and authentication_method = ${authenticationMethod}
    order by created_at desc limit 1`;
  const flow = rows[0];
  if (!flow) throw unprocessable('flow_state_not_found', 'No valid flow state found for user.');
  await tx`update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = ${flow.id}`;
  return flow.auth_code;
}

export interface FlowStateRow {
  id: string;
  user_id: string | null;
  auth_code: string;
  code_challenge_method: string;
  code_challenge: string;
  authentication_method: string;
  created_at: Date;
  auth_code_issued_at: Date | null;
}
