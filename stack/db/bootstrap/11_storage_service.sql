-- What the local Storage service (stack/gateway/storage/) needs beyond the
-- tables in 03_storage.sql: the listing function storage-api calls and the
-- `storage.operation()` helpers policies may use. LOCAL ONLY; re-runnable.
-- Written for this project from the documented behaviour of storage-api
-- (supabase-api-subset.md §4.4–4.5), not copied from it.

set local role supabase_storage_admin;

-- ---------------------------------------------------------------- listing
-- One row per direct child of `prefix` in `bucketname`: files with their row data,
-- folders (a name followed by more path) once each with id/metadata null. Names are
-- relative to the prefix. `search` keeps children whose name starts with it, and
-- both prefix and search match case-insensitively (storage-api uses ILIKE).
-- Sorting by name interleaves folders and files (by lower-cased name, byte order);
-- sorting by a timestamp lists folders first. `levels` is accepted and ignored, as
-- in current storage-api (the depth follows from the prefix).
-- SECURITY INVOKER: evaluated as the caller, so storage.objects RLS decides what
-- is listed, and a folder shows only if the caller can see something inside it.
create or replace function storage.search(
  prefix text,
  bucketname text,
  limits int default 100,
  levels int default 1,
  offsets int default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
)
returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql
stable
security invoker
as $fn$
declare
  v_prefix text := coalesce(prefix, '');
  v_pattern text;
  v_direction text := case when lower(coalesce(sortorder, 'asc')) = 'desc' then 'desc' else 'asc' end;
  v_column text := case lower(coalesce(sortcolumn, 'name'))
    when 'updated_at' then 'updated_at'
    when 'created_at' then 'created_at'
    when 'last_accessed_at' then 'last_accessed_at'
    else 'name'
  end;
  v_order text;
begin
  -- LIKE pattern for "starts with prefix || search", wildcards in the input escaped.
  v_pattern := replace(replace(replace(lower(v_prefix || coalesce(search, '')), '\', '\\'), '%', '\%'), '_', '\_') || '%';

  if v_column = 'name' then
    v_order := format('lower(e.name) collate "C" %s, e.is_folder desc', v_direction);
  else
    v_order := format(
      'e.is_folder desc, (case when e.is_folder then lower(e.name) end) collate "C" %1$s, e.%2$I %1$s nulls last, lower(e.name) collate "C"',
      v_direction, v_column);
  end if;

  return query execute format($q$
    with matched as (
      select o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata,
             substr(o.name, length($1) + 1) as rest
      from storage.objects o
      where o.bucket_id = $2
        and lower(o.name) like $3
    ),
    entries as (
      select split_part(m.rest, '/', 1) as name,
             null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
             null::timestamptz as last_accessed_at, null::jsonb as metadata, true as is_folder
      from matched m
      where strpos(m.rest, '/') > 1
      group by 1
      union all
      select m.rest, m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata, false
      from matched m
      where m.rest <> '' and strpos(m.rest, '/') = 0
    )
    select e.name, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata
    from entries e
    order by %s
    limit $4 offset $5
  $q$, v_order)
  using v_prefix, bucketname, v_pattern, greatest(coalesce(limits, 100), 0), greatest(coalesce(offsets, 0), 0);
end
$fn$;

-- ---------------------------------------------------------------- operations
-- The service sets `storage.operation` (e.g. 'object.upload', 'object.list') for
-- each request, so a policy can tell operations apart, as on hosted Supabase.

create or replace function storage.operation()
returns text
language sql
stable
as $fn$
  select nullif(current_setting('storage.operation', true), '')
$fn$;

create or replace function storage.allow_only_operation(expected_operation text)
returns boolean
language sql
stable
as $fn$
  select storage.operation() = expected_operation
$fn$;

create or replace function storage.allow_any_operation(expected_operations text[])
returns boolean
language sql
stable
as $fn$
  select storage.operation() = any (expected_operations)
$fn$;

grant execute on function
  storage.search(text, text, int, int, int, text, text, text),
  storage.operation(),
  storage.allow_only_operation(text),
  storage.allow_any_operation(text[])
  to postgres, anon, authenticated, service_role;

reset role;
