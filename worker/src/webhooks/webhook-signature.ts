import { createHmac } from 'node:crypto';

/**
 * The `x-webhook-signature` of a delivery: HMAC-SHA256, keyed with the webhook's secret, of
 * `<timestamp>.<body>`. Signing the timestamp with the body lets a receiver refuse old replays.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
