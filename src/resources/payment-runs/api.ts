// The payment file of a run, from the payment-file edge function: GET
// /functions/v1/payment-file?run=<id>&format=csv|xlsx with the person's own
// token (the function reads the rows as them, so RLS decides), saved under the
// name its Content-Disposition gives. supabase-js is loaded lazily; UI tests
// install a double with setPaymentFileSource.
import { saveBlob } from '../../lib/save-blob.ts';
import { RpcError } from '../../components/rpc.ts';
import { fileNameFromDisposition, paymentFileName, type PaymentFileFormat } from './model.ts';

export interface PaymentFile {
  blob: Blob;
  /** From Content-Disposition, if the function named it. */
  fileName?: string;
}

export type PaymentFileSource = (runId: string, format: PaymentFileFormat) => Promise<PaymentFile>;

const supabaseSource: PaymentFileSource = async (runId, format) => {
  const { supabaseClient, supabaseSettings } = await import('../../providers/supabase-client.ts');
  const { data } = await supabaseClient.auth.getSession();
  const token = data.session?.access_token;
  if (!token) throw new RpcError('42501', 'You are signed out.', 'Sign in again and download the file again.', 401);
  const url = `${supabaseSettings.url.replace(/\/$/, '')}/functions/v1/payment-file?run=${encodeURIComponent(runId)}&format=${format}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, apikey: supabaseSettings.anonKey } });
  } catch (error) {
    throw new RpcError('network', `The portal could not reach the server: ${error instanceof Error ? error.message : String(error)}`, 'Check your connection and try again.', undefined);
  }
  if (!response.ok) throw await refusalOf(response);
  return { blob: await response.blob(), fileName: fileNameFromDisposition(response.headers.get('Content-Disposition')) };
};

/** The function's refusal ({ error: { code, message, hint } } or { code, message }) as an RpcError. */
export async function refusalOf(response: Response): Promise<RpcError> {
  let code: string | undefined;
  let message: string | undefined;
  let hint: string | null = null;
  try {
    const body = (await response.json()) as { error?: unknown; code?: unknown; message?: unknown; hint?: unknown };
    const inner = (body.error && typeof body.error === 'object' ? body.error : body) as { code?: unknown; message?: unknown; hint?: unknown };
    if (typeof inner.code === 'string') code = inner.code;
    if (typeof inner.message === 'string') message = inner.message;
    else if (typeof body.error === 'string') message = body.error;
    if (typeof inner.hint === 'string') hint = inner.hint;
  } catch {
    // not JSON: the status says enough
  }
  const fallbackCode = response.status === 403 || response.status === 401 ? '42501' : response.status === 404 ? 'PT404' : String(response.status);
  return new RpcError(code ?? fallbackCode, message ?? `The payment file could not be made (status ${response.status}).`, hint, response.status);
}

let source: PaymentFileSource = supabaseSource;

/** Replace where payment files come from (tests); `undefined` restores the edge function. */
export function setPaymentFileSource(next: PaymentFileSource | undefined): void {
  source = next ?? supabaseSource;
}

/** Fetch a run's payment file and hand it to the browser; resolves with the name it was saved under. */
export async function downloadPaymentFile(runId: string, runNumber: number, format: PaymentFileFormat): Promise<string> {
  const file = await source(runId, format);
  const name = file.fileName ?? paymentFileName(runNumber, format);
  saveBlob(file.blob, name);
  return name;
}
