/**
 * The faults scenario's clients, which behave as the widget and a load balancer do when a part fails, so
 * what they record is what a visitor or an agent would see: visitors chatting over `/widget` who, when
 * their node goes away, reconnect to the other node, rejoin since the last message they saw and resend a
 * message that was not acknowledged (same clientMessageId); and API reads that, on a connection error,
 * are tried once on the other node (as nginx's `proxy_next_upstream error` does for a GET).
 */
import type { Socket } from 'socket.io-client';
import type { ChatMessage, MessageDone, StartConversationResponse } from '@chatbot/shared';
import { clientMessageId, request } from '../../server/src/testing/chat-clients';
import { ASKS, connect, nextAddress, ok } from '../chat-harness';
import { ANSWER } from './load-fixtures';
import { CallError } from './paced';

/** One attempt of the mix: when it started (ms from the run's start), how long it took, how it ended. */
export interface Attempt {
  kind: 'visitor' | 'api';
  at: number;
  ms: number;
  /** Null for a success; otherwise the kind the report counts the failure under. */
  error: string | null;
}

/** A visitor message and what its visitor was finally told about it. */
export interface SentMessage {
  conversationId: string;
  clientMessageId: string;
  /**
   * `complete` (the model's answer), `fallback` (complete, but the offline answerer's: the model failed),
   * `abstained` (complete, but the bot said the documents do not answer it: its search failed), `failed`,
   * `refused: <code>` when the server refused the message, or the failure's kind (`timeout`).
   */
  outcome: string;
  /** How many times its visitor reconnected while it was pending. */
  reconnects: number;
}

/**
 * Questions the policy document answers (ASKS' shipping question abstains), so that any answer but the
 * model's is the fault's doing; numbered, so that the answer cache never answers.
 */
const QUESTIONS = ASKS.filter((ask) => !ask.includes('shipping'));
let asked = 0;
const freshQuestion = () => `${QUESTIONS[asked % QUESTIONS.length]} (ref ${asked++})`;

/** How long a message waits for its ack before it is sent again, as the widget resends. */
const ACK_TIMEOUT_MS = 5_000;
/** Between tries to reach a node while none answers. */
const RECONNECT_PAUSE_MS = 200;

class Disconnected extends Error {}

/** A visitor with a conversation, connected to a node of its own (`home`) or, once that failed, another. */
export class FailoverVisitor {
  busy = false;
  /** How many times this visitor had to reconnect. */
  reconnects = 0;
  private socket: Socket | null = null;
  /** The last message this visitor knows of, so that a rejoin replays only what came after. */
  private lastSeq = 0;

  private constructor(
    private readonly nodes: string[],
    private readonly home: number,
    private readonly botId: string,
    readonly conversationId: string,
    private readonly visitorToken: string,
    private readonly address: string,
  ) {}

  /** Starts a conversation on `nodes[home]` as the widget's page does, and joins it there. */
  static async start(nodes: string[], home: number, botId: string): Promise<FailoverVisitor> {
    const address = nextAddress();
    const response = await fetch(`${nodes[home]}/api/public/conversation/${botId}/start`, {
      method: 'POST',
      headers: { 'x-forwarded-for': address },
    });
    const body = (await response.json()) as StartConversationResponse;
    if (response.status !== 201)
      throw new Error(`start answered ${response.status}: ${JSON.stringify(body)}`);
    const visitor = new FailoverVisitor(nodes, home, botId, body.conversationId, body.visitorToken, address);
    await visitor.join(home);
    return visitor;
  }

  close(): void {
    this.socket?.close();
  }

  /**
   * Sends a fresh question and waits until the visitor is told how it ended: its answer (complete or
   * failed), or the server's refusal of the message. Through a dead node it reconnects and carries on.
   * Its outcome is `timeout` when `signal` aborts first.
   */
  async ask(signal: AbortSignal): Promise<SentMessage> {
    const sent = { conversationId: this.conversationId, clientMessageId: clientMessageId() };
    const before = this.reconnects;
    let outcome: string;
    try {
      outcome = await this.outcome(sent.clientMessageId, signal);
    } catch (error) {
      if (!(error instanceof CallError)) throw error;
      outcome = error.kind;
    }
    return { ...sent, outcome, reconnects: this.reconnects - before };
  }

