import type { ChatModel, ChatUsage } from '@chatbot/shared/platform';
import { historyWithinBudget, type HistoryTurn } from '../chat/prompt';

/** What retrieval searches for, and what rewriting it cost (when a model did). */
export interface SearchQuery {
  text: string;
  rewrite: { model: string; usage: ChatUsage } | null;
}

// Words that lean on what was said before: "and how do I configure that?", "does it work in the browser?"
const leansOnContext =
  /^(?:and|but|also|so|then|what about|how about|same)\b|\b(?:it|its|that|this|these|those|they|them|their|there|one|ones|same|else)\b/i;

/** Tokens of history a rewrite sees: the last few turns are what a follow-up refers to. */
const rewriteHistoryTokens = 600;

/**
 * The question as retrieval should search for it. A first question, or one that stands on its own, is
 * searched as it is. A follow-up ("and how do I configure that?") names nothing to search for: a model, when
 * the bot has one, rewrites it into a standalone question from the conversation; without one (or if that
 * fails) it is searched together with the visitor's previous question, which is what "that" points back to.
 */
export async function searchQuery(
  question: string,
  history: readonly HistoryTurn[],
  model: ChatModel | null,
  options: { model: string; signal?: AbortSignal },
): Promise<SearchQuery> {
  const previous = [...history].reverse().find((turn) => turn.role === 'visitor');
  if (!previous || !leansOnContext.test(question)) return { text: question, rewrite: null };
  if (model) {
    try {
      const completion = await model.complete(
        {
          model: options.model,
          temperature: 0,
          maxTokens: 120,
          messages: [
            {
              role: 'system',
              content:
                "Rewrite the visitor's last message as one standalone question that can be understood without the conversation, keeping its language. Reply with the question only.",
            },
            ...historyWithinBudget([...history], rewriteHistoryTokens),
            { role: 'user', content: question },
          ],
          question,
          context: [],
          signal: options.signal,
        },
        () => {},
      );
      const rewritten = completion.content.trim();
      if (rewritten)
        return { text: rewritten, rewrite: { model: completion.model, usage: completion.usage } };
    } catch {
      // The answer itself will meet the same model; for the search, the offline rewrite below does.
    }
  }
  return { text: `${previous.content}\n${question}`, rewrite: null };
}
