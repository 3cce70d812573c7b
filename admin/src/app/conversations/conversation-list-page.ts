import { httpResource } from '@angular/common/http';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import {
  conversationDurationMs,
  conversationStatus,
  formatDuration,
  type BotsResponse,
  type ConversationListItem,
  type ConversationsResponse,
} from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { modeLabels, statusLabels, visitorName } from './conversation-labels';
import {
  filtersProblem,
  filtersToQuery,
  filtersToUrl,
  hasFilters,
  PAGE_SIZE,
  readFilters,
  type ConversationFilters,
} from './conversation-filters';

/** Typing in the search box waits this long for a pause before it asks the server. */
const SEARCH_DEBOUNCE_MS = 300;

/** `/conversations`: every conversation of the tenant, filtered, searched and paged 50 at a time. */
@Component({
  selector: 'app-conversation-list-page',
  imports: [RouterLink, DatePipe],
  templateUrl: './conversation-list-page.html',
  styleUrl: './conversation-list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationListPage {
  private readonly router = inject(Router);
  protected readonly session = inject(Session);

  // The filters live in the URL's query parameters (bound as inputs), so reload and back keep them.
  readonly from = input<string>();
  readonly to = input<string>();
  readonly bot = input<string>();
  readonly mode = input<string>();
  readonly waiting = input<string>();
  readonly q = input<string>();
  readonly page = input<string>();

  protected readonly filters = computed(() =>
    readFilters({
      from: this.from(),
      to: this.to(),
      bot: this.bot(),
      mode: this.mode(),
      waiting: this.waiting(),
      q: this.q(),
      page: this.page(),
    }),
  );
  protected readonly problem = computed(() => filtersProblem(this.filters()));
  protected readonly filtered = computed(() => hasFilters(this.filters()));

  protected readonly bots = httpResource<BotsResponse>(() => ({
    url: '/api/chatbots',
    params: { limit: 100 },
  }));
  protected readonly result = httpResource<ConversationsResponse>(() =>
    this.problem() ? undefined : { url: '/api/conversations', params: filtersToQuery(this.filters()) },
  );
  protected readonly rows = computed(() => (this.result.hasValue() ? this.result.value().conversations : []));
  protected readonly total = computed(() => (this.result.hasValue() ? this.result.value().total : 0));
  protected readonly errorText = computed(() => {
    const error = this.result.error();
    return error ? apiProblem(error).message : null;
  });
  protected readonly range = computed(() => {
    const start = (this.filters().page - 1) * PAGE_SIZE;
    return { first: start + 1, last: start + this.rows().length };
  });
  protected readonly pages = computed(() => Math.max(1, Math.ceil(this.total() / PAGE_SIZE)));

  /** What the search box shows while the user types, before the URL catches up. */
  protected readonly searchText = signal<string | null>(null);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly visitorName = visitorName;
  protected readonly modeLabels = modeLabels;
  protected status(row: ConversationListItem) {
    return statusLabels[conversationStatus(row)];
  }
  protected duration(row: ConversationListItem): string {
    return formatDuration(conversationDurationMs(row));
  }

  /** Changes some filters; any change but the page's goes back to the first page. */
  protected update(change: Partial<ConversationFilters>, replaceUrl = false): void {
    const next = { ...this.filters(), page: 1, ...change };
    void this.router.navigate([], { queryParams: filtersToUrl(next), replaceUrl });
  }

  protected onSearch(text: string): void {
    this.searchText.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.update({ q: text.trim() || undefined }, true);
      this.searchText.set(null);
    }, SEARCH_DEBOUNCE_MS);
  }

  protected onMode(value: string): void {
    this.update({ mode: (value || undefined) as ConversationFilters['mode'] });
  }

  protected clear(): void {
    this.searchText.set(null);
    this.update({
      from: undefined,
      to: undefined,
      botId: undefined,
      mode: undefined,
      waiting: undefined,
      q: undefined,
    });
  }

  protected open(row: ConversationListItem): void {
    void this.router.navigate(['/conversations', row.id]);
  }
}
