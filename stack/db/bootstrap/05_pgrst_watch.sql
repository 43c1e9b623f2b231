-- Schema-change notifications for the API's schema cache, as hosted installs
-- them: after DDL that can change what the REST API serves, send
-- `NOTIFY pgrst, 'reload schema'` (the gateway LISTENs on `pgrst`). LOCAL ONLY.
-- Changes to temporary objects are ignored.

create or replace function extensions.pgrst_ddl_watch()
returns event_trigger
language plpgsql
as $fn$
declare
  relevant boolean;
begin
  select exists (
    select 1
    from pg_event_trigger_ddl_commands() as cmd
    where cmd.schema_name is distinct from 'pg_temp'
      and cmd.command_tag in (
        'CREATE SCHEMA', 'ALTER SCHEMA',
        'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO', 'ALTER TABLE',
        'CREATE FOREIGN TABLE', 'ALTER FOREIGN TABLE',
        'CREATE VIEW', 'ALTER VIEW',
        'CREATE MATERIALIZED VIEW', 'ALTER MATERIALIZED VIEW',
        'CREATE FUNCTION', 'ALTER FUNCTION',
        'CREATE TRIGGER',
        'CREATE TYPE', 'ALTER TYPE',
        'CREATE RULE',
        'COMMENT'
      )
  ) into relevant;

  if relevant then
    notify pgrst, 'reload schema';
  end if;
end
$fn$;

create or replace function extensions.pgrst_drop_watch()
returns event_trigger
language plpgsql
as $fn$
declare
  relevant boolean;
begin
  select exists (
    select 1
    from pg_event_trigger_dropped_objects() as obj
    where obj.is_temporary is false
      and obj.object_type in (
        'schema', 'table', 'foreign table', 'view', 'materialized view',
        'function', 'trigger', 'type', 'rule'
      )
  ) into relevant;

  if relevant then
    notify pgrst, 'reload schema';
  end if;
end
$fn$;

drop event trigger if exists pgrst_ddl_watch;
create event trigger pgrst_ddl_watch
  on ddl_command_end
  execute function extensions.pgrst_ddl_watch();

drop event trigger if exists pgrst_drop_watch;
create event trigger pgrst_drop_watch
  on sql_drop
  execute function extensions.pgrst_drop_watch();
