import { z } from 'zod';
import { fitsColumn, pageQuerySchema } from './common.schema';

/** The events a tenant's webhooks can subscribe to. */
export const WebhookEventNames = [
  'lead.created',
  'lead.updated',
  'conversation.handoff_requested',
  'conversation.closed',
  'document.failed',
] as const;
export type WebhookEventName = (typeof WebhookEventNames)[number];

/** Sent only on request (`POST /api/webhooks/:id/test`), whatever the webhook subscribes to. */
export const WebhookTestEvent = 'webhook.test';

export const WebhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WebhookDeliveryStatuses)[number];

/**
 * The endpoint's address. Only its shape is checked here; the server also refuses private and loopback
 * literals and `localhost`, and every delivery checks the addresses the name resolves to.
 */
const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048)
  .check(fitsColumn(2048))
  .refine(
    (value) => !URL.canParse(value) || (!new URL(value).username && !new URL(value).password),
    'must not contain a user name or password',
  );

const webhookFields = {
  url: webhookUrlSchema,
  description: z.string().trim().max(255).check(fitsColumn(255)),
  // Duplicates are dropped, so a subscription reads the same however it was sent.
  events: z
    .array(z.enum(WebhookEventNames))
    .min(1, 'subscribe to at least one event')
    .transform((events) => [...new Set(events)]),
  enabled: z.boolean(),
};

export const createWebhookSchema = z
  .object({
    ...webhookFields,
    description: webhookFields.description.default(''),
    enabled: webhookFields.enabled.default(true),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z
  .object(webhookFields)
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, 'send at least one field to change');
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const listWebhooksQuerySchema = pageQuerySchema;
export const listWebhookDeliveriesQuerySchema = pageQuerySchema;

/** A webhook as the API shows it: never its secret, which only creation and rotation return. */
export interface WebhookView {
  id: string;
  url: string;
  description: string;
  events: WebhookEventName[];
  enabled: boolean;
  /** Failed attempts in a row, over all deliveries; a success resets it. */
  consecutiveFailures: number;
  /** Set when the platform disabled the webhook after too many failures. */
  disabledAt: string | null;
  disabledReason: string | null;
  /** The newest delivery (a test one included), for the list to show how the endpoint last answered. */
  lastDelivery: WebhookLastDelivery | null;
  createdAt: string;
  updatedAt: string;
}

/** What a webhook's row says of its newest delivery; `updatedAt` is when its last attempt ended. */
export type WebhookLastDelivery = Pick<
  WebhookDeliveryView,
  | 'id'
  | 'event'
  | 'status'
  | 'attempts'
  | 'responseStatus'
  | 'error'
  | 'nextAttemptAt'
  | 'createdAt'
  | 'updatedAt'
>;

/** The answer of creation and of secret rotation: the only times the signing secret is shown. */
export interface WebhookWithSecret extends WebhookView {
  secret: string;
}

export interface WebhooksResponse {
  webhooks: WebhookView[];
  total: number;
}

/** One event sent (or being retried) to a webhook, with what the endpoint last answered. */
export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  event: WebhookEventName | typeof WebhookTestEvent;
  /** Exactly the JSON that is POSTed: `{ id, event, createdAt, data }`. */
  payload: Record<string, unknown>;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The HTTP status of the last attempt, or null when none answered (refused, unreachable, timed out). */
  responseStatus: number | null;
  /** The first 2 KB of the last answer's body. */
  responseBody: string | null;
  /** Why the last attempt failed, in words for the user. */
  error: string | null;
  /** When the next attempt is due, while the delivery is pending after a failure. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveriesResponse {
  deliveries: WebhookDeliveryView[];
  total: number;
}
