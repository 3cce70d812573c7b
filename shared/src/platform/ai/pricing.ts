import { OFFLINE_MODEL } from './offline-answerer';

/** USD per million tokens, prompt (input) and completion (output). */
interface Price {
  input: number;
  output: number;
}

// OpenAI's list prices for standard (not batch, not cached-input) usage. A dated snapshot
// (gpt-4o-mini-2024-07-18) costs what its family does, so it is looked up by its longest listed prefix.
const PRICES: Readonly<Record<string, Price>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  [OFFLINE_MODEL]: { input: 0, output: 0 },
};

// Longest first, so the first prefix that matches is the most specific one.
const NAMES = Object.keys(PRICES).sort((a, b) => b.length - a.length);

/** The listed price of `model`: its own, or that of the longest listed name it extends with a `-suffix`. */
function priceOf(model: string): Price | undefined {
  const name = model.trim().toLowerCase();
  const listed = NAMES.find((n) => name === n || name.startsWith(`${n}-`));
  return listed === undefined ? undefined : PRICES[listed];
}

/** Whether {@link priceUsd} knows what `model` costs (an unknown model is counted as free). */
export function isPriced(model: string): boolean {
  return priceOf(model) !== undefined;
}

/**
 * What an answer cost in US dollars at OpenAI's list prices, rounded to 8 decimals; 0 for the offline
 * answerer and for a model missing from the table (check with {@link isPriced}).
 */
export function priceUsd(model: string, usage: { promptTokens: number; completionTokens: number }): number {
  const price = priceOf(model);
  if (!price) return 0;
  const usd = (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
