// What the claim page sends besides RPCs: the validate-claim edge function
// (with submit_claim's dry run as the fallback when the function cannot be
// reached), evidence uploads to the private `evidence` bucket with a progress
// bar, and downloads. supabase-js is loaded lazily (importing this module needs
// no Supabase settings); UI tests install doubles with setClaimsBackend.
import { saveBlob } from '../../lib/save-blob.ts';
import { callRpc, RpcError } from '../../components/rpc.ts';
import { EVIDENCE_MIME_TYPES, extensionOf, type SubmitResult } from './model.ts';

export const EVIDENCE_BUCKET = 'evidence';

/** Invoke an edge function: `{ data }` or `{ error }` as supabase-js answers (error.context is the Response). */
export type FunctionInvoker = (name: string, body: unknown) => Promise<{ data: unknown; error: unknown }>;

export interface UploadRequest {
  objectPath: string;
  file: File;
  onProgress: (percent: number) => void;
}

export interface ClaimsBackend {
  invoke: FunctionInvoker;
  upload: (request: UploadRequest) => Promise<void>;
  download: (objectPath: string) => Promise<Blob>;
}

const supabaseInvoke: FunctionInvoker = async (name, body) => {
  const { supabaseClient } = await import('../../providers/supabase-client.ts');
  const { data, error } = await supabaseClient.functions.invoke(name, { body: body as Record<string, unknown> });
  return { data, error };
};

/**
 * POST the file to Storage with XMLHttpRequest: supabase-js's upload has no
 * progress callback. The user's access token makes the storage policies
 * (Claim Submitter, editable claim, accepted extension) apply to them.
 */
const supabaseUpload = async ({ objectPath, file, onProgress }: UploadRequest): Promise<void> => {
  const { supabaseClient, supabaseSettings } = await import('../../providers/supabase-client.ts');
  const { data } = await supabaseClient.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new RpcError('42501', 'You are signed out.', 'Sign in again and add the attachment again.', 401);
  await xhrUpload({
    url: `${supabaseSettings.url.replace(/\/$/, '')}/storage/v1/object/${EVIDENCE_BUCKET}/${objectPath.split('/').map(encodeURIComponent).join('/')}`,
    token,
    apiKey: supabaseSettings.anonKey,
    file,
    onProgress,
  });
};

/** The upload itself, apart so it can be tested with a fake XMLHttpRequest. */
export function xhrUpload({
  url,
  token,
  apiKey,
  file,
  onProgress,
}: {
  url: string;
  token: string;
  apiKey: string;
  file: File;
  onProgress: (percent: number) => void;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('apikey', apiKey);
    // The bucket allows document MIME types only; an unknown browser type would be refused.
    request.setRequestHeader('Content-Type', EVIDENCE_MIME_TYPES[extensionOf(file.name)] ?? (file.type || 'application/octet-stream'));
    request.setRequestHeader('x-upsert', 'false');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(100, Math.round((event.loaded / event.total) * 100)));
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(100);
        resolve();
        return;
      }
      let message = `The file could not be stored (status ${request.status}).`;
      try {
        const body = JSON.parse(request.responseText) as { message?: string; error?: string };
        if (body.message || body.error) message = `The file could not be stored: ${body.message ?? body.error}.`;
      } catch {
        // not JSON: keep the status
      }
      reject(new RpcError(request.status === 413 ? '22023' : request.status === 403 ? '42501' : 'storage', message, 'Check the file and add it again.', request.status));
    };
    request.onerror = () => reject(new RpcError('network', 'The portal could not reach the server to store the file.', 'Check your connection and try again.', undefined));
    request.send(file);
  });
}

const supabaseDownload = async (objectPath: string): Promise<Blob> => {
  const { supabaseClient } = await import('../../providers/supabase-client.ts');
  const { data, error } = await supabaseClient.storage.from(EVIDENCE_BUCKET).download(objectPath);
  if (error || !data) throw new RpcError('PT404', `The file could not be downloaded${error ? `: ${error.message}` : ''}.`, 'Reload the claim and try again.', 404);
  return data;
};

const supabaseBackend: ClaimsBackend = { invoke: supabaseInvoke, upload: supabaseUpload, download: supabaseDownload };

let backend: ClaimsBackend = supabaseBackend;

/** Replace the function, upload and download transports (tests); `undefined` restores supabase-js. */
export function setClaimsBackend(next: Partial<ClaimsBackend> | undefined): void {
  backend = next ? { ...supabaseBackend, ...next } : supabaseBackend;
}

interface FunctionFailure {
  name?: string;
  message?: string;
  context?: unknown;
}

/** The function's own refusal (`{ error: { code, message, hint } }` or `{ code, message }`), if its response carries one. */
async function functionRefusal(error: FunctionFailure): Promise<{ status: number | undefined; code?: string; message?: string; hint?: string } | undefined> {
  const response = error.context;
  if (!response || typeof response !== 'object' || !('status' in response)) return undefined;
  const r = response as Response;
  try {
    const body = (await r.clone().json()) as { error?: unknown; code?: unknown; message?: unknown; hint?: unknown };
    const inner = (body.error && typeof body.error === 'object' ? body.error : body) as { code?: unknown; message?: unknown; hint?: unknown };
    return {
      status: r.status,
      ...(typeof inner.code === 'string' ? { code: inner.code } : {}),
      ...(typeof inner.message === 'string' ? { message: inner.message } : typeof body.error === 'string' ? { message: body.error } : {}),
      ...(typeof inner.hint === 'string' ? { hint: inner.hint } : {}),
    };
  } catch {
    return { status: r.status };
  }
}

/**
 * Everything that stops the claim being submitted: the validate-claim edge
 * function (submit_claim's rules plus NHS numbers in free text and files).
 * When the function cannot be reached (not deployed, network, gateway error)
 * the database's own dry run answers instead, so the page keeps working.
 */
export async function validateClaim(claimId: string): Promise<SubmitResult> {
  const fallback = () => callRpc<SubmitResult>('submit_claim', { p_claim_id: claimId, p_dry_run: true });
  let answer: { data: unknown; error: unknown };
  try {
    answer = await backend.invoke('validate-claim', { claim_id: claimId });
  } catch {
    return fallback();
  }
  if (!answer.error) {
    const data = answer.data as SubmitResult | null;
    if (data && Array.isArray(data.problems)) return data;
    return fallback();
  }
  const failure = answer.error as FunctionFailure;
  const refusal = await functionRefusal(failure);
  // Unreachable: no HTTP answer (fetch or relay error), not deployed (404 without our body), or the gateway failed (5xx).
  if (!refusal || refusal.status === undefined || refusal.status >= 500 || (refusal.status === 404 && !refusal.message)) {
    return fallback();
  }
  throw new RpcError(refusal.code ?? String(refusal.status), refusal.message ?? failure.message ?? 'The claim could not be checked.', refusal.hint ?? null, refusal.status);
}

export function uploadEvidence(request: UploadRequest): Promise<void> {
  return backend.upload(request);
}

/** Download a file and hand it to the browser under its original name. */
export async function downloadEvidence(objectPath: string, originalName: string): Promise<void> {
  saveBlob(await backend.download(objectPath), originalName);
}
