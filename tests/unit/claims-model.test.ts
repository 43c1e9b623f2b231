// The claim page's own checks before the database decides: units, evidence
// files (size, type, a storage-safe unique name under the line's folder),
// where a problem of submit_claim is shown, a claim window's state; and the
// validate-claim call falling back to submit_claim's dry run only when the
// function cannot be reached.
import { afterEach, describe, expect, it } from 'vitest';
import { setRpcTransport } from '../../src/components/rpc.ts';
import { setClaimsBackend, validateClaim } from '../../src/resources/claims/api.ts';
import {
  evidenceFileProblem,
  evidenceObjectPath,
  MAX_EVIDENCE_BYTES,
  parseUnits,
  placeAnchor,
  problemAnchor,
  problemPlace,
  problemsAt,
  sanitisedFileName,
  windowState,
} from '../../src/resources/claims/model.ts';

describe('units', () => {
  it('takes whole numbers from 0 to 100,000, and nothing (clears)', () => {
    expect(parseUnits('12')).toEqual({ ok: true, units: 12 });
    expect(parseUnits(' 0 ')).toEqual({ ok: true, units: 0 });
    expect(parseUnits('100000')).toEqual({ ok: true, units: 100000 });
    expect(parseUnits('')).toEqual({ ok: true, units: null });
  });
  it('refuses fractions, negatives, words and more than 100,000', () => {
    for (const typed of ['2.5', '-1', 'ten', '1e3', '100001']) expect(parseUnits(typed), typed).toEqual({ ok: false });
  });
});

describe('evidence files', () => {
  it('accepts a listed type up to 5 MB', () => {
    expect(evidenceFileProblem({ name: 'Letter.PDF', size: MAX_EVIDENCE_BYTES }, ['pdf', 'xlsx'])).toBeNull();
  });
  it('refuses more than 5 MB, an empty file, and a type the component does not list', () => {
    expect(evidenceFileProblem({ name: 'a.pdf', size: MAX_EVIDENCE_BYTES + 1 }, ['pdf'])).toEqual({ kind: 'tooLarge' });
    expect(evidenceFileProblem({ name: 'a.pdf', size: 0 }, ['pdf'])).toEqual({ kind: 'empty' });
    expect(evidenceFileProblem({ name: 'a.docx', size: 10 }, ['pdf', 'ods'])).toEqual({ kind: 'wrongType', accepted: '.pdf, .ods' });
    expect(evidenceFileProblem({ name: 'no-extension', size: 10 }, ['pdf'])).toEqual({ kind: 'wrongType', accepted: '.pdf' });
    // Listed by the component but not a document the bucket stores.
    expect(evidenceFileProblem({ name: 'a.exe', size: 10 }, ['exe'])).toEqual({ kind: 'wrongType', accepted: '.exe' });
  });
  it('names the stored object safely and uniquely, keeping the extension, under provider/claim/line', () => {
    const name = sanitisedFileName('../../Évidence  report (v2).PDF', 'k1-ab');
    expect(name).toBe('k1-ab-Evidence-report-v2.pdf');
    expect(sanitisedFileName('???.docx', 'k2')).toBe('k2-file.docx');
    expect(evidenceObjectPath('p', 'c', 'l', name)).toBe('p/c/l/k1-ab-Evidence-report-v2.pdf');
    expect(name.includes('/')).toBe(false);
  });
});

describe('where a problem is shown', () => {
  const problems = [
    { rule: 'question_not_yes', message: 'q', question_id: 'q1', service_id: 's1' },
    { rule: 'evidence_missing', message: 'l', line_id: 'l1', service_id: 's1' },
    { rule: 'window_closed', message: 's', service_id: 's1' },
    { rule: 'no_lines', message: 'c' },
  ];
  it('at its question, else its line, else its service, else only at the top', () => {
    expect(problems.map((p) => problemPlace(p).kind)).toEqual(['question', 'line', 'service', 'claim']);
    expect(problemsAt(problems, 'service', 's1').map((p) => p.message)).toEqual(['s']);
    expect(problemsAt(problems, 'line', 'l1').map((p) => p.message)).toEqual(['l']);
    expect(problemsAt(problems, 'line', 'l2')).toEqual([]);
  });
  it('the list at the top links to the place a problem is shown, when it has one', () => {
    expect(problems.map(problemAnchor)).toEqual([placeAnchor('question', 'q1'), placeAnchor('line', 'l1'), placeAnchor('service', 's1'), null]);
    expect(new Set([placeAnchor('question', 'x'), placeAnchor('line', 'x'), placeAnchor('service', 'x')]).size).toBe(3);
  });
});

describe('claim window state', () => {
  it('upcoming before it opens, open through the day it closes, closed after', () => {
    const window = { opens_on: '2025-10-01', closes_on: '2025-10-31' };
    expect(windowState(window, '2025-09-30')).toBe('upcoming');
    expect(windowState(window, '2025-10-01')).toBe('open');
    expect(windowState(window, '2025-10-31')).toBe('open');
    expect(windowState(window, '2025-11-01')).toBe('closed');
  });
});

describe('validateClaim', () => {
  const dryRun = { ok: false, dry_run: true, problems: [{ rule: 'no_lines', message: 'from SQL' }], claim_number: 1, status: 'draft', total: 0 };
  const rpcCalls: string[] = [];
  afterEach(() => {
    setClaimsBackend(undefined);
    setRpcTransport(undefined);
    rpcCalls.length = 0;
  });
  function sqlAnswers() {
    setRpcTransport(async (name, args) => {
      rpcCalls.push(`${name}:${JSON.stringify(args)}`);
      return { data: dryRun, error: null };
    });
  }
  const response = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('uses the function’s answer when it answers', async () => {
    sqlAnswers();
    const answer = { ok: false, problems: [{ rule: 'patient_identifiable_data', message: 'NHS number' }], claim_number: 1, status: 'draft', total: 0 };
    setClaimsBackend({ invoke: async () => ({ data: answer, error: null }) });
    expect(await validateClaim('c1')).toEqual(answer);
    expect(rpcCalls).toEqual([]);
  });

  it('falls back to submit_claim’s dry run when the function is unreachable, missing or failing', async () => {
    sqlAnswers();
    const failures: unknown[] = [
      Object.assign(new Error('Failed to send a request'), { name: 'FunctionsFetchError' }),
      Object.assign(new Error('not found'), { name: 'FunctionsHttpError', context: new Response('Not Found', { status: 404 }) }),
      Object.assign(new Error('bad gateway'), { name: 'FunctionsHttpError', context: response(502, { message: 'boom' }) }),
    ];
    for (const error of failures) {
      setClaimsBackend({ invoke: async () => ({ data: null, error }) });
      expect((await validateClaim('c1')).problems[0]!.message).toBe('from SQL');
    }
    setClaimsBackend({
      invoke: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect((await validateClaim('c1')).problems[0]!.message).toBe('from SQL');
    expect(rpcCalls).toHaveLength(4);
    expect(rpcCalls[0]).toBe('submit_claim:{"p_claim_id":"c1","p_dry_run":true}');
  });

  it('passes on the function’s own refusal instead of falling back', async () => {
    sqlAnswers();
    setClaimsBackend({
      invoke: async () => ({
        data: null,
        error: Object.assign(new Error('forbidden'), { name: 'FunctionsHttpError', context: response(403, { error: { code: '42501', message: 'Not your claim.' } }) }),
      }),
    });
    await expect(validateClaim('c1')).rejects.toMatchObject({ code: '42501', message: 'Not your claim.' });
    expect(rpcCalls).toEqual([]);
  });
});
