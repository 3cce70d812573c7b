/**
 * What the load scenarios teach their bots and what the fake model answers. The policy answers the
 * questions of bench/chat-harness.ts (ASKS): a bot that finds nothing abstains without calling the model,
 * and then no answer would be streamed at all.
 */
import { Prose } from '../corpus';

export const POLICY_DOCUMENT = {
  name: 'store-policies.txt',
  text: [
    'Returns and refunds: an unused item in its original box may be returned within 30 days of delivery ' +
      'for a full refund to the card it was paid with.',
    'Shipping: parcels to Canada arrive in five to seven business days, and parcels within the EU in two ' +
      'to four business days.',
    'Support hours: the support team answers emails on weekdays from 9 to 17 CET; the chat is open day ' +
      'and night.',
    'Gift cards: a gift card never expires and pays for any product, sale items included.',
  ].join('\n\n'),
};

/** The fake model's answer: about 50 words, as a short reply is, citing the first passage. */
export const ANSWER =
  'You can return an unused item in its original box within 30 days of delivery for a full refund [1]. ' +
  'Start the return from your order page and we will email you a prepaid label; the refund reaches the ' +
  'card you paid with a few days after the parcel arrives. Ask here if anything about it is unclear.';

/** Characters of generated text per search-corpus document: about 20 chunks of the default size. */
const DOCUMENT_CHARACTERS = 60_000;

/**
 * `count` documents of generated prose (bench/corpus.ts) in paragraphs, for the search scenario: the
 * same every run, and no two chunks alike.
 */
export function searchCorpus(count: number): Array<{ name: string; text: string }> {
  const prose = new Prose(11);
  return Array.from({ length: count }, (_, i) => {
    const paragraphs = [prose.title()];
    let length = 0;
    while (length < DOCUMENT_CHARACTERS) {
      const paragraph = prose.paragraph();
      paragraphs.push(paragraph);
      length += paragraph.length;
    }
    return { name: `corpus-${String(i + 1).padStart(3, '0')}.txt`, text: paragraphs.join('\n\n') };
  });
}

/** Questions in the corpus's vocabulary, so the nearest chunks are real matches. */
export function searchQuestions(count: number): string[] {
  const prose = new Prose(12);
  return Array.from({ length: count }, () => prose.sentence());
}
