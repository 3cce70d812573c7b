import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { Transcript, type ConversationSummary } from '@chatbot/shared';
import { Session } from '../../core/auth/session';
import { AdminSocket } from '../../core/socket/admin-socket';

/** The visitor's typing indicator goes out this long after their last "typing" (in case "stopped" is lost). */
const VISITOR_TYPING_MS = 6000;
/** The agent counts as typing until this long after their last keystroke. */
const AGENT_IDLE_MS = 2500;
/** While typing on, "typing" is said again this often (the server drops repeats within 1.5 s). */
const AGENT_REPEAT_MS = 2000;

/**
 * The conversation open in the inbox, followed live: `conversation:watch` returns its messages and puts
 * this socket in its room (the bot's answer streaming, typing); the shared {@link Transcript} merges the
 * replay with the live events in any order. Leaving unwatches; after a reconnection it watches again and
 * fetches what it missed (`sinceSeq`).
 */
@Injectable()
export class LiveConversation {
  private readonly socket = inject(AdminSocket);
  private readonly session = inject(Session);
  private transcript = new Transcript();
  /** Bumped when the transcript (a mutable object) changes, so views read it again. */
  private readonly version = signal(0);
  private visitorTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentIdleTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingSentAt = 0;

  readonly id = signal<string | null>(null);
  readonly summary = signal<ConversationSummary | null>(null);
  readonly messages = computed(() => (this.version(), this.transcript.messages));
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly visitorTyping = signal(false);
  /** An action in flight (take over, hand back, close, send): its buttons wait. */
  readonly busy = signal<'takeover' | 'release' | 'close' | 'send' | null>(null);
  /** This user has the conversation and may write in it. */
  readonly mine = computed(() => {
    const summary = this.summary();
    return summary?.mode === 'human' && summary.assignedAgentId === this.session.user()?.id;
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const ours = (conversationId: string) => conversationId === this.id();
    this.socket.on(
      'message:new',
      (message) => ours(message.conversationId) && this.edit((t) => t.add(message)),
      destroyRef,
    );
    this.socket.on(
      'message:delta',
      (delta) => ours(delta.conversationId) && this.edit((t) => t.addDelta(delta)),
      destroyRef,
    );
    this.socket.on(
      'message:done',
      (done) => ours(done.conversationId) && this.edit((t) => t.done(done)),
      destroyRef,
    );
    this.socket.on(
      'conversation:updated',
      (summary) => {
        const held = this.summary();
        if (ours(summary.id) && (!held || summary.messageCount >= held.messageCount))
          this.summary.set(summary);
      },
      destroyRef,
    );
    this.socket.on(
      'conversation:deleted',
      ({ conversationId }) => ours(conversationId) && this.error.set('This conversation was deleted.'),
      destroyRef,
    );
    this.socket.on(
      'typing',
      (event) => {
        if (!ours(event.conversationId) || event.role !== 'visitor') return;
        clearTimeout(this.visitorTypingTimer);
        this.visitorTyping.set(event.isTyping);
        if (event.isTyping)
          this.visitorTypingTimer = setTimeout(() => this.visitorTyping.set(false), VISITOR_TYPING_MS);
      },
      destroyRef,
    );
    // After a reconnection the room was left: watch again, from just before what may have been missed.
    effect(() => {
      if (this.socket.epoch() > 0) untracked(() => void this.watch(this.transcript.resumeFrom));
    });
    destroyRef.onDestroy(() => this.open(null));
  }

  /** Follows this conversation (null: none); the one followed before is unwatched. */
  open(id: string | null): void {
    const previous = this.id();
    if (previous === id) return;
    if (previous) {
      this.stopTyping();
      void this.socket.request('conversation:unwatch', { conversationId: previous }).catch(() => undefined);
    }
    clearTimeout(this.visitorTypingTimer);
    this.transcript = new Transcript();
    this.id.set(id);
    this.summary.set(null);
    this.visitorTyping.set(false);
    this.error.set(null);
    this.version.update((v) => v + 1);
    if (id) void this.watch();
  }

  async takeover(): Promise<void> {
    await this.act('takeover', (conversationId) =>
      this.socket.request('conversation:takeover', { conversationId }),
    );
  }

  async release(): Promise<void> {
    await this.act('release', (conversationId) =>
      this.socket.request('conversation:release', { conversationId }),
    );
  }

  async close(): Promise<void> {
    await this.act('close', (conversationId) =>
      this.socket.request('conversation:close', { conversationId }),
    );
  }

  /** Sends the agent's message; resolves once the server stored it. */
  async send(text: string): Promise<void> {
    const conversationId = this.id();
    if (!conversationId) return;
    this.stopTyping();
    this.busy.set('send');
    try {
      await this.socket.request('message:send', { conversationId, text, clientMessageId: clientMessageId() });
    } finally {
      this.busy.set(null);
    }
  }

  /** The agent pressed a key: says "typing" (again every couple of seconds), and "stopped" after a pause. */
  typed(): void {
    const conversationId = this.id();
    if (!conversationId || !this.mine()) return;
    if (Date.now() - this.agentTypingSentAt > AGENT_REPEAT_MS) {
      this.agentTypingSentAt = Date.now();
      this.socket.send('typing', { conversationId, isTyping: true });
    }
    clearTimeout(this.agentIdleTimer);
    this.agentIdleTimer = setTimeout(() => this.stopTyping(), AGENT_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.agentIdleTimer);
    const conversationId = this.id();
    if (!this.agentTypingSentAt || !conversationId) return;
    this.agentTypingSentAt = 0;
    this.socket.send('typing', { conversationId, isTyping: false });
  }

  private async watch(sinceSeq?: number): Promise<void> {
    const conversationId = this.id();
    if (!conversationId) return;
    this.loading.set(true);
    try {
      const { conversation, messages } = await this.socket.request('conversation:watch', {
        conversationId,
        sinceSeq,
      });
      if (this.id() !== conversationId) return;
      this.summary.set(conversation);
      this.edit((transcript) => messages.forEach((message) => transcript.add(message)));
      this.error.set(null);
    } catch (error) {
      if (this.id() === conversationId) this.error.set((error as Error).message);
    } finally {
      if (this.id() === conversationId) this.loading.set(false);
    }
  }

  private async act(
    action: 'takeover' | 'release' | 'close',
    run: (conversationId: string) => Promise<{ conversation: ConversationSummary }>,
  ): Promise<void> {
    const conversationId = this.id();
    if (!conversationId) return;
    this.busy.set(action);
    try {
      const { conversation } = await run(conversationId);
      if (this.id() === conversationId) this.summary.set(conversation);
    } finally {
      this.busy.set(null);
    }
  }

  private edit(change: (transcript: Transcript) => void): void {
    change(this.transcript);
    this.version.update((v) => v + 1);
  }
}

function clientMessageId(): string {
  return `agent-${crypto.randomUUID()}`;
}
