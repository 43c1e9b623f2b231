// The network organisation relationship report: practice ↔ PCN relationships
// overlapping a date range, from `network_relationship_report(p_from, p_to)`
// (security invoker: RLS on pcn_memberships decides which rows you see),
// narrowed with PostgREST filters on its result. Fetched in pages of 1,000
// (the API's row limit) with a full ordering, so a national report is whole.
//
// The source is supabase-js, loaded lazily so importing this module needs no
// Supabase settings; UI tests install a test double with setReportSource.

export interface NetworkRelationshipRow {
  pcn_membership_id: string;
  practice_id: string;
  practice_ods_code: string;
  practice_name: string;
  pcn_id: string;
  pcn_ods_code: string;
  pcn_name: string;
  /** "YYYY-MM-DD" */
  valid_from: string;
  /** "YYYY-MM-DD", last day inclusive; null while current. */
  valid_to: string | null;
}

export interface ReportQuery {
  /** "YYYY-MM-DD" */
  from: string;
  /** "YYYY-MM-DD" */
  to: string;
  pcnId?: string | undefined;
  practiceId?: string | undefined;
}

/** What went wrong, as PostgREST said it (message, hint, code). */
export class ReportError extends Error {
  override readonly name = 'ReportError';
  constructor(
    message: string,
    readonly hint: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export type ReportSource = (query: ReportQuery) => Promise<NetworkRelationshipRow[]>;

const PAGE_SIZE = 1000;

const supabaseSource: ReportSource = async ({ from, to, pcnId, practiceId }) => {
  const { supabaseClient } = await import('../../providers/supabase-client.ts');
  // The generated types may lag behind the migration that adds the function.
  const rpc = supabaseClient.rpc.bind(supabaseClient) as unknown as (
    fn: string,
    args: Record<string, unknown>,
  ) => ReportRequest;
  const rows: NetworkRelationshipRow[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    let request = rpc('network_relationship_report', { p_from: from, p_to: to });
    if (pcnId) request = request.eq('pcn_id', pcnId);
    if (practiceId) request = request.eq('practice_id', practiceId);
    const { data, error } = await request
      .order('pcn_name')
      .order('practice_name')
      .order('valid_from')
      .order('pcn_membership_id')
      .range(offset, offset + PAGE_SIZE - 1);
    if (error) throw new ReportError(error.message || 'The report could not be run.', error.hint ?? null, error.code ?? null);
    const page = (data ?? []) as NetworkRelationshipRow[];
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
  }
};

/** The part of postgrest-js's filter builder used here. */
interface ReportRequest extends PromiseLike<{ data: unknown; error: { message: string; hint?: string | null; code?: string | null } | null }> {
  eq(column: string, value: string): ReportRequest;
  order(column: string): ReportRequest;
  range(from: number, to: number): ReportRequest;
}

let source: ReportSource = supabaseSource;

/** Replace where the report comes from (tests); `undefined` restores supabase-js. */
export function setReportSource(next: ReportSource | undefined): void {
  source = next ?? supabaseSource;
}

export function fetchNetworkRelationships(query: ReportQuery): Promise<NetworkRelationshipRow[]> {
  return source(query);
}
