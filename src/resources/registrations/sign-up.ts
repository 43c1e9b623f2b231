// Self-registration through Supabase Auth. The database trigger
// private.handle_new_auth_user (supabase/migrations/*_tenancy_people.sql)
// reads the metadata and records the request for access; the database, not
// this page, decides whether the request is valid.
//
// supabase-js is loaded lazily so that importing this module never needs the
// Supabase settings; UI tests install a test double with setSignUpTransport.
import type { AuthError } from '@supabase/supabase-js';
import type { AppRole } from '../../providers/access.ts';

export interface RegistrationRequest {
  email: string;
  password: string;
  fullName: string;
  organisationId: string;
  roles: AppRole[];
  /** Where the confirmation link lands (must be on Auth's redirect allow list). */
  redirectTo: string;
}

export type SignUpOutcome =
  | { ok: true }
  /** `alreadyRegistered`: Auth hides existing addresses behind a user without identities. */
  | { ok: false; alreadyRegistered: true }
  | { ok: false; alreadyRegistered?: false; error: AuthError | Error };

export type SignUpTransport = (request: RegistrationRequest) => Promise<SignUpOutcome>;

const supabaseTransport: SignUpTransport = async (request) => {
  const { supabaseClient } = await import('../../providers/supabase-client.ts');
  const { data, error } = await supabaseClient.auth.signUp({
    email: request.email,
    password: request.password,
    options: {
      data: { full_name: request.fullName, organisation_id: request.organisationId, roles: request.roles },
      emailRedirectTo: request.redirectTo,
    },
  });
  if (error) return { ok: false, error };
  // With email confirmations on, Auth answers an existing address with a
  // look-alike user that has no identities (and sends nothing).
  if (data.user && Array.isArray(data.user.identities) && data.user.identities.length === 0) {
    return { ok: false, alreadyRegistered: true };
  }
  return { ok: true };
};

let transport: SignUpTransport = supabaseTransport;

/** Replace how sign-ups are sent (tests); `undefined` restores supabase-js. */
export function setSignUpTransport(next: SignUpTransport | undefined): void {
  transport = next ?? supabaseTransport;
}

export function signUpForAccess(request: RegistrationRequest): Promise<SignUpOutcome> {
  return transport(request);
}
