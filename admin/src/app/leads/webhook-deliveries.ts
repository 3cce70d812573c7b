import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  signal,
  untracked,
  inject,
} from '@angular/core';
import { apiProblem } from '../core/api/api-error';
import { deliveryStatusBadge } from './webhook-events';
import { WebhooksApi } from './webhooks-api';

export const DELIVERIES_PAGE_SIZE = 20;

/** One webhook's delivery log, newest first, a page at a time. */
@Component({
  selector: 'app-webhook-deliveries',
  imports: [DatePipe],
  templateUrl: './webhook-deliveries.html',
  styleUrl: './webhook-deliveries.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookDeliveries {
  readonly webhookId = input.required<string>();
  /** Grows when the owner knows of a new delivery (a test sent): the log is fetched again. */
  readonly refresh = input(0);

  protected readonly badges = deliveryStatusBadge;
  protected readonly page = signal(0);
  protected readonly log = inject(WebhooksApi).deliveries(this.webhookId, () => ({
    limit: DELIVERIES_PAGE_SIZE,
    offset: this.page() * DELIVERIES_PAGE_SIZE,
  }));
  protected readonly problem = computed(() => {
    const error = this.log.error();
    return error ? apiProblem(error).message : null;
  });
  protected readonly pages = computed(() =>
    Math.max(1, Math.ceil((this.log.hasValue() ? this.log.value().total : 0) / DELIVERIES_PAGE_SIZE)),
  );

  constructor() {
    let seen = this.refresh();
    effect(() => {
      const refresh = this.refresh();
      if (refresh === seen) return;
      seen = refresh;
      // The newest delivery is on the first page.
      untracked(() => (this.page() === 0 ? this.log.reload() : this.page.set(0)));
    });
  }
}
