/**
 * Normalised characters a run must share with a protected text before the answer is stopped: about a dozen
 * words, longer than a phrase an answer may share with the bot's setup by chance.
 */
export const disclosureWindow = 64;

/** What the visitor reads instead of an answer that repeated the bot's setup. */
export const disclosureRefusalText =
  "Sorry, I can't share how I was set up. Ask me anything about the topics I know, or ask to talk to a person.";

/** Thrown by {@link DisclosureGuard.push} once the answer repeats a protected text: stop the model there. */
export class DisclosureDetected extends Error {
  override readonly name = 'DisclosureDetected';
  constructor() {
    super("The answer repeated the bot's instructions; it was replaced with a refusal.");
  }
}

/**
 * Keeps an answer from repeating texts the visitor must not read verbatim (the bot's instructions and the
 * rules of its prompt), however the model re-spaces, re-cases, re-punctuates or accents them: it compares
 * letters and digits only, lower-cased, without accents.
 *
 * It holds back the tail of the stream that holds the last `window - 1` such characters, so that when a run
 * of `window` of them matches, none of that run has been passed on. The promise is exact: no run of `window`
 * consecutive normalised characters of a protected text reaches the visitor; shorter fragments may, as may
 * a protected text rewritten (translated, encoded) by the model.
 */
export class DisclosureGuard {
  /** Every run of `window` normalised characters of the protected texts. */
  private readonly runs = new Set<string>();
  /** The last `window - 1` normalised characters seen, to find runs across two pieces. */
  private recent = '';
  /** Text received and not passed on yet. */
  private held = '';
  private detected = false;

  constructor(
    protectedTexts: string[],
    private readonly window = disclosureWindow,
  ) {
    for (const text of protectedTexts) {
      const normal = normalise(text);
      for (let end = window; end <= normal.length; end++) this.runs.add(normal.slice(end - window, end));
    }
  }

  /**
   * Takes the next piece of the answer and returns what may be passed on now (possibly nothing).
   * @throws DisclosureDetected when the answer so far ends with a protected run, and on every call after.
   */
  push(text: string): string {
    if (this.detected) throw new DisclosureDetected();
    const seen = this.recent + normalise(text);
    for (let end = Math.max(this.window, this.recent.length + 1); end <= seen.length; end++) {
      if (this.runs.has(seen.slice(end - this.window, end))) {
        this.detected = true;
        this.held = '';
        throw new DisclosureDetected();
      }
    }
    this.recent = seen.slice(-(this.window - 1));
    this.held += text;
    return this.release();
  }

  /** The held-back tail, at the end of the answer (nothing once a disclosure was detected). */
  flush(): string {
    const rest = this.detected ? '' : this.held;
    this.held = '';
    return rest;
  }

  /** Passes on all but the shortest tail holding `window - 1` normalised characters. */
  private release(): string {
    const chars = [...this.held];
    let kept = 0;
    let start = chars.length;
    while (start > 0 && kept < this.window - 1) kept += normalise(chars[--start]!).length;
    const released = chars.slice(0, start).join('');
    this.held = chars.slice(start).join('');
    return released;
  }
}

/**
 * Letters and digits, lower-cased, accents dropped; character by character (lower-casing a whole Greek
 * word changes its last sigma), so a text cut in pieces normalises to the same as the whole.
 */
function normalise(text: string): string {
  let normal = '';
  for (const char of text) normal += char.normalize('NFKD').toLowerCase();
  return normal.replace(/[^\p{L}\p{N}]/gu, '');
}
