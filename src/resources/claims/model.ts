// Claims as the portal reads them (claim_overview, claim_lines, …; RLS decides
// which rows), and the few rules the pages repeat for a friendlier message
// before the database decides: which file may be attached, which units are a
// whole number, where a problem of submit_claim belongs. Pure, so unit-tested.
// Money is never computed here: every amount and total is read from Postgres.
import type { Enums, Tables } from '../../types/database.ts';

export type ClaimStatus = Enums<'claim_status'>;
export type EvidenceScanStatus = Enums<'evidence_scan_status'>;

export const CLAIM_STATUSES: readonly ClaimStatus[] = [
  'draft',
  'pending_provider_approval',
  'pending_system_review',
  'pending_tier1_review',
  'pending_tier2_review',
  'pending_finance_approval',
  'approved_for_payment',
  'declined',
  'sent',
  'paid',
];

export const CLAIM_STATUS_COLOURS: Record<ClaimStatus, string> = {
  draft: 'default',
  pending_provider_approval: 'gold',
  pending_system_review: 'purple',
  pending_tier1_review: 'blue',
  pending_tier2_review: 'blue',
  pending_finance_approval: 'cyan',
  approved_for_payment: 'green',
  declined: 'red',
  sent: 'geekblue',
  paid: 'green',
};

export type ClaimOverview = Tables<'claim_overview'>;

/** A claim the submitter may still change (require_editable_claim agrees). */
export function isEditableStatus(status: ClaimStatus): boolean {
  return status === 'draft' || status === 'declined';
}

export interface ClaimLineComponent {
  name: string;
  information: string | null;
  evidence_required: boolean;
  evidence_text: string | null;
  accepted_file_types: string[];
}

export type ClaimLine = Pick<
  Tables<'claim_lines'>,
  'id' | 'claim_id' | 'service_id' | 'component_id' | 'kind' | 'position' | 'units' | 'unit_price' | 'fixed_amount' | 'amount' | 'acknowledged_at'
> & { component: ClaimLineComponent | null };

export const CLAIM_LINE_SELECT =
  'id,claim_id,service_id,component_id,kind,position,units,unit_price,fixed_amount,amount,acknowledged_at,' +
  'component:service_components!component_id(name,information,evidence_required,evidence_text,accepted_file_types)';

export type ClaimServiceRow = Pick<Tables<'claim_services'>, 'claim_id' | 'service_id' | 'window_id' | 'period_label'> & {
  service: { name: string } | null;
};
export const CLAIM_SERVICE_SELECT = 'claim_id,service_id,window_id,period_label,service:quality_services!service_id(name)';

export type ServiceTotal = Tables<'claim_service_totals'>;

export type QuestionKind = Enums<'question_kind'>;
export type ClaimAnswer = Pick<Tables<'claim_answers'>, 'claim_id' | 'service_id' | 'question_id' | 'answer_yes' | 'answer_text'> & {
  question: { id: string; question: string; kind: QuestionKind; required: boolean; position: number } | null;
};
export const CLAIM_ANSWER_SELECT =
  'claim_id,service_id,question_id,answer_yes,answer_text,question:service_questions!question_id(id,question,kind,required,position)';

export type ClaimEvidence = Pick<
  Tables<'claim_evidence'>,
  'id' | 'claim_id' | 'line_id' | 'object_path' | 'original_name' | 'size_bytes' | 'scan_status' | 'scan_reason' | 'uploaded_at'
>;
export const CLAIM_EVIDENCE_SELECT = 'id,claim_id,line_id,object_path,original_name,size_bytes,scan_status,scan_reason,uploaded_at';

export type ComponentRow = Pick<
  Tables<'service_components'>,
  'id' | 'service_id' | 'position' | 'name' | 'kind' | 'evidence_required'
>;
export const COMPONENT_SELECT = 'id,service_id,position,name,kind,evidence_required';

/** A row of public.claim_available_services(claim): the Services pane. */
export interface AvailableService {
  service_id: string;
  service_name: string;
  period_label: string;
  window_id: string | null;
  closes_on: string | null;
  offer_id: string;
  component_count: number;
  single_service: boolean;
  on_claim: boolean;
}

/** A row of public.claim_timeline(claim). */
export interface TimelineEntry {
  occurred_at: string;
  action: string;
  actor: string | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
}

/** The answer of public.new_claim_availability(provider). */
export interface ClaimAvailability {
  available: boolean;
  reason: 'no_services' | 'all_claimed' | 'not_open_yet' | 'window_missed' | null;
  message: string | null;
  next_opens_on: string | null;
  /** Drafts holding today's open windows: finish one of these instead of starting another. */
  open_drafts?: { claim_id: string; claim_number: number }[];
}

/** One thing that stops a claim being submitted (submit_claim / validate-claim). */
export interface ClaimProblem {
  rule: string;
  message: string;
  line_id?: string | null;
  service_id?: string | null;
  question_id?: string | null;
  evidence_id?: string | null;
}

