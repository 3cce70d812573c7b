import { searchTerms } from '@chatbot/shared/platform';

/** Chunks sharing this much of their word triples say the same thing (a document uploaded twice, a copy). */
const duplicateSimilarity = 0.8;

/**
 * The first `limit` of `items` that do not nearly repeat an earlier one (Jaccard similarity of their word
 * triples at least 0.8), order kept: five passages of one text uploaded as PDF and as DOCX would otherwise
 * fill the context with the same words. Neighbouring chunks of a document share only their overlap, far
 * below that. It stops once `limit` are kept: a search ranks some forty candidates to keep five, and
 * reading every candidate's words was most of the CPU a search cost.
 */
export function withoutNearDuplicates<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  limit = Infinity,
): T[] {
  const kept: { item: T; shingles: Set<string> }[] = [];
  for (const item of items) {
    if (kept.length >= limit) break;
    const shingles = shinglesOf(textOf(item));
    if (kept.some((other) => jaccard(shingles, other.shingles) >= duplicateSimilarity)) continue;
    kept.push({ item, shingles });
  }
  return kept.map(({ item }) => item);
}

function shinglesOf(text: string): Set<string> {
  const terms = searchTerms(text);
  const shingles = new Set<string>();
  if (terms.length < 3) shingles.add(terms.join(' '));
  for (let i = 0; i + 3 <= terms.length; i++) shingles.add(`${terms[i]} ${terms[i + 1]} ${terms[i + 2]}`);
  return shingles;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const shingle of small) if (large.has(shingle)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}
