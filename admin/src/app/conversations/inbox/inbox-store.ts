import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { apiProblem } from '../../core/api/api-error';
import { AdminSocket } from '../../core/socket/admin-socket';
import { ConversationsApi } from '../conversations-api';
import { applyDone, applyMessage, applySummary, mergeLoad, sortInbox, type InboxRows } from './inbox-rows';
import { isWaiting } from './is-waiting';

/** The inbox shows open conversations with activity this recent (older ones are in the table). */
export const INBOX_WINDOW_MS = 24 * 3600_000;
const INBOX_MAX_ROWS = 100;
/** Several unknown conversations or new leads at once are fetched with one load. */
const RELOAD_DEBOUNCE_MS = 300;

/**
 * The live inbox's rows: loaded once, then kept current by the `/admin` socket (new conversations,
 * messages, answers finishing, changes of mode, deletions), and loaded again after a reconnection or
 * when something it cannot place arrives (a message of a conversation it does not hold, a new lead).
 */
@Injectable()
export class InboxStore {
  private readonly api = inject(ConversationsApi);
  private readonly socket = inject(AdminSocket);
  private readonly held = signal<InboxRows>(new Map());
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  /** The conversation open on screen: it stays in the list even once closed. */
  readonly pinned = signal<string | null>(null);
  readonly rows = computed(() => sortInbox(this.held().values()));
  readonly waiting = computed(() => this.rows().filter(isWaiting).length);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);

  constructor() {
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => clearTimeout(this.reloadTimer));
    this.socket.on(
      'conversation:updated',
      (summary) => {
        const known = this.held().has(summary.id);
        this.change((rows) => applySummary(rows, summary, this.pinned()));
        // A new conversation: its bot's name comes with a load.
        if (!known && summary.mode !== 'closed') this.reloadSoon();
      },
      destroyRef,
    );
    this.socket.on(
      'message:new',
      (message) => {
        if (!this.held().has(message.conversationId)) return this.reloadSoon();
        this.change((rows) => applyMessage(rows, message));
      },
      destroyRef,
    );
    this.socket.on('message:done', (done) => this.change((rows) => applyDone(rows, done)), destroyRef);
    this.socket.on('lead:new', () => this.reloadSoon(), destroyRef);
    this.socket.on(
      'conversation:deleted',
      ({ conversationId }) =>
        this.change((rows) => {
          const next = new Map(rows);
          next.delete(conversationId);
          return next;
        }),
      destroyRef,
    );
    // Loaded at once, and again each time the socket (re)connects: what happened before it did was not heard.
    let first = true;
    effect(() => {
      const connected = this.socket.connected();
      this.socket.epoch();
      if (connected || first) untracked(() => void this.load());
      first = false;
    });
  }

  row(id: string) {
    return this.held().get(id) ?? null;
  }

  async load(): Promise<void> {
    const requestedAt = Date.now();
    try {
      const { conversations } = await this.api.list({
        open: 'true',
        activeSince: new Date(requestedAt - INBOX_WINDOW_MS).toISOString(),
        limit: String(INBOX_MAX_ROWS),
      });
      this.change((rows) => mergeLoad(rows, conversations, requestedAt, this.pinned()));
      this.error.set(null);
    } catch (error) {
      this.error.set(apiProblem(error).message);
    } finally {
      this.loaded.set(true);
    }
  }

  private change(update: (rows: InboxRows) => InboxRows): void {
    this.held.update(update);
  }

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.load(), RELOAD_DEBOUNCE_MS);
  }
}