/** The answer of submit_claim (dry run or not) and of the validate-claim function. */
export interface SubmitResult {
  ok: boolean;
  dry_run?: boolean;
  problems: ClaimProblem[];
  claim_id?: string;
  claim_number: number;
  status: ClaimStatus;
  total: number | string;
}

/** Where a problem is shown beside the claim: at its question, else its line, else its service; the rest only in the list at the top. */
export function problemPlace(problem: ClaimProblem): { kind: 'question' | 'line' | 'service' | 'claim'; id: string | null } {
  if (problem.question_id) return { kind: 'question', id: problem.question_id };
  if (problem.line_id) return { kind: 'line', id: problem.line_id };
  if (problem.service_id) return { kind: 'service', id: problem.service_id };
  return { kind: 'claim', id: null };
}

/**
 * The id of the element on the claim page where a problem is shown (a line's section, a question's
 * group, a service's section), so the list at the top can take the person there; null for the rest.
 */
export function problemAnchor(problem: ClaimProblem): string | null {
  const place = problemPlace(problem);
  return place.kind === 'claim' || place.id === null ? null : placeAnchor(place.kind, place.id);
}

/** The element id of a place on the claim page where problems are shown. */
export function placeAnchor(kind: 'question' | 'line' | 'service', id: string): string {
  return `claim-${kind}-place-${id}`;
}

/** The problems shown at one place (a question, a line or a service). */
export function problemsAt(problems: readonly ClaimProblem[], kind: 'question' | 'line' | 'service', id: string): ClaimProblem[] {
  return problems.filter((problem) => {
    const place = problemPlace(problem);
    return place.kind === kind && place.id === id;
  });
}

// ------------------------------------------------------------------ units

export const MAX_UNITS = 100_000;

/** What was typed in a Units box: a whole number 0–100,000, nothing (clears), or a mistake. */
export function parseUnits(typed: string): { ok: true; units: number | null } | { ok: false } {
  const value = typed.trim();
  if (value === '') return { ok: true, units: null };
  if (!/^\d+$/.test(value)) return { ok: false };
  const units = Number(value);
  return units <= MAX_UNITS ? { ok: true, units } : { ok: false };
}

// ------------------------------------------------------------------ evidence files

/** The evidence bucket's limit (storage.buckets.file_size_limit): 5 MB. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

/** The document types the bucket accepts, by extension (allowed_mime_types). */
export const EVIDENCE_MIME_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

export function extensionOf(fileName: string): string {
  const match = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
  return match ? match[1]!.toLowerCase() : '';
}

/** Accepted types as people read them: ".pdf, .xlsx". */
export function acceptedTypesLabel(types: readonly string[]): string {
  return types.map((type) => `.${type.replace(/^\./, '').toLowerCase()}`).join(', ');
}

export type FileRefusal = { kind: 'empty' } | { kind: 'tooLarge' } | { kind: 'wrongType'; accepted: string };

/** Why a file cannot be attached to a line, checked before anything is sent (the bucket and record_claim_evidence check again). */
export function evidenceFileProblem(file: { name: string; size: number }, acceptedTypes: readonly string[]): FileRefusal | null {
  const accepted = acceptedTypes.map((type) => type.replace(/^\./, '').toLowerCase());
  const extension = extensionOf(file.name);
  if (!extension || !accepted.includes(extension) || !EVIDENCE_MIME_TYPES[extension]) {
    return { kind: 'wrongType', accepted: acceptedTypesLabel(accepted) };
  }
  if (file.size <= 0) return { kind: 'empty' };
  if (file.size > MAX_EVIDENCE_BYTES) return { kind: 'tooLarge' };
  return null;
}

/**
 * A storage-safe, unique object name for an upload: letters, digits, dots,
 * hyphens and underscores only (no folders, no "..": the policy reads the
 * folders), a unique prefix so a second file of the same name never collides,
 * the extension kept (the policy checks it).
 */
export function sanitisedFileName(original: string, unique: string): string {
  const extension = extensionOf(original);
  const stem = original
    .trim()
    .replace(/\.[A-Za-z0-9]+$/, '')
    .normalize('NFKD')
    // Accents apart from their letters, then dropped: "É" → "E".
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
    .slice(0, 80);
  return `${unique}-${stem || 'file'}${extension ? `.${extension}` : ''}`;
}

/** evidence/<provider id>/<claim id>/<line id>/<file>: the path the storage policy and record_claim_evidence expect. */
export function evidenceObjectPath(providerId: string, claimId: string, lineId: string, fileName: string): string {
  return `${providerId}/${claimId}/${lineId}/${fileName}`;
}

/** "1.2 MB", "340 KB" */
export function formatFileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

// ------------------------------------------------------------------ claim windows

export type WindowState = 'open' | 'upcoming' | 'closed';

/** A window's state on a calendar day (YYYY-MM-DD strings compare as dates). */
export function windowState(window: { opens_on: string; closes_on: string }, today: string): WindowState {
  if (today < window.opens_on) return 'upcoming';
  if (today > window.closes_on) return 'closed';
  return 'open';
}
