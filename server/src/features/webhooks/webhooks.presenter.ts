import type { WebhookDeliveryView, WebhookLastDelivery, WebhookView } from '@chatbot/shared';
import type { Webhook, WebhookDelivery } from '@chatbot/shared/platform';

/** The API's view of a webhook: everything but its sealed secret; `last` is its newest delivery, if any. */
export function presentWebhook(webhook: Webhook, last: WebhookDelivery | null = null): WebhookView {
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events as WebhookView['events'],
    enabled: webhook.enabled,
    consecutiveFailures: webhook.consecutiveFailures,
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
    disabledReason: webhook.disabledReason,
    lastDelivery: last ? presentLastDelivery(last) : null,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

function presentLastDelivery(delivery: WebhookDelivery): WebhookLastDelivery {
  const { id, event, status, attempts, responseStatus, error, nextAttemptAt, createdAt, updatedAt } =
    presentDelivery(delivery);
  return { id, event, status, attempts, responseStatus, error, nextAttemptAt, createdAt, updatedAt };
}

export function presentDelivery(delivery: WebhookDelivery): WebhookDeliveryView {
  return {
    id: delivery.id,
    webhookId: delivery.webhook.id,
    event: delivery.event as WebhookDeliveryView['event'],
    payload: delivery.payload,
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    responseBody: delivery.responseBody,
    error: delivery.error,
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}
