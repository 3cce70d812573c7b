import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import type { WebhookView, WebhookWithSecret } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { AdminSocket } from '../core/socket/admin-socket';
import { Toaster } from '../core/ui/toaster';
import { WebhookForm } from './webhook-form';
import { WebhookItem } from './webhook-item';
import { WebhookSecret } from './webhook-secret';
import { WebhooksApi } from './webhooks-api';
import { onReconnect } from '../core/socket/on-reconnect';

/** `/settings/webhooks`: the tenant's webhooks, created, tested, switched, rotated and deleted here. */
@Component({
  selector: 'app-webhook-list-page',
  imports: [WebhookForm, WebhookItem, WebhookSecret],
  templateUrl: './webhook-list-page.html',
  styleUrl: './webhook-list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookListPage {
  private readonly toaster = inject(Toaster);
  private readonly socket = inject(AdminSocket);

  protected readonly webhooks = inject(WebhooksApi).list();
  protected readonly creating = signal(false);
  /** The secret just returned by creation or rotation; it is never shown again once dismissed. */
  protected readonly secret = signal<{ webhook: WebhookWithSecret; rotated: boolean } | null>(null);
  protected readonly problem = computed(() => {
    const error = this.webhooks.error();
    return error ? apiProblem(error).message : null;
  });

  constructor() {
    this.socket.on(
      'webhook:disabled',
      ({ webhookId, reason }) => {
        const url = this.find(webhookId)?.url ?? 'A webhook';
        this.toaster.error(`${url} was disabled: ${reason}`);
        this.webhooks.reload();
      },
      inject(DestroyRef),
    );
    onReconnect(() => this.webhooks.reload());
  }

  protected created(webhook: WebhookWithSecret): void {
    this.creating.set(false);
    this.secret.set({ webhook, rotated: false });
    this.webhooks.reload();
    this.toaster.success('Webhook created.');
  }

  protected rotated(webhook: WebhookWithSecret): void {
    this.secret.set({ webhook, rotated: true });
    this.replace(webhook);
  }

  /** A webhook as saved, or (none) a change only the server knows the outcome of. */
  protected changed(webhook: WebhookView | void): void {
    if (webhook) this.replace(webhook);
    else this.webhooks.reload();
  }

  protected removed(id: string): void {
    if (this.secret()?.webhook.id === id) this.secret.set(null);
    this.webhooks.update(
      (list) =>
        list && { webhooks: list.webhooks.filter((webhook) => webhook.id !== id), total: list.total - 1 },
    );
  }

  private find(id: string): WebhookView | undefined {
    return this.webhooks.hasValue()
      ? this.webhooks.value().webhooks.find((webhook) => webhook.id === id)
      : undefined;
  }

  private replace(saved: WebhookView): void {
    // The list never holds a secret.
    const { secret: _secret, ...view } = saved as WebhookWithSecret;
    this.webhooks.update(
      (list) =>
        list && {
          ...list,
          webhooks: list.webhooks.map((webhook) => (webhook.id === view.id ? view : webhook)),
        },
    );
  }
}
