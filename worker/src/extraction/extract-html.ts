import { Readability } from '@mozilla/readability';
import { addHtmlSections, parseDocument } from './html-sections';
import type { DomNode, HtmlDocument } from './html-sections';
import { singleLine } from './normalise-text';
import { SectionBuilder } from './section-builder';
import type { ExtractedText } from './types';

/**
 * Readability scores every element, about 20 ms per thousand under linkedom (worse when siblings pile up);
 * a bigger page is read whole instead. Its own maxElemsToParse can't do this: it counts elements with
 * getElementsByTagName('*'), which linkedom answers with nothing.
 */
const MAX_ELEMENTS_FOR_READABILITY = 20_000;

/**
 * Extracts an HTML page's main content, as Readability sees it, or the whole body (minus scripts, styles,
 * navigation and footers) when Readability finds nothing. Headings become heading paths; the title is the
 * page's <title>, else Readability's, else the first h1.
 */
export function extractHtml(html: string): ExtractedText {
  const page = parseDocument(html);
  const pageTitle = singleLine(page.querySelector('title')?.textContent ?? '');
  // Readability rearranges the page it reads, so the fallback parses the HTML afresh.
  const article = readArticle(page);
  const builder = new SectionBuilder();
  addHtmlSections(article?.content ?? parseDocument(html).body, builder);
  const sections = builder.finish();
  const title = pageTitle || article?.title || builder.title;
  return title ? { title, sections } : { sections };
}

/** Readability's pick of the main content, or undefined when it finds none (or no text in it). */
function readArticle(page: HtmlDocument): { content: DomNode; title: string } | undefined {
  if (page.querySelectorAll('*').length > MAX_ELEMENTS_FOR_READABILITY) return undefined;
  try {
    // Readability is typed with the DOM's Document; linkedom's is the same shape under another name.
    const article = new Readability<DomNode>(
      page as unknown as ConstructorParameters<typeof Readability>[0],
      {
        // Hand back the element itself rather than HTML that would only be parsed again.
        serializer: (node) => node as DomNode,
      },
    ).parse();
    if (!article?.content || !singleLine(article.textContent ?? '')) return undefined;
    return { content: article.content, title: singleLine(article.title ?? '') };
  } catch {
    // Readability is a heuristic written for browsers' DOMs; should it trip over linkedom's, the body remains.
    return undefined;
  }
}
