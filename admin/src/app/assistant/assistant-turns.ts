import type { AssistantDelta, AssistantDone, AssistantToolCall, SourceRef } from '@chatbot/shared';

/**
 * `sending` until the server acks the question; `streaming` while the answer comes in; `complete` or
 * `failed` (the answer broke off, or the connection did) once it is over; `refused` when the server did not
 * take the question (too many questions, a question too long).
 */
export type TurnState = 'sending' | 'streaming' | 'complete' | 'failed' | 'refused';

/** One question to the assistant and its answer. */
export interface AssistantTurn {
  clientMessageId: string;
  question: string;
  /** The server's id of the answer, from the ack. */
  messageId: string | null;
  state: TurnState;
  content: string;
  /** Pieces that arrived ahead of a missing one, applied once the gap is filled. */
  ahead: { offset: number; delta: string }[];
  sources: SourceRef[];
  toolCalls: AssistantToolCall[];
  /** Why there is no answer (a refusal, a lost connection), in the server's words when it gave some. */
  error: string | null;
}

export function newTurn(question: string, clientMessageId: string): AssistantTurn {
  return {
    clientMessageId,
    question,
    messageId: null,
    state: 'sending',
    content: '',
    ahead: [],
    sources: [],
    toolCalls: [],
    error: null,
  };
}

const put = (content: string, offset: number, delta: string) =>
  content.slice(0, offset) + delta + content.slice(offset + delta.length);

/**
 * Places a piece of the answer at its offset: appended when it starts where the text ends, written over
 * what is there when it repeats a piece, held back when a piece before it has not arrived yet.
 */
export function mergeDelta(
  turn: AssistantTurn,
  { offset, delta }: Pick<AssistantDelta, 'offset' | 'delta'>,
): AssistantTurn {
  if (turn.state === 'complete' || turn.state === 'failed') return turn;
  let content = turn.content;
  let ahead = [...turn.ahead, { offset, delta }].sort((a, b) => a.offset - b.offset);
  while (ahead.length && ahead[0]!.offset <= content.length) {
    const piece = ahead.shift()!;
    content = put(content, piece.offset, piece.delta);
  }
  ahead = ahead.filter((piece) => piece.offset > content.length);
  return { ...turn, state: 'streaming', content, ahead };
}

/** The whole answer replaces whatever the pieces made. */
export function finishTurn(turn: AssistantTurn, done: AssistantDone): AssistantTurn {
  return {
    ...turn,
    state: done.state,
    content: done.content,
    ahead: [],
    sources: done.sources,
    toolCalls: done.toolCalls,
  };
}
