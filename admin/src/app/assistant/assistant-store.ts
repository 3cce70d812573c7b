import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import type { AssistantDelta, AssistantDone } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { AdminSocket, SocketAckError } from '../core/socket/admin-socket';
import { type AssistantTurn, finishTurn, mergeDelta, newTurn } from './assistant-turns';

type AnswerEvent = { delta: AssistantDelta } | { done: AssistantDone };

/** Answers whose events came before the ack named them, kept at most (older ones are dropped). */
const earlyKept = 10;

const interrupted = 'The connection dropped before the answer was finished. Ask again.';

/**
 * The conversation with the admin assistant, kept for the whole session (the panel can close and open
 * again) and forgotten when another user signs in. A question is sent with `assistant:ask`; its answer
 * streams in as `assistant:delta` pieces, merged by offset, until `assistant:done` replaces them with the
 * whole answer, its sources and the figures it looked up.
 */
@Injectable({ providedIn: 'root' })
export class AssistantStore {
  private readonly socket = inject(AdminSocket);
  private readonly state = signal<AssistantTurn[]>([]);
  /** Events of answers the ack has not named yet (they can overtake it), by answer id. */
  private readonly early = new Map<string, AnswerEvent[]>();
  private stopListening: (() => void) | null = null;

  readonly turns = this.state.asReadonly();
  /** A question is on its way or being answered: the next one waits. */
  readonly busy = computed(() =>
    this.turns().some((turn) => turn.state === 'sending' || turn.state === 'streaming'),
  );

  constructor() {
    const session = inject(Session);
    let owner: string | null = null;
    effect(() => {
      const user = session.user()?.id ?? null;
      untracked(() => {
        if (user !== owner) this.clear();
        owner = user;
      });
    });
    // The server stops an answer whose socket went away: no `assistant:done` will come for it.
    let wasConnected = false;
    effect(() => {
      const connected = this.socket.connected();
      untracked(() => {
        if (wasConnected && !connected) this.interrupt();
        wasConnected = connected;
      });
    });
  }

  /** Asks a question; resolves once the server took it (or refused it, which the turn then says). */
  async ask(question: string): Promise<void> {
    const text = question.trim();
    if (!text) return;
    const clientMessageId = crypto.randomUUID();
    this.state.update((turns) => [...turns, newTurn(text, clientMessageId)]);
    this.listen();
    try {
      const { messageId } = await this.socket.request('assistant:ask', { question: text, clientMessageId });
      this.change(
        (turn) => turn.clientMessageId === clientMessageId,
        (turn) => ({ ...turn, messageId, state: turn.state === 'sending' ? 'streaming' : turn.state }),
      );
      for (const event of this.early.get(messageId) ?? []) this.apply(event);
      this.early.delete(messageId);
    } catch (error) {
      this.change(
        (turn) => turn.clientMessageId === clientMessageId,
        (turn) => ({ ...turn, state: 'refused', error: refusal(error) }),
      );
    }
    this.quietDown();
  }

  /** Starts a new conversation. */
  clear(): void {
    this.state.set([]);
    this.early.clear();
    this.stopListening?.();
    this.stopListening = null;
  }

  /** Listens to answers while any is awaited; the socket's listeners are added on the socket of the moment. */
  private listen(): void {
    if (this.stopListening) return;
    const offDelta = this.socket.on('assistant:delta', (delta) => this.apply({ delta }));
    const offDone = this.socket.on('assistant:done', (done) => this.apply({ done }));
    this.stopListening = () => {
      offDelta();
      offDone();
    };
  }

  private quietDown(): void {
    if (!this.busy()) {
      this.stopListening?.();
      this.stopListening = null;
    }
  }

  private apply(event: AnswerEvent): void {
    const messageId = 'delta' in event ? event.delta.messageId : event.done.messageId;
    if (!this.turns().some((turn) => turn.messageId === messageId)) {
      this.keepEarly(messageId, event);
      return;
    }
    this.change(
      (turn) => turn.messageId === messageId,
      (turn) => ('delta' in event ? mergeDelta(turn, event.delta) : finishTurn(turn, event.done)),
    );
    if ('done' in event) this.quietDown();
  }

  private keepEarly(messageId: string, event: AnswerEvent): void {
    const events = this.early.get(messageId) ?? [];
    this.early.set(messageId, [...events, event]);
    if (this.early.size > earlyKept) this.early.delete(this.early.keys().next().value!);
  }

  private interrupt(): void {
    this.change(
      (turn) => turn.state === 'streaming',
      (turn) => ({ ...turn, state: 'failed', error: interrupted }),
    );
    this.quietDown();
  }

  private change(which: (turn: AssistantTurn) => boolean, how: (turn: AssistantTurn) => AssistantTurn): void {
    this.state.update((turns) => turns.map((turn) => (which(turn) ? how(turn) : turn)));
  }
}

/** The server's reason (a rate limit says when to try again), or what went wrong on the way. */
function refusal(error: unknown): string {
  if (error instanceof SocketAckError) return error.message;
  return 'The question could not be sent. Try again.';
}
