// The demo claims in supabase/seed.sql name evidence files (public.claim_evidence
// rows) but SQL cannot hold their bytes. On a freshly seeded stack this step
// makes a small real document for each such row (PDF, Word, Excel or
// OpenDocument, by its extension), uploads it to the `evidence` bucket through
// the Storage API with the service role, and records its real size and
// sha256 on the row — so reviewers can Download them and the system review
// would pass them. Rows that already have their object are left alone.
import { createHash } from 'node:crypto';
import postgres from 'postgres';
// The sample-document builders the tests use (real files a reader opens); the
// stack, like the tests, is development tooling, so it shares them.
import { cleanDocx, cleanOds, cleanOdt, cleanPdf, cleanXlsx, type EvidenceSample } from '../tests/shared/evidence-files.ts';

interface DemoEvidenceOptions {
  apiUrl: string;
  serviceRoleKey: string;
  /** Superuser connection string. */
  dbUrl: string;
}

interface MissingFile {
  id: string;
  object_path: string;
  original_name: string;
  claim_number: string;
  component: string;
}

/** A small real document named `name`, of the type its extension says, about `title`. */
function demoEvidenceFile(name: string, title: string): EvidenceSample {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const lines = `${title}. Anonymised log for the period: procedures by week, no patient details.`;
  const rows: (string | number)[][] = [['Week', 'Procedures'], ['1', 1], ['2', 0], ['3', 2]];
  switch (extension) {
    case 'pdf': return cleanPdf(lines, name);
    case 'docx': return cleanDocx(lines, name);
    case 'odt': return cleanOdt(lines, name);
    case 'xlsx': return cleanXlsx(rows, name);
    case 'ods': return cleanOds(rows, name);
    default: throw new Error(`no demo document for ${name}: use .pdf, .docx, .odt, .xlsx or .ods in supabase/seed.sql`);
  }
}

export async function storeDemoEvidence(options: DemoEvidenceOptions): Promise<number> {
  const sql = postgres(options.dbUrl, { max: 1, onnotice: () => {} });
  try {
    const missing = await sql<MissingFile[]>`
      select e.id::text, e.object_path, e.original_name, c.claim_number::text, sc.name as component
      from public.claim_evidence e
      join public.claims c on c.id = e.claim_id
      join public.claim_lines l on l.id = e.line_id
      join public.service_components sc on sc.id = l.component_id
      where not exists (select 1 from storage.objects o where o.bucket_id = 'evidence' and o.name = e.object_path)
      order by c.claim_number, e.original_name`;
    for (const row of missing) {
      const file = demoEvidenceFile(row.original_name, `${row.component} — claim ${row.claim_number}`);
      const response = await fetch(`${options.apiUrl}/storage/v1/object/evidence/${row.object_path.split('/').map(encodeURIComponent).join('/')}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.serviceRoleKey}`, apikey: options.serviceRoleKey, 'Content-Type': file.type },
        body: new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }),
      });
      if (!response.ok) throw new Error(`could not store demo evidence ${row.object_path}: ${response.status} ${await response.text()}`);
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      await sql.begin(async (tx) => {
        await tx`select set_config('app.action', 'seed', true)`;
        await tx`update public.claim_evidence set size_bytes = ${file.bytes.byteLength}, declared_type = ${file.type},
                   sha256 = case when scan_status = 'clean' then ${sha256} else sha256 end
                 where id = ${row.id}`;
      });
    }
    return missing.length;
  } finally {
    await sql.end();
  }
}
