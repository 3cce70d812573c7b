import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type {
  AdminServerToClientEvents,
  DocumentStatus,
  DocumentView,
  ListDocumentsQuery,
} from '@chatbot/shared';
import { apiProblem, type ApiProblem } from '../core/api/api-error';
import { DocumentsApi } from './documents-api';

export type DocumentStatusEvent = Parameters<AdminServerToClientEvents['document:status']>[0];

export const PAGE_SIZE = 20;
/** How long to wait, after hearing of a document this page does not show, before fetching the list again. */
export const UNKNOWN_DOCUMENT_WAIT_MS = 1500;
/** Status events remembered for documents, newest last; enough for a big upload, bounded for a long day. */
const HEARD_MAX = 500;

/**
 * One page of a bot's documents, kept live: the page is fetched when the bot, search, filter or page
 * change; status events from the socket update rows in place; the server's answers to uploads and imports
 * add rows. Events can arrive before the row they are about (a small file may finish indexing before its
 * upload's response is read) or while the page is being fetched, so the newest event of each document is
 * remembered and applied to rows that arrive later.
 */
@Injectable()
export class DocumentList {
  private readonly api = inject(DocumentsApi);
  private fetches = 0;
  private readonly heard = new Map<string, { event: DocumentStatusEvent; at: number }>();
  /** Documents heard of that belong elsewhere (another bot, another page): no fetch for them again. */
  private readonly elsewhere = new Set<string>();
  private readonly unknown = new Set<string>();
  private unknownTimer: ReturnType<typeof setTimeout> | undefined;

  readonly botId = signal<string | null>(null);
  readonly search = signal('');
  readonly status = signal<DocumentStatus | ''>('');
  readonly offset = signal(0);

  readonly documents = signal<readonly DocumentView[]>([]);
  readonly total = signal(0);
  /** False until the first page of this bot has arrived: the skeleton shows meanwhile. */
  readonly loaded = signal(false);
  readonly loading = signal(false);
  readonly problem = signal<ApiProblem | null>(null);
  readonly filtered = computed(() => this.search().trim() !== '' || this.status() !== '');

  private readonly query = computed((): ListDocumentsQuery | null => {
    const botId = this.botId();
    if (!botId) return null;
    const search = this.search().trim();
    return {
      botId,
      limit: PAGE_SIZE,
      offset: this.offset(),
      ...(search ? { search } : {}),
      ...(this.status() ? { status: this.status() as DocumentStatus } : {}),
    };
  });

  constructor() {
    let shownBot: string | null = null;
    effect(() => {
      const query = this.query();
      if (!query) return;
      untracked(() => {
        if (query.botId !== shownBot) {
          shownBot = query.botId;
          this.documents.set([]);
          this.loaded.set(false);
          this.elsewhere.clear();
        }
        void this.fetch(query);
      });
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.unknownTimer));
  }

  /** A new search: from the first page. */
  setSearch(search: string): void {
    this.search.set(search);
    this.offset.set(0);
  }

  setStatus(status: DocumentStatus | ''): void {
    this.status.set(status);
    this.offset.set(0);
  }

  /** Fetches the page again (after a reconnection, a bulk change, or a failed fetch). */
  reload(): Promise<void> {
    const query = untracked(this.query);
    return query ? this.fetch(query) : Promise.resolve();
  }

  /** A status event from the socket. */
  applyStatus(event: DocumentStatusEvent): void {
    this.heard.delete(event.documentId);
    this.heard.set(event.documentId, { event, at: Date.now() });
    if (this.heard.size > HEARD_MAX) this.heard.delete(this.heard.keys().next().value!);
    const shown = this.documents().find((document) => document.id === event.documentId);
    if (!shown) return this.noticeUnknown(event.documentId);
    this.replace(withStatus(shown, event));
    // The event has no token count; the document, once indexed, has.
    if (event.status === 'completed') {
      this.api.get(event.documentId).then(
        (document) => this.replace(document),
        () => undefined,
      );
    }
  }

  /**
   * Documents the server just accepted from this page (uploads, imports, re-indexing): shown at the top,
   * or updated in place. `since` is when the request left: events heard before it are of an earlier run.
   */
  added(documents: readonly DocumentView[], since = 0): void {
    for (const accepted of documents) {
      const document = this.withHeard(accepted, since);
      if (this.documents().some((shown) => shown.id === document.id)) {
        this.replace(document);
      } else if (this.offset() === 0 && this.matches(document)) {
        this.documents.update((shown) => [document, ...shown]);
        this.total.update((total) => total + 1);
      }
    }
  }

  /** Replaces a row with the server's newer copy, if the row is still there. */
  replace(document: DocumentView): void {
    this.documents.update((shown) => shown.map((row) => (row.id === document.id ? document : row)));
  }

  /** Rows deleted on the server: gone from the page, which then refills from the next one. */
  removed(ids: readonly string[]): void {
    const gone = new Set(ids);
    const before = this.documents().length;
    this.documents.update((shown) => shown.filter((document) => !gone.has(document.id)));
    this.total.update((total) => Math.max(0, total - (before - this.documents().length)));
    if (!this.documents().length && this.offset() > 0) {
      this.offset.set(Math.max(0, this.offset() - PAGE_SIZE));
    } else if (this.total() > this.offset() + this.documents().length) {
      void this.reload();
    }
  }

  private async fetch(query: ListDocumentsQuery): Promise<void> {
    const ticket = ++this.fetches;
    const startedAt = Date.now();
    this.loading.set(true);
    try {
      const page = await this.api.list(query);
      if (ticket !== this.fetches) return; // a newer query has been asked for
      this.documents.set(page.documents.map((document) => this.withHeard(document, startedAt)));
      this.total.set(page.total ?? page.documents.length);
      this.problem.set(null);
      this.loaded.set(true);
    } catch (error) {
      if (ticket === this.fetches) this.problem.set(apiProblem(error));
    } finally {
      if (ticket === this.fetches) this.loading.set(false);
    }
  }

  /**
   * A document as the newest event heard of it says, if that event came at or after `since` (what came
   * before, the server's copy already shows).
   */
  private withHeard(document: DocumentView, since: number): DocumentView {
    const heard = this.heard.get(document.id);
    return heard && heard.at >= since ? withStatus(document, heard.event) : document;
  }

  /**
   * A document this page does not show: one uploaded elsewhere, found by a crawl, or of another bot. If a
   * moment later it is still not shown (an upload's answer would have added it), the page is fetched again.
   */
  private noticeUnknown(id: string): void {
    if (this.elsewhere.has(id)) return;
    this.unknown.add(id);
    this.unknownTimer ??= setTimeout(() => {
      this.unknownTimer = undefined;
      const missing = [...this.unknown].filter((unknown) => !this.isShown(unknown));
      this.unknown.clear();
      if (!missing.length) return;
      void this.reload().then(() => {
        for (const id of missing) if (!this.isShown(id)) this.elsewhere.add(id);
      });
    }, UNKNOWN_DOCUMENT_WAIT_MS);
  }

  private isShown(id: string): boolean {
    return this.documents().some((document) => document.id === id);
  }

  /** Whether a new document belongs on this page as it is filtered. */
  private matches(document: DocumentView): boolean {
    const search = this.search().trim().toLowerCase();
    const status = this.status();
    return (
      (!search || document.name.toLowerCase().includes(search)) && (!status || status === document.status)
    );
  }
}

function withStatus(document: DocumentView, event: DocumentStatusEvent): DocumentView {
  const { status, progress, chunkCount, error } = event;
  return { ...document, status, progress, chunkCount, error };
}
