import {
  WebhookTestEvent,
  type CreateWebhookInput,
  type PageQuery,
  type UpdateWebhookInput,
  type WebhookDeliveriesResponse,
  type WebhookDeliveryView,
  type WebhookView,
  type WebhookWithSecret,
  type WebhooksResponse,
} from '@chatbot/shared';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { Webhook, WebhookDelivery, generateWebhookSecret, sealWebhookSecret } from '@chatbot/shared/platform';
import { attemptDelivery, type AttemptDeps } from '@chatbot/worker';
import { findPage } from '../../http/find-page';
import { notFound } from '../../http/http-error';
import { lastDeliveries } from './last-deliveries';
import { assertDeliverableUrl } from './webhook-url';
import { presentDelivery, presentWebhook } from './webhooks.presenter';

/**
 * The tenant's webhooks (the tenant filter scopes every query here). The signing secret is made here,
 * sealed at once, and shown only in the answers of creation and rotation.
 */
export class WebhooksService {
  /** `http` is what a test delivery is sent with: the workers' timeout and (tests only) extra addresses. */
  constructor(private readonly deps: AttemptDeps) {}

  async list(em: EntityManager, query: PageQuery): Promise<WebhooksResponse> {
    const [webhooks, total] = await findPage(em, Webhook, {}, query);
    const last = await lastDeliveries(
      em,
      webhooks.map((webhook) => webhook.id),
    );
    return { webhooks: webhooks.map((webhook) => presentWebhook(webhook, last.get(webhook.id))), total };
  }

  async get(em: EntityManager, id: string): Promise<WebhookView> {
    return this.present(em, await this.find(em, id));
  }

  async create(em: EntityManager, input: CreateWebhookInput): Promise<WebhookWithSecret> {
    assertDeliverableUrl(input.url, this.deps.http.allowAddress);
    // The id is chosen first: the secret is sealed under a context that names it.
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const webhook = em.create(Webhook, {
      id,
      ...input,
      secretSealed: sealWebhookSecret(this.deps.secretBox, id, secret),
    });
    await em.flush();
    return { ...presentWebhook(webhook), secret };
  }

  async update(em: EntityManager, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
    const webhook = await this.find(em, id);
    if (input.url !== undefined) assertDeliverableUrl(input.url, this.deps.http.allowAddress);
    if (input.enabled && !webhook.enabled) {
      // Switched back on: the failures that disabled it are forgiven.
      Object.assign(webhook, { consecutiveFailures: 0, disabledAt: null, disabledReason: null });
    }
    em.assign(webhook, input);
    await em.flush();
    return this.present(em, webhook);
  }

  /** Deletes the webhook and, by cascade, its delivery log; retries still queued then find nothing to send. */
  async remove(em: EntityManager, id: string): Promise<void> {
    const webhook = await this.find(em, id);
    await em.nativeDelete(Webhook, { id: webhook.id });
  }

  /** A new secret replaces the old one at once: every later attempt, retries included, is signed with it. */
  async rotateSecret(em: EntityManager, id: string): Promise<WebhookWithSecret> {
    const webhook = await this.find(em, id);
    const secret = generateWebhookSecret();
    webhook.secretSealed = sealWebhookSecret(this.deps.secretBox, webhook.id, secret);
    await em.flush();
    return { ...(await this.present(em, webhook)), secret };
  }

  /**
   * Sends a `webhook.test` delivery now, once, and answers with how it went. It is sent even while the
   * webhook is disabled, to check an endpoint before switching it back on, and it is never retried nor
   * counted against the webhook's failures.
   */
  async sendTest(em: EntityManager, id: string): Promise<WebhookDeliveryView> {
    const webhook = await this.find(em, id);
    const delivery = em.create(WebhookDelivery, { webhook, event: WebhookTestEvent, payload: {} });
    delivery.payload = {
      id: delivery.id,
      event: WebhookTestEvent,
      createdAt: delivery.createdAt.toISOString(),
      data: { webhookId: webhook.id, message: 'A test delivery from the chatbot platform.' },
    };
    // Logged before it is sent, so a slow endpoint's delivery shows as pending meanwhile.
    await em.flush();
    const answer = await attemptDelivery(delivery, webhook, this.deps);
    Object.assign(delivery, {
      status: answer.ok ? 'succeeded' : 'failed',
      deliveredAt: answer.ok ? new Date() : null,
    });
    await em.flush();
    return presentDelivery(delivery);
  }

  /** The webhook's delivery log, newest first. */
  async deliveries(em: EntityManager, id: string, query: PageQuery): Promise<WebhookDeliveriesResponse> {
    const webhook = await this.find(em, id);
    const [deliveries, total] = await findPage(em, WebhookDelivery, { webhook: webhook.id }, query);
    return { deliveries: deliveries.map(presentDelivery), total };
  }

  /** The webhook with its newest delivery, as every answer but creation's shows it. */
  private async present(em: EntityManager, webhook: Webhook): Promise<WebhookView> {
    const last = await lastDeliveries(em, [webhook.id]);
    return presentWebhook(webhook, last.get(webhook.id));
  }

  private async find(em: EntityManager, id: string): Promise<Webhook> {
    const webhook = await em.findOne(Webhook, id);
    if (!webhook) throw notFound('Webhook');
    return webhook;
  }
}
