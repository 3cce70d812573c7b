import {
  openWebhookSecret,
  type SecretBox,
  type Webhook,
  type WebhookDelivery,
} from '@chatbot/shared/platform';
import { sendWebhook, type WebhookAnswer, type WebhookHttpOptions } from './send-webhook';

export interface AttemptDeps {
  secretBox: SecretBox;
  http: WebhookHttpOptions;
}

/**
 * Sends the delivery to its webhook once and writes what came of it onto the record (one more attempt,
 * the answer's status and body, the error); the caller decides what follows and flushes. The secret is
 * read at each attempt, so a retry after a rotation is signed with the new one.
 */
export async function attemptDelivery(
  delivery: WebhookDelivery,
  webhook: Webhook,
  deps: AttemptDeps,
): Promise<WebhookAnswer> {
  const answer = await sendWebhook(
    {
      url: webhook.url,
      secret: openWebhookSecret(deps.secretBox, webhook),
      deliveryId: delivery.id,
      event: delivery.event,
      body: JSON.stringify(delivery.payload),
    },
    deps.http,
  );
  Object.assign(delivery, {
    attempts: delivery.attempts + 1,
    responseStatus: answer.status,
    responseBody: answer.body,
    error: answer.error,
  });
  return answer;
}
