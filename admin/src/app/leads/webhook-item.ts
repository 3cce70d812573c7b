import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import type { WebhookDeliveryView, WebhookView, WebhookWithSecret } from '@chatbot/shared';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { WebhookDeliveries } from './webhook-deliveries';
import { deliveryStatusBadge } from './webhook-events';
import { WebhooksApi } from './webhooks-api';

/** One webhook: what it sends where, how it last went, its actions and (opened) its delivery log. */
@Component({
  selector: 'app-webhook-item',
  imports: [DatePipe, WebhookDeliveries],
  templateUrl: './webhook-item.html',
  styleUrl: './webhook-item.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookItem {
  private readonly api = inject(WebhooksApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  readonly webhook = input.required<WebhookView>();
  /** The webhook as saved, or (no argument) a change the list must fetch (a test delivery's outcome). */
  readonly changed = output<WebhookView | void>();
  readonly removed = output<string>();
  readonly rotated = output<WebhookWithSecret>();

  protected readonly badges = deliveryStatusBadge;
  protected readonly busy = signal<'toggle' | 'test' | 'rotate' | 'delete' | null>(null);
  protected readonly test = signal<WebhookDeliveryView | null>(null);
  protected readonly logOpen = signal(false);
  protected readonly logRefresh = signal(0);

  protected async toggle(event: Event): Promise<void> {
    const checkbox = event.target as HTMLInputElement;
    const enabled = checkbox.checked;
    this.busy.set('toggle');
    try {
      this.changed.emit(await this.api.update(this.webhook().id, { enabled }));
      this.toaster.success(enabled ? 'Webhook enabled.' : 'Webhook disabled: no events are sent to it.');
    } catch (error) {
      checkbox.checked = !enabled;
      this.toaster.error(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected async sendTest(): Promise<void> {
    this.busy.set('test');
    this.test.set(null);
    try {
      this.test.set(await this.api.sendTest(this.webhook().id));
      this.logRefresh.update((count) => count + 1);
      this.changed.emit();
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected async rotate(): Promise<void> {
    const yes = await this.confirmer.ask({
      title: 'Rotate the signing secret?',
      message:
        'The current secret stops working at once: every later delivery, retries included, is signed with the new one. Update your receiver right after.',
      action: 'Rotate secret',
      danger: true,
    });
    if (!yes) return;
    this.busy.set('rotate');
    try {
      this.rotated.emit(await this.api.rotateSecret(this.webhook().id));
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(): Promise<void> {
    const yes = await this.confirmer.ask({
      title: 'Delete this webhook?',
      message: `${this.webhook().url} will receive no more events, and the webhook's delivery log is deleted with it.`,
      action: 'Delete webhook',
      danger: true,
    });
    if (!yes) return;
    this.busy.set('delete');
    try {
      await this.api.remove(this.webhook().id);
      this.removed.emit(this.webhook().id);
      this.toaster.success('Webhook deleted.');
    } catch (error) {
      this.toaster.error(error);
      this.busy.set(null);
    }
  }
}
