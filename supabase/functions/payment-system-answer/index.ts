// payment-system-answer: where the payment system answers a run —
// acknowledged (the claims become paid) or rejected with a reason (the claims
// return to approved_for_payment). Locally the caller is the payment-system
// SIMULATOR in the stack (stack/payment-system/); on hosted, the real payment
// system (docs/payment-file.md).
//
//   POST /functions/v1/payment-system-answer
//   X-Payment-System-Signature: sha256=<hex HMAC-SHA256 of the body with PAYMENT_SYSTEM_SECRET>
//   {"run_id": "<uuid>", "acknowledged": true, "reference": "PAY-123", "answered_at": "<ISO>"}
//   {"run_id": "<uuid>", "acknowledged": false, "reason": "Bank details missing", "answered_at": "<ISO>"}
//
// 200 {"run_id", "status"}       recorded (the same answer twice is a no-op)
// 400 invalid_request            body not a JSON answer
// 401 bad_signature              signature header missing or wrong
// 401 stale_answer               answered_at more than 5 minutes old (a replay) or in the future
// 404 run_not_found              no such run
// 405 method_not_allowed         not POST
// 409 answer_refused             the database refused it (the run is not sent or flagged, e.g. already answered the other way)
// 502 record_failed              the database could not be reached
// 413 too_large                  a body over 16 KB
// 500 not_configured             PAYMENT_SYSTEM_SECRET is not set
//
// No project JWT: the payment system has none (verify_jwt = false in
// config.toml). The signature is the authentication, checked over the exact
// bytes received before anything is parsed; only then is
// record_payment_answer called with the service role.
import { json, preflight } from '../_shared/cors.ts';
import { BodyTooLarge, errorResponse, readBodyCapped } from '../_shared/http.ts';
import { parseAnswer, SIGNATURE_HEADER, staleness, verifySignature } from '../_shared/payment-system.ts';
import { serviceRoleClient } from '../_shared/supabase-clients.ts';

const MAX_BODY_BYTES = 16 * 1024;

Deno.serve(async (req) => {
  const answer = preflight(req);
  if (answer) return answer;
  if (req.method !== 'POST') return errorResponse(405, 'method_not_allowed', 'Use POST.', { Allow: 'POST, OPTIONS' });

  const secret = Deno.env.get('PAYMENT_SYSTEM_SECRET') ?? '';
  if (secret === '') return errorResponse(500, 'not_configured', 'PAYMENT_SYSTEM_SECRET is not set: answers cannot be checked.');

  let bytes: Uint8Array;
  try {
    bytes = await readBodyCapped(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLarge) return errorResponse(413, 'too_large', `An answer is at most ${MAX_BODY_BYTES} bytes.`);
    throw error;
  }
  const body = new TextDecoder().decode(bytes);
  if (!(await verifySignature(secret, body, req.headers.get(SIGNATURE_HEADER)))) {
    return errorResponse(401, 'bad_signature', `The ${SIGNATURE_HEADER} header is missing or does not match the body.`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return errorResponse(400, 'invalid_request', 'The body must be JSON.');
  }
  const paymentAnswer = parseAnswer(parsed);
  if (typeof paymentAnswer === 'string') return errorResponse(400, 'invalid_request', paymentAnswer);
  const stale = staleness(paymentAnswer.answered_at);
  if (stale) return errorResponse(401, 'stale_answer', `Answer refused: ${stale}.`);

  const { data, error } = await serviceRoleClient().rpc('record_payment_answer', {
    p_run_id: paymentAnswer.run_id,
    p_acknowledged: paymentAnswer.acknowledged,
    p_reason: paymentAnswer.reason ?? null,
    p_reference: paymentAnswer.reference ?? null,
  });
  if (error) {
    console.error(`[payment-system-answer] run ${paymentAnswer.run_id}: ${error.code} ${error.message}`);
    if (error.code === 'PT404') return errorResponse(404, 'run_not_found', error.message);
    // PT409: the run is not waiting for an answer (a draft, cancelled, or already answered the other way); 22xxx: bad values.
    if (error.code === 'PT409' || error.code?.startsWith('22')) return errorResponse(409, 'answer_refused', error.message);
    return errorResponse(502, 'record_failed', `Could not record the answer: ${error.message}`);
  }
  const status = (data as { status?: string } | null)?.status ?? null;
  return json({ run_id: paymentAnswer.run_id, status });
});
