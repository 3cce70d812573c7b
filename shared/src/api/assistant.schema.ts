import { z } from 'zod';
import type { AssistantToolCall, SourceRef } from '../socket/events';
import { clientMessageIdSchema } from './chat.schema';

/** Limits of the admin assistant, the same for its socket event and its REST route. */
export const AssistantLimits = {
  /** Longest question, in characters: a question, not a document to analyse. */
  questionMaxLength: 1000,
  /** Questions one user may ask a minute (socket and REST together). */
  questionsPerMinute: 20,
} as const;

const questionSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(AssistantLimits.questionMaxLength, `must be at most ${AssistantLimits.questionMaxLength} characters`);

/** `POST /api/assistant/ask`. */
export const assistantAskSchema = z.object({ question: questionSchema }).strict();
export type AssistantAskInput = z.infer<typeof assistantAskSchema>;

/** `assistant:ask` on the `/admin` socket: a resend with the same `clientMessageId` is answered once. */
export const assistantSocketAskSchema = z
  .object({ question: questionSchema, clientMessageId: clientMessageIdSchema })
  .strict();

/** The answer of `POST /api/assistant/ask`. */
export interface AssistantAnswerResponse {
  answer: string;
  /** The documentation passages the answer cites, as `[n]` in its text. */
  sources: SourceRef[];
  /** The figures of the account the assistant looked up, in the order it did. */
  toolCalls: AssistantToolCall[];
}

/** `GET /api/assistant/status`: how far the assistant is with learning the platform's documentation. */
export interface AssistantStatusResponse {
  knowledge: {
    /** `indexing` at start-up until the documentation is in its collection; `failed` if it could not be. */
    status: 'indexing' | 'ready' | 'failed';
    /** Documentation files and chunks in the collection. */
    files: number;
    chunks: number;
    /** The embedding model the collection was filled with. */
    embeddingModel: string;
  };
}
