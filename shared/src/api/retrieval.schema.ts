import { z } from 'zod';
import { ChatLimits } from '../limits';
import type { SourceRef } from '../socket/events';

/** `POST /api/chatbots/:id/retrieval-test`: what the bot would find for a question, without answering. */
export const retrievalTestSchema = z
  .object({
    query: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(ChatLimits.messageMaxLength, `must be at most ${ChatLimits.messageMaxLength} characters`),
    /** Passages to return; the bot's own top-k when absent. */
    limit: z.number().int().min(1).max(50).optional(),
  })
  .strict();
export type RetrievalTestInput = z.infer<typeof retrievalTestSchema>;

/** Where one search ranked a passage (1 = first) and its score there. */
export interface SearchRank {
  rank: number;
  score: number;
}

export interface RetrievedPassage extends SourceRef {
  text: string;
  /** Rank by meaning (vector similarity) and by words (BM25); absent where that search did not find it. */
  vector?: SearchRank;
  lexical?: SearchRank;
}

export interface RetrievalTestView {
  query: string;
  passages: RetrievedPassage[];
  /** How well the best passage covers the question's words, weighted by their rarity (0-1). */
  confidence: number;
  /** Below this the bot answers that it does not know. */
  minConfidence: number;
  answerable: boolean;
}
