import { DOMParser } from 'linkedom';
import type { SectionBuilder } from './section-builder';

/** The slice of the DOM the walk reads; linkedom's nodes provide it. */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: Iterable<DomNode>;
}

/** A parsed HTML document, as linkedom types it. */
export type HtmlDocument = ReturnType<typeof parseDocument>;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Elements whose content is code, chrome or invisible rather than the document's text. */
const SKIPPED = new Set([
  'head',
  'title',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'footer',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'select',
  'button',
]);
/** Elements that end the paragraph before them and start a new one after. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'form',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const CELLS = new Set(['td', 'th']);
const HEADING = /^h([1-6])$/;

/**
 * Parses HTML into a document with head and body. linkedom builds the tree exactly as written, without the
 * elements a browser would imply: a fragment, or a page without <html>, would come out without a body.
 */
export function parseDocument(html: string) {
  const head = /<head(?:\s[^>]*)?>([\s\S]*?)<\/head\s*>/i.exec(html)?.[1] ?? '';
  const body = html.replace(
    /<!doctype[^>]*>|<\?xml[^>]*>|<\/?html(?:\s[^>]*)?>|<head(?:\s[^>]*)?>[\s\S]*?<\/head\s*>|<\/?body(?:\s[^>]*)?>/gi,
    '',
  );
  return new DOMParser().parseFromString(
    `<!doctype html><html><head>${head}</head><body>${body}</body></html>`,
    'text/html',
  );
}

/**
 * Walks an HTML tree in document order: h1–h6 open headings, paragraphs and list items become paragraphs
 * under them, and a table row becomes one line with its cells separated by " | " so it reads as a record.
 */
export function addHtmlSections(root: DomNode, builder: SectionBuilder): void {
  let paragraph = '';
  const endParagraph = (): void => {
    builder.paragraph(paragraph);
    paragraph = '';
  };

  const visit = (node: DomNode, inPre: boolean, inCell: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? '';
      paragraph += inPre ? text : text.replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    // linkedom reports some tag names in upper case and some in lower.
    const tag = node.nodeName.toLowerCase();
    if (SKIPPED.has(tag)) return;
    const level = HEADING.exec(tag)?.[1];
    if (level) {
      endParagraph();
      builder.heading(Number(level), node.textContent ?? '');
      return;
    }
    if (tag === 'br') {
      paragraph += '\n';
      return;
    }
    if (CELLS.has(tag) && paragraph.trim()) paragraph += ' | ';
    // Inside a cell, blocks (Word puts a <p> in every cell) only separate words, to keep the row on one line.
    const breaks = BLOCKS.has(tag) && !inCell;
    if (breaks) endParagraph();
    else if (BLOCKS.has(tag)) paragraph += ' ';
    for (const child of node.childNodes) visit(child, inPre || tag === 'pre', inCell || CELLS.has(tag));
    if (breaks) endParagraph();
  };

  visit(root, false, false);
  endParagraph();
}
