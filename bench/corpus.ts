/**
 * Deterministic English-like prose for the benchmarks. Sentences are assembled from a fixed word list by a
 * seeded generator, so every run sees the same text, yet no two chunks repeat: identical chunks would make
 * embeddings collide and flatter the vector index.
 */

/** mulberry32: a tiny seeded generator, good enough to pick words and far faster than crypto. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DETERMINERS = ['the', 'a', 'every', 'each', 'this', 'that', 'one', 'no', 'some', 'another'];
const ADJECTIVES = (
  'quiet bright early late narrow broad careful sudden distant local rural urban ancient modern simple ' +
  'complex heavy light rapid slow formal casual private public steady fragile costly cheap famous obscure ' +
  'northern southern eastern western annual weekly minor major honest clever stubborn patient anxious ' +
  'generous secure remote digital manual tidy rough smooth frozen humid dusty fertile barren loyal curious ' +
  'hidden visible silent noisy gentle fierce elegant plain crowded empty wooden metallic coastal alpine'
).split(' ');
const NOUNS = (
  'engineer farmer teacher river harbour village market library council bridge tower garden merchant ' +
  'painter sailor doctor student winter summer autumn spring mountain valley forest desert island ' +
  'museum theatre factory railway station kitchen window letter journal ledger contract budget report ' +
  'committee orchestra festival harvest storm lantern compass engine turbine satellite archive recipe ' +
  'manuscript province citizen neighbour traveller courier signal network warehouse vineyard quarry ' +
  'lighthouse monastery caravan expedition telescope glacier estuary meadow orchard workshop academy ' +
  'cathedral customs treaty tariff invoice ferry canal aqueduct tapestry'
).split(' ');
const VERBS = (
  'inspects repairs describes measures protects delivers collects examines borrows restores publishes ' +
  'questions follows ignores replaces supports visits explains records reviews approves rejects designs ' +
  'builds crosses guards sketches translates abandons celebrates predicts schedules negotiates surveys ' +
  'catalogues weighs polishes dismantles assembles finances insures audits charts reroutes illuminates'
).split(' ');
const ADVERBS = (
  'quietly rarely often briefly carefully eventually suddenly gradually openly reluctantly promptly ' +
  'cautiously proudly nervously patiently secretly formally generously'
).split(' ');
const PREPOSITIONS =
  'near beside behind across beyond under above within without toward despite after before'.split(' ');
const CONJUNCTIONS = ['and', 'but', 'while', 'because', 'although', 'so', 'until', 'whereas'];

/** Builds sentences, paragraphs and pages of prose from one seed. */
export class Prose {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** One sentence of 8-30 words: clauses, optional adverbs, prepositional phrases and numbers. */
  sentence(): string {
    let text = this.clause();
    if (this.random() < 0.45) text += `, ${this.pick(CONJUNCTIONS)} ${this.clause()}`;
    if (this.random() < 0.2) text = `${capitalise(this.pick(ADVERBS))}, ${text}`;
    if (this.random() < 0.15) text += ` in ${1700 + Math.floor(this.random() * 325)}`;
    return `${capitalise(text)}.`;
  }

  /** A paragraph of `min`-`max` sentences. */
  paragraph(min = 3, max = 7): string {
    const count = min + Math.floor(this.random() * (max - min + 1));
    return Array.from({ length: count }, () => this.sentence()).join(' ');
  }

  /** Paragraphs joined by spaces until the text reaches `characters`. */
  text(characters: number): string {
    let text = this.paragraph();
    while (text.length < characters) text += ` ${this.paragraph()}`;
    return text;
  }

  /** A short title-cased phrase, for headings. */
  title(): string {
    return [this.pick(ADJECTIVES), this.pick(NOUNS), this.pick(PREPOSITIONS), this.pick(NOUNS)]
      .map(capitalise)
      .join(' ');
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return Math.floor(this.random() * bound);
  }

  private clause(): string {
    let clause = `${this.nounPhrase()} ${this.random() < 0.3 ? `${this.pick(ADVERBS)} ` : ''}${this.pick(VERBS)} ${this.nounPhrase()}`;
    if (this.random() < 0.6) clause += ` ${this.pick(PREPOSITIONS)} ${this.nounPhrase()}`;
    return clause;
  }

  private nounPhrase(): string {
    const rest = `${this.random() < 0.6 ? `${this.pick(ADJECTIVES)} ` : ''}${this.pick(NOUNS)}`;
    const determiner = this.pick(DETERMINERS);
    return `${determiner === 'a' && /^[aeiou]/.test(rest) ? 'an' : determiner} ${rest}`;
  }

  private pick(words: readonly string[]): string {
    return words[Math.floor(this.random() * words.length)]!;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
