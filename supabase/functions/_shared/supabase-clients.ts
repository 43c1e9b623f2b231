// Supabase clients for edge functions, built from the environment every
// function gets (hosted Supabase and the local stack set the same variables):
// SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY.
//
// * `callerClient(req)` acts as whoever called the function: it forwards the
//   request's `Authorization` header, so Postgres applies that user's RLS
//   policies (or the anon role's, with the anon key). Use it by default.
// * `serviceRoleClient()` bypasses RLS. Use it only for work the caller is not
//   allowed to do directly and only after the function has checked the caller.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

function requiredEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

// Functions are stateless request handlers: never keep or refresh a session.
const auth = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } as const;

/** A client that acts as the caller (their JWT, or the anon key when none was sent). */
export function callerClient(req: Request): SupabaseClient {
  const authorization = req.headers.get('Authorization');
  return createClient(requiredEnv('SUPABASE_URL'), requiredEnv('SUPABASE_ANON_KEY'), {
    auth,
    global: { headers: authorization ? { Authorization: authorization } : {} },
  });
}

/** A client with the service role: bypasses RLS. */
export function serviceRoleClient(): SupabaseClient {
  return createClient(requiredEnv('SUPABASE_URL'), requiredEnv('SUPABASE_SERVICE_ROLE_KEY'), { auth });
}
