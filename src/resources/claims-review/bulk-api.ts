// What the Bulk Claims page sends to the import-bulk-claims edge function:
// GET the XLSX template, POST the filled-in workbook with a progress bar
// (XMLHttpRequest: fetch has no upload progress). The signed-in user's token
// goes with both, so the database decides with their roles and reach.
// supabase-js is loaded lazily; UI tests install doubles with setBulkClaimsBackend.
import { saveBlob } from '../../lib/save-blob.ts';
import { RpcError } from '../../components/rpc.ts';

export const BULK_FUNCTION = 'import-bulk-claims';
export const MAX_BULK_FILE_BYTES = 5 * 1024 * 1024;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type BulkRule =
  | 'unknown_provider'
  | 'provider_outside_reach'
  | 'unknown_component'
  | 'not_offered'
  | 'unknown_period'
  | 'window_closed'
  | 'already_claimed'
  | 'evidence_required'
  | 'questions_required'
  | 'invalid_units'
  | 'duplicate_row'
  | 'unreadable_row';

export interface BulkReportRow {
  row: number;
  ods_code: string | null;
  provider_name?: string | null;
  service: string | null;
  component: string | null;
  period: string | null;
  units: string | null;
  outcome: 'claimed' | 'not_claimed' | 'invalid';
  problems: { rule: BulkRule | string; message: string }[];
  claim_id?: string;
  claim_number?: number;
}

export interface BulkCreatedClaim {
  claim_id: string;
  claim_number: number;
  provider_ods_code: string;
  provider_name: string;
  services: string;
  period: string;
  total: number | string;
  risk_band: 'low' | 'medium' | 'high' | null;
  status: string;
}

/** public.import_bulk_claims's answer, as the function returns it. */
export interface BulkReport {
  ok: boolean;
  duplicate: boolean;
  created: number;
  message: string;
  import_id?: string;
  imported_by?: string;
  imported_at?: string;
  rows: BulkReportRow[];
  claims: BulkCreatedClaim[];
}

export interface BulkClaimsBackend {
  downloadTemplate: (commissionerId: string, period: string) => Promise<{ blob: Blob; fileName: string }>;
  upload: (commissionerId: string, file: File, onProgress: (percent: number) => void) => Promise<BulkReport>;
}

async function session(): Promise<{ url: string; token: string; apiKey: string }> {
  const { supabaseClient, supabaseSettings } = await import('../../providers/supabase-client.ts');
  const { data } = await supabaseClient.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new RpcError('42501', 'You are signed out.', 'Sign in again.', 401);
  return { url: `${supabaseSettings.url.replace(/\/$/, '')}/functions/v1/${BULK_FUNCTION}`, token, apiKey: supabaseSettings.anonKey };
}

/** The function's `{ error: { code, message } }` (or the platform's `{ code, message }`) as an RpcError. */
export function refusal(status: number, text: string): RpcError {
  let message = `The bulk claims service answered ${status}.`;
  let code = String(status);
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; code?: string | number; message?: string };
    const inner = body.error ?? body;
    if (typeof inner.message === 'string' && inner.message) message = inner.message;
    if (inner.code !== undefined) code = String(inner.code);
  } catch {
    // not JSON: keep the status
  }
  const hint = status === 413 || status === 415 || status === 422 ? 'Download the template, enter units and upload it as .xlsx (at most 5 MB).' : null;
  return new RpcError(status === 403 ? '42501' : status === 401 ? '42501' : code, message, hint, status);
}

const supabaseDownload: BulkClaimsBackend['downloadTemplate'] = async (commissionerId, period) => {
  const { url, token, apiKey } = await session();
  let response: Response;
  try {
    response = await fetch(`${url}?commissioner_id=${encodeURIComponent(commissionerId)}&period=${encodeURIComponent(period)}`, {
      headers: { Authorization: `Bearer ${token}`, apikey: apiKey },
    });
  } catch (error) {
    throw new RpcError('network', `The portal could not reach the server: ${(error as Error).message}`, 'Check your connection and try again.', undefined);
  }
  if (!response.ok) throw refusal(response.status, await response.text());
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'bulk-claims.xlsx';
  return { blob: await response.blob(), fileName };
};

const supabaseUpload: BulkClaimsBackend['upload'] = async (commissionerId, file, onProgress) => {
  const { url, token, apiKey } = await session();
  return new Promise<BulkReport>((resolve, reject) => {
    const request = new XMLHttpRequest();
    // The name goes in the query: a custom header would need the functions' CORS headers to allow it.
    request.open('POST', `${url}?commissioner_id=${encodeURIComponent(commissionerId)}&file_name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('apikey', apiKey);
    request.setRequestHeader('Content-Type', XLSX_TYPE);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(100, Math.round((event.loaded / event.total) * 100)));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(100);
        try {
          resolve(JSON.parse(request.responseText) as BulkReport);
        } catch {
          reject(new RpcError('unknown', 'The answer of the bulk claims service could not be read.', 'Try again.', request.status));
        }
        return;
      }
      reject(refusal(request.status, request.responseText));
    };
    request.onerror = () => reject(new RpcError('network', 'The portal could not reach the server to upload the file.', 'Check your connection and try again.', undefined));
    request.send(file);
  });
};

const supabaseBackend: BulkClaimsBackend = { downloadTemplate: supabaseDownload, upload: supabaseUpload };
let backend: BulkClaimsBackend = supabaseBackend;

/** Replace the template download and the upload (tests); `undefined` restores the real function. */
export function setBulkClaimsBackend(next: Partial<BulkClaimsBackend> | undefined): void {
  backend = next ? { ...supabaseBackend, ...next } : supabaseBackend;
}

export async function downloadTemplate(commissionerId: string, period: string): Promise<void> {
  const { blob, fileName } = await backend.downloadTemplate(commissionerId, period);
  saveBlob(blob, fileName);
}

export function uploadBulkClaims(commissionerId: string, file: File, onProgress: (percent: number) => void): Promise<BulkReport> {
  return backend.upload(commissionerId, file, onProgress);
}

/** Why the browser will not send this file, or null: .xlsx only, at most 5 MB (the function checks again, by the bytes). */
export function fileProblem(file: { name: string; size: number }): 'type' | 'size' | 'empty' | null {
  if (!/\.xlsx$/i.test(file.name)) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_BULK_FILE_BYTES) return 'size';
  return null;
}
