import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveriesResponse,
  WebhookDeliveryView,
  WebhooksResponse,
  WebhookView,
  WebhookWithSecret,
} from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';

/** `/api/webhooks` (owners and admins only). */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  /** The tenant's webhooks, newest first (100 at most: a tenant has a handful). Call in an injection context. */
  list() {
    return httpResource<WebhooksResponse>(() => ({ url: '/api/webhooks', params: { limit: 100 } }));
  }

  /** A page of one webhook's delivery log, newest first. Call in an injection context. */
  deliveries(webhookId: () => string, page: () => { limit: number; offset: number }) {
    return httpResource<WebhookDeliveriesResponse>(() => ({
      url: `/api/webhooks/${webhookId()}/deliveries`,
      params: page(),
    }));
  }

  /** The answer carries the signing secret: the only time, with rotation, that it is shown. */
  create(input: CreateWebhookInput): Promise<WebhookWithSecret> {
    return firstValueFrom(this.http.post<WebhookWithSecret>('/api/webhooks', input));
  }

  update(id: string, input: UpdateWebhookInput): Promise<WebhookView> {
    return firstValueFrom(this.http.patch<WebhookView>(`/api/webhooks/${id}`, input));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/webhooks/${id}`));
  }

  rotateSecret(id: string): Promise<WebhookWithSecret> {
    return firstValueFrom(this.http.post<WebhookWithSecret>(`/api/webhooks/${id}/rotate-secret`, null));
  }

  /** Sends a `webhook.test` delivery now and answers with how the endpoint answered. */
  sendTest(id: string): Promise<WebhookDeliveryView> {
    return firstValueFrom(this.http.post<WebhookDeliveryView>(`/api/webhooks/${id}/test`, null));
  }
}
