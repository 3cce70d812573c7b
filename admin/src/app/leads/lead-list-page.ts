import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  linkedSignal,
  signal,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { LeadFilters, LeadsResponse, LeadStatus, LeadView, ListLeadsQuery } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';
import { Toaster } from '../core/ui/toaster';
import { isLeadStatus, leadStatuses, scoreBadge, statusLabel } from './lead-status';
import { LeadsApi } from './leads-api';
import { onReconnect } from '../core/socket/on-reconnect';

export const PAGE_SIZE = 50;
/** How long a lead that just arrived stays highlighted. */
const FRESH_MS = 10_000;
const SEARCH_DEBOUNCE_MS = 300;

type FilterName = 'status' | 'botId' | 'from' | 'to' | 'search';

/** A `YYYY-MM-DD` day of the date inputs as the instant it starts (or ends) here, for the API. */
export function dayBound(day: string | undefined, end: boolean): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const instant = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/**
 * `/leads`: the tenant's leads, filtered and paged by the URL's query parameters (so a reload or a shared
 * link shows the same), with a status change in the row and new leads arriving live.
 */
@Component({
  selector: 'app-lead-list-page',
  imports: [DatePipe, RouterLink],
  templateUrl: './lead-list-page.html',
  styleUrl: './lead-list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LeadListPage {
  private readonly api = inject(LeadsApi);
  private readonly router = inject(Router);
  private readonly toaster = inject(Toaster);
  protected readonly session = inject(Session);
  private readonly socket = inject(AdminSocket);

  // Query parameters, bound by the router.
  readonly status = input<string>();
  readonly botId = input<string>();
  readonly from = input<string>();
  readonly to = input<string>();
  readonly search = input<string>();
  readonly page = input<string>();

  protected readonly statuses = leadStatuses;
  protected readonly statusLabel = statusLabel;
  protected readonly scoreBadge = scoreBadge;
  protected readonly pageNumber = computed(() => Math.max(1, Math.floor(Number(this.page()) || 1)));
  protected readonly filters = computed<LeadFilters>(() => ({
    status: isLeadStatus(this.status()) ? (this.status() as LeadStatus) : undefined,
    botId: this.botId() || undefined,
    from: dayBound(this.from(), false),
    to: dayBound(this.to(), true),
    search: this.search()?.trim() || undefined,
  }));
  protected readonly filtered = computed(() => Object.values(this.filters()).some(Boolean));
  private readonly query = computed<ListLeadsQuery>(() => ({
    ...this.filters(),
    limit: PAGE_SIZE,
    offset: (this.pageNumber() - 1) * PAGE_SIZE,
  }));

  protected readonly leads = this.api.list(this.query);
  /** The page shown: the last one loaded, kept while the next one loads so that the table does not flash. */
  protected readonly shown = linkedSignal<LeadsResponse | undefined, LeadsResponse | undefined>({
    source: () => (this.leads.hasValue() ? this.leads.value() : undefined),
    computation: (page, previous) => page ?? previous?.value,
  });
  protected readonly bots = this.api.bots();
  protected readonly botNames = computed(
    () => new Map((this.bots.hasValue() ? this.bots.value().chatbots : []).map((bot) => [bot.id, bot.name])),
  );
  protected readonly problem = computed(() => {
    const error = this.leads.error();
    return error ? apiProblem(error).message : null;
  });
  protected readonly range = computed(() => {
    const total = this.shown()?.total ?? 0;
    const first = (this.pageNumber() - 1) * PAGE_SIZE;
    return { first: Math.min(total, first + 1), last: Math.min(total, first + PAGE_SIZE), total };
  });
  /** Leads that arrived while the page was open, highlighted for a while. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  protected readonly exporting = signal(false);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.socket.on('lead:new', ({ leadId }) => void this.arrived(leadId), destroyRef);
    onReconnect(() => this.leads.reload());
    destroyRef.onDestroy(() => clearTimeout(this.searchTimer));
  }

  protected botName(id: string): string {
    return this.botNames().get(id) ?? '—';
  }

  /** Changes one filter in the URL, back on the first page. */
  protected setFilter(name: FilterName, value: string): void {
    void this.router.navigate([], {
      queryParams: { [name]: value.trim() || null, page: null },
      queryParamsHandling: 'merge',
      replaceUrl: name === 'search',
    });
  }

  protected filterFrom(name: FilterName, event: Event): void {
    this.setFilter(name, (event.target as HTMLInputElement | HTMLSelectElement).value);
  }

  protected searchTyped(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilter('search', value), SEARCH_DEBOUNCE_MS);
  }

  protected clearFilters(): void {
    void this.router.navigate([], { queryParams: {} });
  }

  protected goTo(page: number): void {
    void this.router.navigate([], {
      queryParams: { page: page > 1 ? page : null },
      queryParamsHandling: 'merge',
    });
  }

  /** Shown changed at once; put back, with the server's reason, if the change is refused. */
  protected async changeStatus(lead: LeadView, event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const status = select.value as LeadStatus;
    const previous = lead.status;
    this.patchRow(lead.id, { status });
    try {
      this.patchRow(lead.id, await this.api.update(lead.id, { status }));
      this.toaster.success(`${lead.name ?? lead.email} is now ${statusLabel(status).toLowerCase()}.`);
    } catch (error) {
      this.patchRow(lead.id, { status: previous });
      select.value = previous;
      this.toaster.error(error);
    }
  }

  protected async export(): Promise<void> {
    this.exporting.set(true);
    try {
      await this.api.exportCsv(this.filters());
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.exporting.set(false);
    }
  }

  private patchRow(id: string, change: Partial<LeadView>): void {
    this.leads.update(
      (page) =>
        page && {
          ...page,
          leads: page.leads.map((lead) => (lead.id === id ? { ...lead, ...change } : lead)),
        },
    );
  }

  private async arrived(leadId: string): Promise<void> {
    this.fresh.update((ids) => new Set([...ids, leadId]));
    setTimeout(() => this.fresh.update((ids) => new Set([...ids].filter((id) => id !== leadId))), FRESH_MS);
    this.leads.reload();
    try {
      const { lead } = await this.api.get(leadId);
      this.toaster.info(`New lead: ${lead.name ? `${lead.name} (${lead.email})` : lead.email}`);
    } catch {
      this.toaster.info('A new lead arrived.');
    }
  }
}
