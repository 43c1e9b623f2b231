-- Issue 11: writes to the read-only views answered 500 with the view's shape.
--
-- PATCH or DELETE on user_directory, pending_registrations or
-- pending_access_requests (for every role, anon included) reached Postgres,
-- which refuses a write to a view that is not automatically updatable while
-- rewriting the query, before it checks privileges: error 55000 "cannot update
-- view … Views that do not select from a single table …" (HTTP 500, the view's
-- shape in the details). Revoking the privileges alone does not change that.
--
-- private.make_view_read_only(view) does both halves:
--   * revokes INSERT, UPDATE, DELETE, TRUNCATE from public, anon and
--     authenticated (Supabase's default privileges grant everything on every
--     new view), keeping whatever SELECT was granted;
--   * adds INSTEAD OF INSERT, UPDATE and DELETE triggers that refuse the write
--     (42501, "<view> is a read-only view."). With a trigger the query reaches
--     the executor, whose privilege check refuses the API roles first: 401 for
--     anon, 403 for a signed-in person, with "permission denied for view …"
--     and nothing else. The trigger itself stops the owner and the service role.
--
-- Every view in public must go through it: tests/db/tenancy/read-only-views.test.ts
-- fails for any view, present or future, that grants a write to anon or
-- authenticated or lacks the triggers (docs/security-model.md, "Adding a table
-- safely").

create function private.refuse_view_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = '42501',
    message = format('%s is a read-only view.', tg_table_name),
    hint = 'Change the underlying data through the portal''s actions (public functions).';
end;
$$;

create function private.make_view_read_only(p_view regclass)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if (select c.relkind from pg_catalog.pg_class c where c.oid = p_view) is distinct from 'v' then
    raise exception using errcode = '22023', message = format('%s is not a view.', p_view);
  end if;
  execute format('revoke insert, update, delete, truncate, references, trigger on %s from public, anon, authenticated', p_view);
  execute format('drop trigger if exists refuse_write on %s', p_view);
  execute format('create trigger refuse_write instead of insert or update or delete on %s for each row execute function private.refuse_view_write()', p_view);
end;
$$;
comment on function private.make_view_read_only(regclass) is
  'Run in the migration that creates a view in public: revokes writes from public, anon and authenticated and adds INSTEAD OF triggers that refuse them, so an API write is 401/403, never a 500 naming the view''s shape.';

revoke all on function private.refuse_view_write(), private.make_view_read_only(regclass) from public;

select private.make_view_read_only('public.my_organisations');
select private.make_view_read_only('public.pending_registrations');
select private.make_view_read_only('public.pending_access_requests');
select private.make_view_read_only('public.user_directory');