  private async outcome(id: string, signal: AbortSignal): Promise<string> {
    const text = freshQuestion();
    let questionSeq: number | null = null;
    /** An answer whose node died: the node that resumes it first closes it as failed, then answers again. */
    let interrupted: string | null = null;
    try {
      for (;;) {
        if (signal.aborted) throw new CallError('timeout');
        try {
          if (!this.socket?.connected) {
            const replayed = await this.rejoin(signal);
            const question = replayed.find((message) => message.clientMessageId === id);
            questionSeq = question?.seq ?? null;
            const answer =
              question && replayed.filter((m) => m.role === 'bot' && m.seq > question.seq).at(-1);
            if (answer && answer.state !== 'streaming') return outcomeOf(answer);
            interrupted = answer?.id ?? null;
          }
          const socket = this.socket!;
          // Stops listening once this try is over, answered or not, so no listener outlives its question.
          const tryOver = new AbortController();
          const done = answered(
            socket,
            this.conversationId,
            interrupted,
            AbortSignal.any([signal, tryOver.signal]),
          );
          done.catch(() => undefined); // awaited below, unless the send fails first
          let onDrop = () => {};
          const dropped = new Promise<null>((resolve) =>
            socket.once('disconnect', (onDrop = () => resolve(null))),
          );
          try {
            if (questionSeq === null) {
              const ack = await Promise.race([
                request<{ seq: number }>(
                  socket,
                  'message:send',
                  { conversationId: this.conversationId, text, clientMessageId: id },
                  ACK_TIMEOUT_MS,
                ).catch(() => null),
                dropped,
              ]);
              // No ack in time or the node went away: sent again, which the clientMessageId makes safe.
              if (ack === null) continue;
              if (!ack.ok) return `refused: ${ack.error.code}`;
              questionSeq = ack.data.seq;
            }
            return outcomeOf(await done);
          } finally {
            tryOver.abort();
            socket.off('disconnect', onDrop);
          }
        } catch (error) {
          if (!(error instanceof Disconnected)) throw error;
        }
      }
    } finally {
      // While it is pending, a rejoin must replay the question too; from then on, only what follows it.
      if (questionSeq !== null) this.lastSeq = Math.max(this.lastSeq, questionSeq);
    }
  }

  /** Reconnects, its home node first, until a node lets it rejoin; returns the messages after `lastSeq`. */
  private async rejoin(signal: AbortSignal): Promise<ChatMessage[]> {
    this.socket?.close();
    this.socket = null;
    this.reconnects++;
    for (let attempt = 0; ; attempt++) {
      const node = (this.home + attempt) % this.nodes.length;
      try {
        return await this.join(node);
      } catch {
        if (signal.aborted) throw new CallError('timeout');
        if (node === this.nodes.length - 1)
          await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSE_MS));
      }
    }
  }

  private async join(node: number): Promise<ChatMessage[]> {
    const socket = await connect(
      `${this.nodes[node]}/widget`,
      { botId: this.botId, visitorToken: this.visitorToken },
      this.address,
    );
    try {
      const joined = await ok<{ messages: ChatMessage[] }>(socket, 'conversation:join', {
        conversationId: this.conversationId,
        sinceSeq: this.lastSeq,
      });
      this.socket = socket;
      return joined.messages;
    } catch (error) {
      socket.close();
      throw error;
    }
  }
}

/** What the fake model always answers tells its answer from the offline answerer's and an abstention. */
function outcomeOf(answer: { state: string; content: string; unanswered?: true }): string {
  if (answer.state !== 'complete') return answer.state;
  if (answer.unanswered) return 'abstained';
  return answer.content === ANSWER ? 'complete' : 'fallback';
}

/**
 * The next `message:done` of the conversation, but for the failure that closes an `interrupted` answer
 * (the answer that follows it is the one awaited); rejects with Disconnected if the socket drops first.
 */
function answered(
  socket: Socket,
  conversationId: string,
  interrupted: string | null,
  signal: AbortSignal,
): Promise<MessageDone> {
  return new Promise((resolve, reject) => {
    const settle = (finish: () => void) => {
      socket.off('message:done', onDone).off('disconnect', onDisconnect);
      signal.removeEventListener('abort', onAbort);
      finish();
    };
    const onDone = (done: MessageDone) => {
      if (done.conversationId !== conversationId) return;
      if (done.messageId === interrupted && done.state === 'failed') return;
      settle(() => resolve(done));
    };
    const onDisconnect = () => settle(() => reject(new Disconnected()));
    const onAbort = () => settle(() => reject(new CallError('timeout')));
    socket.on('message:done', onDone).on('disconnect', onDisconnect);
    signal.addEventListener('abort', onAbort);
    if (!socket.connected) onDisconnect();
  });
}

/** Whether a fetch failed to reach the server at all (refused, reset), as a balancer's next-upstream sees it. */
function unreachable(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(code ?? '');
}

/**
 * GETs `path` from `nodes[first]`, and from the next node once if the first could not be reached.
 * @returns whether it had to go to the next node.
 * @throws CallError with the status (`HTTP 503`, `429`) of an answer that is not a success.
 */
export async function readWithFailover(
  nodes: string[],
  first: number,
  path: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<boolean> {
  const get = async (node: number) => {
    const response = await fetch(nodes[node % nodes.length] + path, { headers, signal });
    await response.arrayBuffer();
    if (response.status >= 400)
      throw new CallError(response.status === 429 ? '429' : `HTTP ${response.status}`);
  };
  try {
    await get(first);
    return false;
  } catch (error) {
    if (!unreachable(error) || nodes.length < 2) throw error;
  }
  await get(first + 1);
  return true;
}
