import { FetchRefusedError, currentRequestId, safeFetch } from '@chatbot/shared/platform';
import { signWebhook } from './webhook-signature';

/** How much of an endpoint's answer is kept in the delivery log. */
export const RESPONSE_BODY_BYTES = 2048;

/** Time allowed and (tests only) extra addresses to admit, as for URL import. */
export interface WebhookHttpOptions {
  timeoutMs: number;
  allowAddress?: (address: string) => boolean;
}

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  event: string;
  body: string;
}

/** What one attempt came to: the endpoint's status and the start of its body, or why there was none. */
export interface WebhookAnswer {
  ok: boolean;
  status: number | null;
  body: string | null;
  error: string | null;
}

/**
 * POSTs one signed delivery through the SSRF guard. Never throws for what the endpoint or the network did
 * (a refusal, a timeout, a 500): those are answers to record and retry, not job failures.
 */
export async function sendWebhook(
  request: WebhookRequest,
  options: WebhookHttpOptions,
): Promise<WebhookAnswer> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  // The id of the request that caused the event, so the receiver's logs can be matched with ours.
  const requestId = currentRequestId();
  try {
    const answer = await safeFetch(request.url, {
      method: 'POST',
      body: request.body,
      anyAnswer: true,
      maxBytes: RESPONSE_BODY_BYTES,
      timeoutMs: options.timeoutMs,
      allowAddress: options.allowAddress,
      headers: {
        'content-type': 'application/json',
        accept: '*/*',
        'user-agent': 'chatbot-platform-webhooks',
        'x-webhook-id': request.deliveryId,
        'x-webhook-event': request.event,
        'x-webhook-timestamp': timestamp,
        'x-webhook-signature': signWebhook(request.secret, timestamp, request.body),
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
    });
    const ok = answer.status >= 200 && answer.status < 300;
    return {
      ok,
      status: answer.status,
      // NUL is the one character PostgreSQL's text refuses; an endpoint may well send it.
      body: answer.body.toString('utf8').replaceAll('\u0000', ''),
      error: ok ? null : `The endpoint answered HTTP ${answer.status}.`,
    };
  } catch (error) {
    if (!(error instanceof FetchRefusedError)) throw error;
    return { ok: false, status: null, body: null, error: refusalMessage(error, options.timeoutMs) };
  }
}

/** The guard's messages speak of importing pages; a delivery log speaks of endpoints. */
function refusalMessage(error: FetchRefusedError, timeoutMs: number): string {
  switch (error.reason) {
    case 'private_address':
      return 'The webhook URL points to a private or local address, which webhooks may not reach.';
    case 'dns':
      return "The webhook URL's host name could not be resolved.";
    case 'timeout':
      return `The endpoint did not answer within ${timeoutMs / 1000} s.`;
    case 'network':
      return `The endpoint could not be reached (${error.detail ?? 'network error'}).`;
    case 'invalid_url':
    case 'protocol':
      return 'The webhook URL is not a valid http or https address.';
    default:
      return error.message;
  }
}
