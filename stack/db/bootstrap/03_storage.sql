-- The `storage` schema as storage-api leaves it (the parts clients and policies
-- use): buckets, objects and the path helpers. LOCAL ONLY.
-- Written from the public definitions of supabase/storage's tenant migrations.

create schema if not exists storage authorization supabase_storage_admin;
alter schema storage owner to supabase_storage_admin;

grant usage on schema storage to postgres, anon, authenticated, service_role;
grant all on schema storage to postgres;

set local role supabase_storage_admin;

-- Whatever storage-api creates later is reachable by the API roles; RLS gates it.
alter default privileges in schema storage grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema storage grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges in schema storage grant all on functions to postgres, anon, authenticated, service_role;

-- ---------------------------------------------------------------- buckets

create table if not exists storage.buckets (
  id text not null,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text,
  constraint buckets_pkey primary key (id)
);

create unique index if not exists bname on storage.buckets (name);
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';

-- ---------------------------------------------------------------- objects

create table if not exists storage.objects (
  id uuid not null default gen_random_uuid(),
  bucket_id text,
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb,
  constraint objects_pkey primary key (id),
  constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
);

create unique index if not exists bucketid_objname on storage.objects (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';

-- updated_at follows every update, as storage-api's trigger does.
create or replace function storage.update_updated_at_column()
returns trigger
language plpgsql
as $fn$
begin
  new.updated_at := now();
  return new;
end
$fn$;

drop trigger if exists update_objects_updated_at on storage.objects;
create trigger update_objects_updated_at
  before update on storage.objects
  for each row execute function storage.update_updated_at_column();

-- Authorization is by RLS policies (written in the project's migrations); the
-- API roles hold table privileges so those policies are what decides.
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to postgres with grant option;

-- ---------------------------------------------------------------- path helpers
-- Object names are '/'-separated paths, e.g. '<org id>/<claim id>/scan.pdf'.

-- All segments but the last: '{<org id>,<claim id>}'.
create or replace function storage.foldername(name text)
returns text[]
language plpgsql
immutable
as $fn$
declare
  segments text[] := string_to_array(name, '/');
begin
  return segments[1 : array_length(segments, 1) - 1];
end
$fn$;

-- The last segment: 'scan.pdf'.
create or replace function storage.filename(name text)
returns text
language plpgsql
immutable
as $fn$
declare
  segments text[] := string_to_array(name, '/');
begin
  return segments[array_length(segments, 1)];
end
$fn$;

-- Text after the last '.' of the last segment: 'pdf' (a name without a dot
-- yields the whole file name, as storage-api's definition does).
create or replace function storage.extension(name text)
returns text
language plpgsql
immutable
as $fn$
declare
  segments text[] := string_to_array(name, '/');
  file_name text := segments[array_length(segments, 1)];
begin
  return reverse(split_part(reverse(file_name), '.', 1));
end
$fn$;

grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to postgres, anon, authenticated, service_role;

reset role;
