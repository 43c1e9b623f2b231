-- Organisations: the NHS bodies the portal knows, from the ODS directory —
-- national, regions, ICBs and their sub-ICB locations, PCNs, GP practices and
-- other providers — in one tree (parent_id). The directory is public
-- information (the public registration page searches it), so anyone may read
-- it; nobody writes it directly: writes arrive later through SQL functions.

create type public.organisation_type as enum (
  'national',
  'region',
  'icb',
  'sub_icb',
  'pcn',
  'practice',
  'other_provider'
);

comment on type public.organisation_type is
  'Kind of NHS organisation: national body, NHS England region, integrated care board, sub-ICB location, primary care network, GP practice, or another provider.';

create table public.organisations (
  id uuid primary key default gen_random_uuid(),
  ods_code text unique,
  name text not null,
  type public.organisation_type not null,
  parent_id uuid references public.organisations (id),
  created_at timestamptz not null default now(),
  -- ODS codes are upper-case letters and digits, 3 to 10 characters (e.g. ZN1, ZP1001).
  constraint organisations_ods_code_format check (ods_code ~ '^[A-Z0-9]{3,10}$'),
  constraint organisations_name_length check (char_length(btrim(name)) between 1 and 200),
  constraint organisations_not_own_parent check (parent_id <> id)
);

comment on table public.organisations is
  'NHS organisations from the ODS directory, as a tree: each organisation''s parent is the body above it (practice → sub-ICB location → ICB → region → national).';
comment on column public.organisations.ods_code is 'Organisation Data Service code, e.g. ZP1001.';
comment on column public.organisations.parent_id is 'The organisation directly above this one; null only at the top.';

create index organisations_parent_id_idx on public.organisations (parent_id);

alter table public.organisations enable row level security;

-- Anyone, signed in or not, may read the directory.
create policy "ODS directory is readable by everyone"
  on public.organisations
  for select
  to anon, authenticated
  using (true);

-- No insert, update or delete policies: with RLS on, the API roles cannot
-- write. TRUNCATE is not subject to RLS, so take it away explicitly.
revoke truncate on public.organisations from anon, authenticated;
