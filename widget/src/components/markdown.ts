import type { SourceRef } from '@chatbot/shared';
import * as smd from 'streaming-markdown';

/** Tags for the Markdown tokens the widget shows; anything else becomes a plain span. */
const TAGS = new Map<number, string>([
  [smd.Token.Paragraph, 'p'],
  [smd.Token.Blockquote, 'blockquote'],
  [smd.Token.Code_Block, 'pre'],
  [smd.Token.Code_Fence, 'pre'],
  [smd.Token.Code_Inline, 'code'],
  [smd.Token.Italic_Ast, 'em'],
  [smd.Token.Italic_Und, 'em'],
  [smd.Token.Strong_Ast, 'strong'],
  [smd.Token.Strong_Und, 'strong'],
  [smd.Token.Strike, 's'],
  [smd.Token.Link, 'a'],
  [smd.Token.Raw_URL, 'a'],
  [smd.Token.Image, 'a'],
  [smd.Token.Line_Break, 'br'],
  [smd.Token.Rule, 'hr'],
  [smd.Token.List_Unordered, 'ul'],
  [smd.Token.List_Ordered, 'ol'],
  [smd.Token.List_Item, 'li'],
  [smd.Token.Table, 'table'],
  [smd.Token.Table_Row, 'tr'],
  [smd.Token.Table_Cell, 'td'],
  [smd.Token.Equation_Inline, 'code'],
  [smd.Token.Equation_Block, 'pre'],
  // A heading inside a chat bubble is a line in bold, not a page heading.
  ...[1, 2, 3, 4, 5, 6].map((level) => [smd.level_to_heading(level), 'strong'] as [number, string]),
]);

/** Only these schemes become clickable links; anything else (javascript:, data:…) stays text. */
const SAFE_URL = /^(https?:|mailto:)/i;

/** Whether `url` may be a link target in the widget. */
export function isSafeUrl(url: string): boolean {
  try {
    return SAFE_URL.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * `text` (an answer in Markdown) as DOM, without any HTML ever being parsed: the parser hands over
 * tokens and text, and every text goes in as a text node, so markup in an answer shows as the characters
 * it is. Links open in a new tab with `rel="noopener noreferrer"` and only for http(s) and mailto;
 * images become links (an answer never loads a picture by itself); and a bracketed number the answer
 * cites, `[2]`, becomes a citation of `sources` (with the source's title) when it names one of them.
 */
export function renderMarkdown(text: string, sources: readonly SourceRef[]): HTMLElement {
  const root = document.createElement('div');
  const stack: HTMLElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  /** Closes the innermost open token; `finished` is false for what the text ended inside of. */
  const closeToken = (finished = true) => {
    const element = stack.pop();
    if (element?.tagName === 'CODE' && element.parentElement?.dataset.block === '') {
      stack.pop();
      delete element.parentElement.dataset.block;
    }
    if (element instanceof HTMLAnchorElement) finishLink(element, sources, finished);
  };
  const parser = smd.parser({
    data: null,
    add_token(_data: null, type: number) {
      const tag = TAGS.get(type) ?? 'span';
      const element = document.createElement(tag);
      if (type === smd.Token.Code_Block || type === smd.Token.Code_Fence) {
        // Code text goes into a <code> inside the <pre>; it is closed with the <pre>.
        top().append(element);
        stack.push(element);
        const code = document.createElement('code');
        element.append(code);
        stack.push(code);
        element.dataset.block = '';
        return;
      }
      top().append(element);
      // Every token is pushed, <br> and <hr> too: the parser ends each one it adds (a line break with an
      // end_token right after it), and not pushing them closed their parent instead, then the root, and the
      // next paragraph had nowhere to go ("a\nb\n\nc" threw).
      stack.push(element);
    },
    end_token: () => closeToken(),
    add_text(_data: null, chunk: string) {
      top().append(document.createTextNode(chunk));
    },
    set_attr(_data: null, type: number, value: string) {
      const element = top();
      if ((type === smd.Attr.Href || type === smd.Attr.Src) && element instanceof HTMLAnchorElement) {
        element.dataset.href = value;
      } else if (type === smd.Attr.Start && element instanceof HTMLOListElement) {
        element.start = Number.parseInt(value, 10) || 1;
      }
    },
  });
  smd.parser_write(parser, text);
  smd.parser_end(parser);
  // The parser leaves open what the text has not closed yet (mid-stream, or an answer cut off): close it
  // here, so that an unfinished link reads as the text it is so far.
  while (stack.length > 1) closeToken(false);
  return root;
}

/**
 * A parsed link as the widget shows it: a safe target opening in a new tab; a citation of a source; or,
 * with no usable target, its text as written (brackets included, so "[see below]" reads as before; a link
 * the text has not finished yet reads "[see bel" until it does).
 */
function finishLink(a: HTMLAnchorElement, sources: readonly SourceRef[], finished: boolean): void {
  const href = a.dataset.href ?? '';
  const text = a.textContent ?? '';
  delete a.dataset.href;
  if (!finished) return a.replaceWith(`[${text}`);
  if (href && isSafeUrl(href)) {
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    if (!text) a.textContent = href;
    return;
  }
  const cited = !href && /^\d+$/.test(text) ? sources.find((s) => String(s.index) === text) : undefined;
  if (!cited) return a.replaceWith(href ? text : `[${text}]`);
  const citation = document.createElement('sup');
  citation.className = 'citation';
  citation.setAttribute('part', 'citation');
  citation.title = cited.heading ? `${cited.title} — ${cited.heading}` : cited.title;
  citation.textContent = `[${cited.index}]`;
  a.replaceWith(citation);
}
