-- Defence in depth: row-level security on every table, private ones included.
-- private.cluster_counters is written only by security-definer functions owned by
-- its owner (who is not subject to RLS); no API role holds any privilege on it.
alter table private.cluster_counters enable row level security;
