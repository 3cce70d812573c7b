import { searchTerms, sourceWords } from '@chatbot/shared/platform';

/**
 * How well the best passage covers the question, from 0 to 1: the share of the question's content terms it
 * contains, each weighted by `termWeight`: its rarity in the bot's documents (IDF) times how much it says
 * about the subject (`termSalience`: "way", "get", "use" little). A question about something the
 * documents never mention ("do you ship to Canada?") leaves its rarest terms uncovered and scores low,
 * however close the nearest vectors happen to be; common words ("use", "work") barely count either way.
 * A question without content terms ("hi", "why?") scores 0.
 */
export function answerConfidence(
  termWeight: (term: string) => number,
  query: string,
  passages: readonly { text: string; title: string; heading?: string }[],
): number {
  const weights = new Map<string, number>();
  for (const term of searchTerms(query)) weights.set(term, termWeight(term));
  let total = 0;
  for (const weight of weights.values()) total += weight;
  if (total === 0) return 0;
  let best = 0;
  for (const passage of passages) {
    const present = new Set(
      searchTerms(`${sourceWords(passage.title)} ${passage.heading ?? ''} ${passage.text}`),
    );
    let covered = 0;
    for (const [term, weight] of weights) if (present.has(term)) covered += weight;
    best = Math.max(best, covered / total);
  }
  return best;
}
