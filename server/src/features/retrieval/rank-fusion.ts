/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each ranking adds 1 / (k + rank) for every
 * id it holds. Only ranks count, so scores of different kinds (cosine similarity, BM25) need no common
 * scale, and an id near the top of either list rises. k = 60 is the paper's value, kept by Elasticsearch
 * and others: it damps the difference between the very first ranks.
 */
export function fuseRankings(rankings: readonly (readonly string[])[], k = 60): string[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  }
  // Ties (the same ranks in swapped lists) keep the order of first appearance, which favours the first list.
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}
