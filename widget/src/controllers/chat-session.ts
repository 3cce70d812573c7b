import {
  ChatLimits,
  Transcript,
  type CaptureLeadInput,
  type ChatMessage,
  type ConversationMode,
  type ConversationState,
  type ErrorCode,
  type PublicBotConfig,
  type StartConversationResponse,
  type WidgetClientToServerEvents,
  type WidgetPreview,
  type WidgetServerToClientEvents,
} from '@chatbot/shared';
import { io, type Socket } from 'socket.io-client';
import { PublicApi, PublicApiError } from './public-api';
import { SessionStore, type SavedSession } from './saved-session';

type WidgetSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;
type AckedEvent = 'conversation:join' | 'message:send' | 'handoff:request' | 'lead:decline';
/** What the server acknowledges an event with. */
type AckOf<E extends AckedEvent> = Parameters<Parameters<WidgetClientToServerEvents[E]>[1]>[0];

/** Where the window stands: settings loading, ready to chat, or no chat to offer. */
export type SessionStatus = 'loading' | 'ready' | 'unavailable' | 'unreachable';
/** The socket's state as the visitor should see it. */
export type Connection = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'offline';

/** A message the visitor sent that the server has not confirmed yet (or refused). */
export interface PendingMessage {
  clientMessageId: string;
  text: string;
  state: 'sending' | 'failed';
  /** Why it failed, when the server said. */
  error?: { code: ErrorCode | 'timeout'; retryAfterSeconds?: number };
  createdAt: number;
}

export interface ChatSessionOptions {
  botId: string;
  /** The platform's base URL, without a trailing slash. */
  server: string;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Called after every change of state, for the view to render. */
  onChange: () => void;
  /** A message finished (the visitor's, confirmed; the bot's, complete; an agent's), or a lead was sent. */
  onMessage?: (message: ChatMessage) => void;
  onLead?: (lead: CaptureLeadInput) => void;
  /** Where the conversation was opened, for the admin's context. */
  referrer?: string;
  /** The browser's language (`navigator.language`), for the admin's context. */
  language?: string;
  /** The settings the loader already fetched, if it did. */
  config?: PublicBotConfig | null;
  /** The dashboard's preview: it starts the conversations, and the settings come from it alone. */
  preview?: WidgetPreview | null;
  fetch?: typeof fetch;
  /** How long a sent message may wait for the server's ack before it is shown as not sent. */
  sendTimeoutMs?: number;
}

/** Reconnection: socket.io's exponential back-off with jitter, from 1 s up to 10 s between attempts. */
export const RECONNECT = { reconnectionDelay: 1000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5 };

/**
 * One visitor's conversation with one bot, without any DOM: the settings, the transcript (merged from
 * joins and live events exactly once, see `Transcript`), the messages on their way, the socket and its
 * reconnection. A conversation starts with the first message (opening the window costs nothing), is kept
 * in localStorage, and is joined again with the last sequence number after every reconnect, so nothing
 * is lost or doubled. The view calls `resync()` when the page becomes visible or the network comes back.
 */
export class ChatSession {
  status: SessionStatus = 'loading';
  connection: Connection = 'idle';
  config: PublicBotConfig | null;
  transcript = new Transcript();
  readonly pending = new Map<string, PendingMessage>();
  mode: ConversationMode = 'bot';
  agentName: string | null = null;
  waitingForAgent = false;
  agentTyping = false;
  /** The server asked for contact details (or the bot could not answer and offers them). */
  leadRequested = false;
  leadSent = false;
  /** The open lead form is the server's request (not the visitor's own click): closing it declines. */
  private leadAskedByServer = false;
  /** The server refused messages for a while (rate limit), in seconds. */
  retryAfterSeconds: number | null = null;

  private readonly api: PublicApi;
  private readonly store: SessionStore;
  private saved: SavedSession | null;
  private socket: WidgetSocket | null = null;
  private joined = false;
  /** Whether this session joined its conversation once already (a later join is a catch-up). */
  private joinedBefore = false;
  private readonly deadlines = new WeakMap<PendingMessage, ReturnType<typeof setTimeout>>();
  private starting: Promise<SavedSession> | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** True once `dispose()` ran: the session does nothing more. */
  disposed = false;

  constructor(private readonly options: ChatSessionOptions) {
    this.api = new PublicApi(options.server, options.botId, options.fetch);
    this.store = new SessionStore(options.storage, options.botId);
    this.saved = this.store.load();
    this.config = options.config ?? null;
  }

  /** True when this browser already has a conversation with the bot. */
  get hasConversation(): boolean {
    return this.saved !== null;
  }

