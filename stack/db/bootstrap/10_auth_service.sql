-- What the local auth service (stack/gateway/auth) needs beyond 02_auth.sql: the
-- GoTrue tables for authentication-method claims of a session and for PKCE flow
-- state, shaped like their hosted counterparts. LOCAL ONLY; re-runnable.
-- Written from the public definitions of supabase/auth's migrations
-- (mfa_amr_claims, flow_state); the columns this project never uses are left out.

set local role supabase_auth_admin;

-- ---------------------------------------------------------------- AMR claims
-- One row per (session, method): what the access token's `amr` claim lists.

create table if not exists auth.mfa_amr_claims (
  session_id uuid not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  authentication_method text not null,
  id uuid not null,
  constraint amr_id_pk primary key (id),
  constraint mfa_amr_claims_session_id_authentication_method_pkey unique (session_id, authentication_method),
  constraint mfa_amr_claims_session_id_fkey foreign key (session_id) references auth.sessions (id) on delete cascade
);
comment on table auth.mfa_amr_claims is 'auth: stores authenticator method reference claims for multi factor authentication';

-- ---------------------------------------------------------------- PKCE flow state

do $types$
begin
  if not exists (select 1 from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
                 where n.nspname = 'auth' and t.typname = 'code_challenge_method') then
    create type auth.code_challenge_method as enum ('s256', 'plain');
  end if;
end
$types$;

create table if not exists auth.flow_state (
  id uuid not null,
  user_id uuid,
  auth_code text not null,
  code_challenge_method auth.code_challenge_method not null,
  code_challenge text not null,
  provider_type text not null,
  provider_access_token text,
  provider_refresh_token text,
  created_at timestamptz,
  updated_at timestamptz,
  authentication_method text not null,
  auth_code_issued_at timestamptz,
  constraint flow_state_pkey primary key (id)
);
comment on table auth.flow_state is 'stores metadata for pkce logins';
create index if not exists idx_auth_code on auth.flow_state (auth_code);
create index if not exists idx_user_id_auth_method on auth.flow_state (user_id, authentication_method);
create index if not exists flow_state_created_at_idx on auth.flow_state (created_at desc);

alter table auth.mfa_amr_claims enable row level security;
alter table auth.flow_state enable row level security;

reset role;

grant all on auth.mfa_amr_claims, auth.flow_state to postgres, dashboard_user;
