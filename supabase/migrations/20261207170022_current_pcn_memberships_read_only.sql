-- current_pcn_memberships (Move to another PCN) and the read-only-view rule
-- (make_view_read_only) landed side by side: this view joins two tables, so a
-- PATCH or DELETE on it reached Postgres' "cannot update view" error (HTTP 500)
-- instead of a plain permission refusal. Give it the same treatment as every
-- other view in public.
select private.make_view_read_only('public.current_pcn_memberships');
