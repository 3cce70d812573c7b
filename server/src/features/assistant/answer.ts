import type { AssistantToolCall, SourceRef } from '@chatbot/shared';

/** The assistant's answer to one question, however it was made. */
export interface AssistantAnswer {
  content: string;
  /** The documentation passages the answer cites. */
  sources: SourceRef[];
  toolCalls: AssistantToolCall[];
  /** `failed` when the model broke off mid-answer: `content` is what it had said. */
  state: 'complete' | 'failed';
}

/** Receives each piece of the answer's text, in order. */
export type OnDelta = (text: string) => void;

// Hand the event loop back after this many pieces, so a long answer never holds up other requests.
const yieldEvery = 20;

/** Streams a text made all at once (the offline answers) in word-sized pieces, as a model would. */
export async function streamText(text: string, onDelta: OnDelta, signal?: AbortSignal): Promise<void> {
  const pieces = text.match(/\s*\S+/g) ?? [];
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0 && i % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    onDelta(pieces[i]!);
  }
}
