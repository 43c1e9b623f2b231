-- API roles never write organisations directly: the directory is maintained by
-- the service role and, later, by SQL functions that check the caller's role.
-- RLS already refused these writes; without the privileges a crafted request is
-- refused outright, before any row is considered (defence in depth).
revoke insert, update, delete on public.organisations from anon, authenticated;
