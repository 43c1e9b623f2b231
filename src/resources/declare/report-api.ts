// The Achievement Summary Report of the declarations being declared, from the
// achievement-summary-report edge function:
// GET /functions/v1/achievement-summary-report?declarations=<id,id,…>&format=csv|xlsx
// with the person's own token (the function reads the rows as them through
// public.achievement_summary_rows, so RLS decides), saved under the name its
// Content-Disposition gives (as payment-runs saves the payment file).
// supabase-js is loaded lazily; UI tests install a double with setSummaryReportSource.
import { RpcError } from '../../components/rpc.ts';
import { saveBlob } from '../../lib/save-blob.ts';
import { refusalOf } from '../payment-runs/api.ts';
import { fileNameFromDisposition } from '../payment-runs/model.ts';

export type SummaryReportFormat = 'csv' | 'xlsx';

export interface SummaryReportFile {
  blob: Blob;
  fileName?: string;
}

export type SummaryReportSource = (declarationIds: readonly string[], format: SummaryReportFormat) => Promise<SummaryReportFile>;

const supabaseSource: SummaryReportSource = async (declarationIds, format) => {
  const { supabaseClient, supabaseSettings } = await import('../../providers/supabase-client.ts');
  const { data } = await supabaseClient.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new RpcError('42501', 'You are signed out.', 'Sign in again and run the report again.', 401);
  const url = `${supabaseSettings.url.replace(/\/$/, '')}/functions/v1/achievement-summary-report?declarations=${encodeURIComponent(declarationIds.join(','))}&format=${format}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, apikey: supabaseSettings.anonKey } });
  } catch (error) {
    throw new RpcError('network', `The portal could not reach the server: ${error instanceof Error ? error.message : String(error)}`, 'Check your connection and try again.', undefined);
  }
  if (!response.ok) {
    const refusal = await refusalOf(response);
    // refusalOf's own words name the payment file when the body says nothing.
    throw refusal.message.startsWith('The payment file')
      ? new RpcError(refusal.code, `The report could not be made (status ${response.status}).`, refusal.hint, refusal.status)
      : refusal;
  }
  return { blob: await response.blob(), fileName: fileNameFromDisposition(response.headers.get('Content-Disposition')) };
};

let source: SummaryReportSource = supabaseSource;

/** Replace where the report comes from (tests); `undefined` restores the edge function. */
export function setSummaryReportSource(next: SummaryReportSource | undefined): void {
  source = next ?? supabaseSource;
}

/** The name used when the function gives none. */
export function summaryReportFileName(format: SummaryReportFormat, today: string): string {
  return `achievement-summary-${today}.${format}`;
}

/** Fetch the report and hand it to the browser; resolves with the name it was saved under. */
export async function downloadSummaryReport(declarationIds: readonly string[], format: SummaryReportFormat, today: string): Promise<string> {
  const file = await source(declarationIds, format);
  const name = file.fileName ?? summaryReportFileName(format, today);
  saveBlob(file.blob, name);
  return name;
}
