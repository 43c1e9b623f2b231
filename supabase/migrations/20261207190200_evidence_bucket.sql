-- Issue 12: the private `evidence` bucket for claim evidence, and who may
-- touch its objects. Created here (not in the local bootstrap) so hosted
-- Supabase gets the same bucket and policies from `db push`.
--
-- Object names: <provider organisation id>/<claim id>/<claim line id>/<file>.
--   * upload (INSERT): a Claim Submitter of that provider, while the claim is
--     draft or declined, on a line whose component asks for evidence, with an
--     extension the component accepts;
--   * read (SELECT): whoever can read the claim, once the file is recorded on
--     it (public.record_claim_evidence) — and the uploader's own fresh upload;
--   * delete: only a fresh upload not yet recorded (recorded files are
--     deleted with public.delete_claim_evidence; the scan-evidence function
--     then removes the bytes with the service role);
--   * update (overwrite, move): nobody — a reviewed file never changes.
-- Size (5 MB) and document MIME types are the bucket's own limits.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('evidence', 'evidence', false, 5242880, array[
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet'])
on conflict (id) do update
set public = excluded.public, file_size_limit = excluded.file_size_limit, allowed_mime_types = excluded.allowed_mime_types;

-- May the caller store an object under this name now?
create function private.can_upload_evidence(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_length(storage.foldername(p_name), 1) = 3, false)
    and exists (
      select 1
      from public.claims c
      join public.claim_lines l on l.claim_id = c.id
      join public.service_components sc on sc.id = l.component_id
      where c.provider_id::text = (storage.foldername(p_name))[1]
        and c.id::text = (storage.foldername(p_name))[2]
        and l.id::text = (storage.foldername(p_name))[3]
        and c.status in ('draft', 'declined')
        and sc.evidence_required
        and lower(storage.extension(p_name)) = any (sc.accepted_file_types)
        and private.has_role(c.provider_id, 'claim_submitter'))
$$;
comment on function private.can_upload_evidence(text) is
  'Storage policy helper: the caller is a Claim Submitter of the claim''s provider, the claim is draft or declined, and the line takes files of this extension.';

revoke all on function private.can_upload_evidence(text) from public;
grant execute on function private.can_upload_evidence(text) to authenticated;

create policy "Claim Submitters upload evidence to their editable claims"
  on storage.objects for insert to authenticated
  with check (bucket_id = 'evidence' and private.can_upload_evidence(name));

-- The claim_evidence subquery runs as the caller, so the claims' own read
-- policy decides who reaches a recorded file.
create policy "Evidence is read by those who read its claim"
  on storage.objects for select to authenticated
  using (bucket_id = 'evidence'
         and (exists (select 1 from public.claim_evidence e where e.object_path = name)
              or private.can_upload_evidence(name)));

create policy "Claim Submitters delete uploads not yet recorded on the claim"
  on storage.objects for delete to authenticated
  using (bucket_id = 'evidence'
         and private.can_upload_evidence(name)
         and not exists (select 1 from public.claim_evidence e where e.object_path = name));
