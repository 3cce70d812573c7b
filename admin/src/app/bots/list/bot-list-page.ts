import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { BotStatus, BotView } from '@chatbot/shared';
import { apiProblem } from '../../core/api/api-error';
import { Confirmer } from '../../core/ui/confirmer';
import { Toaster } from '../../core/ui/toaster';
import { BotsApi } from '../bots-api';

/** Bots fetched a page at a time ("Load more" asks for the next). */
export const PAGE_SIZE = 12;
/** Typing pauses this long before the search is sent. */
const SEARCH_DELAY_MS = 250;

/** What deleting a bot takes with it: what BotsService.remove deletes, in the user's words. */
export const DELETE_CONSEQUENCES =
  'Its documents and their files, the vectors of its knowledge base, its avatar, all its conversations ' +
  'with their messages, its leads and its usage statistics are deleted with it. This cannot be undone.';

/** `/bots`: the tenant's chatbots as cards, searched and filtered by the API, with publish and delete in place. */
@Component({
  selector: 'app-bot-list-page',
  imports: [RouterLink, DatePipe],
  templateUrl: './bot-list-page.html',
  styleUrl: './bot-list-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BotListPage {
  private readonly api = inject(BotsApi);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);

  protected readonly search = signal('');
  protected readonly status = signal<BotStatus | ''>('');
  protected readonly bots = signal<BotView[]>([]);
  protected readonly total = signal(0);
  /** 'first' while a new search loads (the list is replaced), 'more' while the next page loads. */
  protected readonly loading = signal<'first' | 'more' | null>('first');
  protected readonly error = signal<string | null>(null);
  /** The bot a publish, unpublish or delete is under way for. */
  protected readonly working = signal<string | null>(null);
  protected readonly filtered = computed(() => this.search().trim() !== '' || this.status() !== '');
  /** The tenant has no bot: the page offers to create one, and nothing to search. */
  protected readonly noBotsAtAll = computed(
    () => !this.filtered() && this.loading() === null && !this.error() && this.total() === 0,
  );
  private readonly query = computed(() => ({ search: this.search().trim(), status: this.status() }));
  /** Answers to an older query are dropped: only the latest one may fill the list. */
  private ticket = 0;

  constructor() {
    effect((onCleanup) => {
      const query = this.query();
      const timer = setTimeout(() => void this.load(0, query), query.search ? SEARCH_DELAY_MS : 0);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected loadMore(): void {
    void this.load(this.bots().length, this.query());
  }

  protected retry(): void {
    void this.load(0, this.query());
  }

  protected clearFilters(): void {
    this.search.set('');
    this.status.set('');
  }

  protected async setStatus(bot: BotView, status: BotStatus): Promise<void> {
    this.working.set(bot.id);
    try {
      const updated = await this.api.setStatus(bot.id, status);
      // Under a status filter the bot leaves the list it no longer belongs to.
      if (this.status() && this.status() !== updated.status) this.drop(bot.id);
      else this.bots.update((bots) => bots.map((each) => (each.id === bot.id ? updated : each)));
      this.toaster.success(
        status === 'published' ? `${bot.name} is published.` : `${bot.name} is a draft again.`,
      );
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.working.set(null);
    }
  }

  protected async remove(bot: BotView): Promise<void> {
    const yes = await this.confirmer.ask({
      title: `Delete ${bot.name}?`,
      message: DELETE_CONSEQUENCES,
      action: 'Delete chatbot',
      danger: true,
    });
    if (!yes) return;
    this.working.set(bot.id);
    try {
      await this.api.remove(bot.id);
      this.drop(bot.id);
      this.toaster.success(`${bot.name} was deleted.`);
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.working.set(null);
    }
  }

  private drop(id: string): void {
    this.bots.update((bots) => bots.filter((bot) => bot.id !== id));
    this.total.update((total) => Math.max(0, total - 1));
  }

  private async load(offset: number, query: { search: string; status: BotStatus | '' }): Promise<void> {
    const ticket = ++this.ticket;
    this.loading.set(offset ? 'more' : 'first');
    this.error.set(null);
    try {
      const page = await this.api.list({
        ...query,
        status: query.status || undefined,
        limit: PAGE_SIZE,
        offset,
      });
      if (ticket !== this.ticket) return;
      this.bots.set(offset ? [...this.bots(), ...page.chatbots] : page.chatbots);
      this.total.set(page.total);
    } catch (error) {
      if (ticket === this.ticket) this.error.set(apiProblem(error).message);
    } finally {
      if (ticket === this.ticket) this.loading.set(null);
    }
  }
}
