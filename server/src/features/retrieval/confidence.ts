import { searchTerms } from '@chatbot/shared/platform';
import { titleWords, type LexicalIndex } from './lexical-index';

/**
 * How well the best passage covers the question, from 0 to 1: the share of the question's content terms it
 * contains, each weighted by its rarity in the bot's documents (IDF). A question about something the
 * documents never mention ("do you ship to Canada?") leaves its rarest terms uncovered and scores low,
 * however close the nearest vectors happen to be; common words ("use", "work") barely count either way.
 * A question without content terms ("hi", "why?") scores 0.
 */
export function answerConfidence(
  index: LexicalIndex,
  query: string,
  passages: readonly { text: string; title: string; heading?: string }[],
): number {
  const wanted = new Set(searchTerms(query));
  let total = 0;
  for (const term of wanted) total += index.idf(term);
  if (total === 0) return 0;
  let best = 0;
  for (const passage of passages) {
    const present = new Set(searchTerms(`${titleWords(passage.title)} ${passage.heading ?? ''} ${passage.text}`));
    let covered = 0;
    for (const term of wanted) if (present.has(term)) covered += index.idf(term);
    best = Math.max(best, covered / total);
  }
  return best;
}
