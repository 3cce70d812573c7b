import type { WebhookDeliveryStatus, WebhookEventName } from '@chatbot/shared';

/** What each event a webhook can subscribe to means, as the create form explains it. */
export const webhookEventHelp: Record<WebhookEventName, string> = {
  'lead.created': 'A visitor leaves their contact details for the first time in a conversation.',
  'lead.updated': "A lead's details, status or assignee change.",
  'conversation.handoff_requested': 'A visitor asks for a person and waits for one.',
  'conversation.closed': 'Your team or the visitor ends a conversation.',
  'document.failed': 'A document could not be indexed.',
};

export const deliveryStatusBadge: Record<WebhookDeliveryStatus, { label: string; badge: string }> = {
  pending: { label: 'Retrying', badge: 'warning' },
  succeeded: { label: 'Succeeded', badge: 'success' },
  failed: { label: 'Failed', badge: 'danger' },
};