  /** Messages newer than the last one seen with the window open. */
  get unreadCount(): number {
    const seen = this.saved?.lastSeenSeq ?? 0;
    return this.transcript.messages.filter(
      (m) => m.seq > seen && m.role !== 'visitor' && m.state !== 'streaming',
    ).length;
  }

  /** The transcript, then what the visitor sent that the server has not confirmed. */
  get messages(): (ChatMessage | PendingMessage)[] {
    const confirmed = this.transcript.messages;
    const known = new Set(confirmed.map((m) => m.clientMessageId));
    return [...confirmed, ...[...this.pending.values()].filter((p) => !known.has(p.clientMessageId))];
  }

  /** Loads the settings (unless given) and joins the saved conversation, if there is one. */
  async load(): Promise<void> {
    try {
      this.config ??= await this.api.config();
      this.status = 'ready';
    } catch (error) {
      this.status = error instanceof PublicApiError && error.status > 0 ? 'unavailable' : 'unreachable';
    }
    this.changed();
    if (this.status === 'ready' && this.saved) this.connect(this.saved);
  }

  /** Sends the visitor's message, starting the conversation first if there is none. */
  send(text: string): void {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > ChatLimits.messageMaxLength || this.status !== 'ready') return;
    const pending: PendingMessage = {
      clientMessageId: newClientMessageId(),
      text: trimmed,
      state: 'sending',
      createdAt: Date.now(),
    };
    this.pending.set(pending.clientMessageId, pending);
    this.changed();
    void this.deliver(pending);
  }

  /** Sends a message that failed again, with the same id (the server answers a resend once). */
  retry(clientMessageId: string): void {
    const pending = this.pending.get(clientMessageId);
    if (!pending || pending.state !== 'failed') return;
    pending.state = 'sending';
    delete pending.error;
    this.changed();
    void this.deliver(pending);
  }

  /** Asks for a person to take over. */
  async requestHuman(): Promise<void> {
    const saved = await this.ensureConversation();
    const response = await this.emit('handoff:request', { conversationId: saved.conversationId });
    if (response?.ok) this.applyState(response.data);
    if (response?.ok && response.data.mode === 'bot') this.waitingForAgent = true;
    this.changed();
  }

  /** Sends the visitor's contact details; throws when the server refused them. */
  async submitLead(lead: CaptureLeadInput): Promise<void> {
    const saved = await this.ensureConversation();
    await this.api.captureLead(saved.conversationId, saved.visitorToken, lead);
    this.leadSent = true;
    this.leadRequested = false;
    this.changed();
    this.options.onLead?.(lead);
  }

  /**
   * The visitor opened the lead form, or closed it without sending. Closing a form the server asked for
   * tells it (`lead:decline`), so the bot does not ask again in this conversation.
   */
  setLeadRequested(requested: boolean): void {
    if (!requested && this.leadAskedByServer && !this.leadSent && this.saved) {
      void this.emit('lead:decline', { conversationId: this.saved.conversationId });
    }
    this.leadAskedByServer = false;
    this.leadRequested = requested;
    this.changed();
  }

  /** Marks everything shown as seen (the window is open). */
  markSeen(): void {
    const last = this.transcript.messages.at(-1)?.seq ?? 0;
    if (!this.saved || last <= this.saved.lastSeenSeq) return;
    this.saved = { ...this.saved, lastSeenSeq: last };
    this.store.save(this.saved);
  }

  /**
   * Catches up after the page was hidden or the network came back: reconnects at once if the socket is
   * down (instead of waiting out the back-off), else joins again to fetch anything missed.
   */
  resync(): void {
    if (this.status === 'unreachable') {
      this.status = 'loading';
      this.changed();
      void this.load();
      return;
    }
    if (!this.socket) return;
    if (this.socket.connected) return void this.join();
    // connect() alone would wait for socket.io's next attempt (up to 10 s): start a fresh one instead.
    this.socket.disconnect();
    this.socket.connect();
  }

  /** The browser says it lost the network: shown at once rather than after a timeout. */
  setOffline(): void {
    if (this.connection === 'idle') return;
    this.connection = 'offline';
    this.changed();
  }

  /** Leaves the closed conversation behind; the next message starts a new one. */
  startOver(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.saved = null;
    this.store.clear();
    this.transcript = new Transcript();
    this.joinedBefore = false;
    this.leadAskedByServer = false;
    this.pending.clear();
    Object.assign(this, {
      mode: 'bot',
      agentName: null,
      waitingForAgent: false,
      agentTyping: false,
      leadRequested: false,
      leadSent: false,
      connection: 'idle',
    });
    this.changed();
  }

  /** Sends "typing" to the agent who has the conversation (the bot does not care). */
  typing(isTyping: boolean): void {
    if (this.mode === 'human' && this.socket?.connected && this.saved) {
      this.socket.emit('typing', { conversationId: this.saved.conversationId, isTyping });
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.socket?.disconnect();
    this.socket = null;
  }

  private async deliver(pending: PendingMessage): Promise<void> {
    // Each attempt has its own deadline: a retry is not failed by the timer of the attempt before it.
    clearTimeout(this.deadlines.get(pending));
    this.deadlines.set(
      pending,
      this.after(this.options.sendTimeoutMs ?? 15_000, () => {
        if (this.pending.get(pending.clientMessageId)?.state === 'sending')
          this.fail(pending, { code: 'timeout' });
      }),
    );
    let saved: SavedSession;
    try {
      saved = await this.ensureConversation();
    } catch {
      return this.fail(pending, { code: 'timeout' });
    }
    // Until the socket has joined, the message waits: join() sends it.
    if (this.joined) this.emitMessage(saved, pending);
  }

  private emitMessage(saved: SavedSession, pending: PendingMessage): void {
    void this.emit('message:send', {
      conversationId: saved.conversationId,
      text: pending.text,
      clientMessageId: pending.clientMessageId,
    }).then((response) => {
      if (!response || this.pending.get(pending.clientMessageId) !== pending) return;
      if (!response.ok && response.error.code === 'unavailable') {
        // The platform's database was briefly away: sent again (same id, so stored once) when it asks,
        // until the attempt's deadline fails it.
        return void this.after((response.error.retryAfterSeconds ?? 3) * 1000, () => {
          const waiting =
            this.pending.get(pending.clientMessageId) === pending && pending.state === 'sending';
          if (waiting && this.joined) this.emitMessage(saved, pending);
        });
      }
      if (!response.ok) {
        return this.fail(pending, {
          code: response.error.code,
          retryAfterSeconds: response.error.retryAfterSeconds,
        });
      }
      // Confirmed: the message itself arrives as `message:new` (or came already).
      if (this.transcript.messages.some((m) => m.clientMessageId === pending.clientMessageId)) {
        this.pending.delete(pending.clientMessageId);
        this.changed();
      }
    });
  }

  private fail(pending: PendingMessage, error: NonNullable<PendingMessage['error']>): void {
    if (this.pending.get(pending.clientMessageId) !== pending) return;
    pending.state = 'failed';
    pending.error = error;
    if (error.retryAfterSeconds) this.showRetryAfter(error.retryAfterSeconds);
    this.changed();
  }

  private showRetryAfter(seconds: number): void {
    this.retryAfterSeconds = seconds;
    this.after(seconds * 1000, () => {
      this.retryAfterSeconds = null;
      this.changed();
    });
  }

  /** The saved conversation, or a new one (started once however many messages wait for it). */
  private ensureConversation(): Promise<SavedSession> {
    if (this.saved) return Promise.resolve(this.saved);
    this.starting ??= this.start(null)
      .then((started) => {
        const saved = {
          conversationId: started.conversationId,
          visitorToken: started.visitorToken,
          lastSeenSeq: 0,
        };
        this.adopt(saved);
        return saved;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  private adopt(saved: SavedSession): void {
    this.saved = saved;
    this.store.save(saved);
    this.connect(saved);
  }

  private connect(saved: SavedSession): void {
    this.socket?.disconnect();
    this.joined = false;
    this.connection = 'connecting';
    const socket: WidgetSocket = io(`${this.options.server}/widget`, {
      auth: { botId: this.options.botId, visitorToken: saved.visitorToken },
      ...RECONNECT,
    });
    this.socket = socket;

    socket.on('connect', () => void this.join());
    socket.on('disconnect', (reason) => {
      this.joined = false;
      this.connection = 'reconnecting';
      this.agentTyping = false;
      // The server let go of this socket (it is shutting down): come back like after a network cut.
      if (reason === 'io server disconnect') this.after(RECONNECT.reconnectionDelay, () => socket.connect());
      this.changed();
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      const code = error.data?.code;
      if (code === 'unauthenticated') return void this.restart(saved);
      if (code === 'not_found' || code === 'forbidden') {
        this.status = 'unavailable';
        socket.disconnect();
      } else {
        this.connection = 'reconnecting';
        // A refusal by the server's handshake is not retried by socket.io itself.
        if (!socket.active) this.after(RECONNECT.reconnectionDelayMax, () => socket.connect());
      }
      this.changed();
    });

    socket.on('message:new', (message) => {
      this.transcript.add(message);
      this.pending.delete(message.clientMessageId);
      if (message.state === 'complete') this.options.onMessage?.(message);
      if (message.role === 'agent') this.agentTyping = false;
      // The bot keeps quiet while the visitor waits for a person: when it speaks, the wait is over.
      if (message.role === 'bot') this.waitingForAgent = false;
      this.changed();
    });
    socket.on('message:delta', (delta) => {
      if (this.transcript.addDelta(delta) !== 'duplicate') this.changed();
    });
    socket.on('message:done', (done) => {
      this.transcript.done(done);
      const message = this.transcript.messages.find((m) => m.id === done.messageId);
      if (message) this.options.onMessage?.(message);
      this.changed();
    });
    socket.on('typing', ({ role, isTyping }) => {
      if (role !== 'agent') return;
      this.agentTyping = isTyping;
      this.changed();
    });
    socket.on('agent:joined', ({ agentName }) => {
      Object.assign(this, { mode: 'human', agentName, waitingForAgent: false });
      this.changed();
    });
    socket.on('agent:left', () => {
      Object.assign(this, { mode: 'bot', agentName: null, agentTyping: false });
      this.changed();
    });
    socket.on('conversation:closed', () => {
      Object.assign(this, { mode: 'closed', waitingForAgent: false, agentTyping: false });
      this.changed();
    });
    socket.on('lead:request', () => {
      if (!this.leadSent) this.leadRequested = this.leadAskedByServer = true;
      this.changed();
    });
    socket.on('bot:updated', () => {
      if (this.options.preview) return;
      void this.api
        .config()
        .then((config) => {
          this.config = config;
          this.changed();
        })
        .catch(() => undefined);
    });
    socket.on('error', ({ retryAfterSeconds }) => {
      if (retryAfterSeconds) this.showRetryAfter(retryAfterSeconds);
      this.changed();
    });
  }

  /** Continues the conversation of `visitorToken` (when the server still can) or starts one. */
  private start(visitorToken: string | null): Promise<StartConversationResponse> {
    return this.options.preview
      ? this.options.preview.startConversation()
      : this.api.start(visitorToken, { referrer: this.options.referrer, language: this.options.language });
  }

  /** Joins (again) with the last sequence number known, then sends what waited for the connection. */
  private async join(): Promise<void> {
    const saved = this.saved;
    if (!saved || !this.socket) return;
    const response = await this.emit('conversation:join', {
      conversationId: saved.conversationId,
      sinceSeq: this.transcript.resumeFrom,
    });
    if (!response || saved !== this.saved) return;
    if (!response.ok) {
      // The conversation is gone (erased at the visitor's request, or by retention): start afresh.
      if (response.error.code === 'not_found') this.startOver();
      return;
    }
    const known = new Set(this.transcript.messages.map((m) => m.id));
    for (const message of response.data.messages) {
      this.transcript.add(message);
      this.pending.delete(message.clientMessageId);
      // What a re-join brings is news to the page; the first join's replay is history.
      if (this.joinedBefore && !known.has(message.id) && message.state === 'complete') {
        this.options.onMessage?.(message);
      }
    }
    this.applyState(response.data);
    this.joined = true;
    this.joinedBefore = true;
    this.connection = 'online';
    this.changed();
    for (const pending of this.pending.values()) {
      if (pending.state === 'sending') this.emitMessage(saved, pending);
    }
  }

  /** The visitor token expired or was revoked: the server continues the conversation if it still can. */
  private async restart(saved: SavedSession): Promise<void> {
    this.socket?.disconnect();
    try {
      const started = await this.start(saved.visitorToken);
      const same = started.conversationId === saved.conversationId;
      if (!same) {
        // A new conversation: the old transcript goes; what the visitor is sending goes on to the new one.
        const waiting = [...this.pending.values()];
        this.startOver();
        for (const message of waiting) this.pending.set(message.clientMessageId, message);
      }
      this.adopt({
        conversationId: started.conversationId,
        visitorToken: started.visitorToken,
        lastSeenSeq: same ? saved.lastSeenSeq : 0,
      });
    } catch {
      this.connection = 'reconnecting';
      this.after(RECONNECT.reconnectionDelayMax, () => void this.restart(saved));
      this.changed();
    }
  }

  private applyState(state: ConversationState): void {
    this.mode = state.mode;
    this.agentName = state.agentName;
    this.waitingForAgent = state.mode === 'bot' && state.handoffRequestedAt !== null;
  }

  /** Emits with an ack, or resolves null when the socket is gone or no ack comes within the timeout. */
  private async emit<E extends AckedEvent>(
    event: E,
    payload: Parameters<WidgetClientToServerEvents[E]>[0],
  ): Promise<AckOf<E> | null> {
    if (!this.socket) return null;
    const timed = this.socket.timeout(this.options.sendTimeoutMs ?? 15_000);
    return (timed.emitWithAck as (event: E, payload: unknown) => Promise<AckOf<E>>)(event, payload).catch(
      () => null,
    );
  }

  private after(ms: number, run: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.disposed) run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private changed(): void {
    if (!this.disposed) this.options.onChange();
  }
}

function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `w-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
