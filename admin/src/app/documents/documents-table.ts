import { DatePipe, DecimalPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { DocumentStatuses, type DocumentStatus, type DocumentView } from '@chatbot/shared';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { DocumentsApi } from './documents-api';
import { formatBytes, FORMAT_NAMES, MAX_SIZE_TEXT, typeOf } from './document-formats';
import { DocumentList, PAGE_SIZE } from './document-list';

/** Typing pauses this long before the search is sent. */
export const SEARCH_DELAY_MS = 300;
/** Deletions sent at once by a bulk delete. */
const PARALLEL_DELETES = 4;

const badges: Record<DocumentStatus, { label: string; tone: string }> = {
  pending: { label: 'Pending', tone: '' },
  processing: { label: 'Processing', tone: 'info' },
  completed: { label: 'Completed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

/** The bot's documents: search, status filter, pages, and re-index / delete one or many. */
@Component({
  selector: 'app-documents-table',
  imports: [DatePipe, DecimalPipe],
  templateUrl: './documents-table.html',
  styleUrl: './documents-table.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DocumentsTable {
  protected readonly list = inject(DocumentList);
  private readonly api = inject(DocumentsApi);
  private readonly confirmer = inject(Confirmer);
  private readonly toaster = inject(Toaster);
  /** For the confirmations: "… Support bot will no longer answer from it". */
  readonly botName = input('');

  protected readonly statuses = DocumentStatuses;
  protected readonly badges = badges;
  protected readonly formats = FORMAT_NAMES;
  protected readonly maxSize = MAX_SIZE_TEXT;
  protected readonly size = formatBytes;
  protected readonly typeOf = typeOf;
  protected readonly skeletonRows = [1, 2, 3, 4];

  protected readonly searchText = signal(this.list.search());
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly picked = signal<ReadonlySet<string>>(new Set());
  /** The picked documents still on this page. */
  protected readonly selected = computed(() => this.list.documents().filter((d) => this.picked().has(d.id)));
  protected readonly allSelected = computed(
    () => this.list.documents().length > 0 && this.selected().length === this.list.documents().length,
  );
  /** Documents with an action under way: their buttons wait. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());

  protected readonly firstShown = computed(() => (this.list.total() ? this.list.offset() + 1 : 0));
  protected readonly lastShown = computed(() => this.list.offset() + this.list.documents().length);

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
  }

  protected typed(text: string): void {
    this.searchText.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.list.setSearch(text), SEARCH_DELAY_MS);
  }

  protected filterBy(status: string): void {
    this.list.setStatus(status as DocumentStatus | '');
  }

  protected clearFilters(): void {
    clearTimeout(this.searchTimer);
    this.searchText.set('');
    this.list.setSearch('');
    this.list.setStatus('');
  }

  protected page(step: 1 | -1): void {
    this.list.offset.update((offset) => Math.max(0, offset + step * PAGE_SIZE));
  }

  protected toggle(id: string): void {
    this.picked.update((picked) => {
      const next = new Set(picked);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  protected toggleAll(): void {
    this.picked.set(this.allSelected() ? new Set() : new Set(this.list.documents().map((d) => d.id)));
  }

  protected async reindex(document: DocumentView): Promise<void> {
    await this.working([document.id], async () => {
      const startedAt = Date.now();
      this.list.added([await this.api.reindex(document.id)], startedAt);
      this.toaster.success(`Indexing ${document.name} again.`);
    });
  }

  protected async remove(document: DocumentView): Promise<void> {
    const yes = await this.confirmer.ask({
      title: `Delete ${document.name}?`,
      message:
        `The document, its ${plural(document.chunkCount, 'chunk')} and their vectors are removed, so ` +
        `${this.botName() || 'the bot'} no longer answers from it. This cannot be undone.`,
      action: 'Delete document',
      danger: true,
    });
    if (!yes) return;
    await this.working([document.id], async () => {
      await this.api.remove(document.id);
      this.list.removed([document.id]);
      this.toaster.success(`Deleted ${document.name}.`);
    });
  }

  protected async removeSelected(): Promise<void> {
    const documents = this.selected();
    const count = plural(documents.length, 'document');
    const chunks = documents.reduce((sum, document) => sum + document.chunkCount, 0);
    const yes = await this.confirmer.ask({
      title: `Delete ${count}?`,
      message:
        `The ${count} and their vectors (${plural(chunks, 'chunk')} in all) are removed, so ` +
        `${this.botName() || 'the bot'} no longer answers from them. This cannot be undone.`,
      action: `Delete ${count}`,
      danger: true,
    });
    if (!yes) return;
    const ids = documents.map((document) => document.id);
    await this.working(ids, async () => {
      const deleted: string[] = [];
      let failure: unknown = null;
      for (let start = 0; start < ids.length; start += PARALLEL_DELETES) {
        const batch = ids.slice(start, start + PARALLEL_DELETES);
        const results = await Promise.allSettled(batch.map((id) => this.api.remove(id)));
        results.forEach((result, i) => {
          if (result.status === 'fulfilled') deleted.push(batch[i]!);
          else failure ??= result.reason;
        });
      }
      this.picked.set(new Set());
      this.list.removed(deleted);
      if (deleted.length) this.toaster.success(`Deleted ${plural(deleted.length, 'document')}.`);
      if (failure) throw failure;
    });
  }

  /** Runs an action on documents, their buttons disabled meanwhile; a failure is told in a toast. */
  private async working(ids: readonly string[], action: () => Promise<void>): Promise<void> {
    this.busy.update((busy) => new Set([...busy, ...ids]));
    try {
      await action();
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.busy.update((busy) => new Set([...busy].filter((id) => !ids.includes(id))));
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
