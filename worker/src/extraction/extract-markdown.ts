import { SectionBuilder } from './section-builder';
import type { ExtractedText } from './types';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
/** Lines that are only markup: thematic breaks, setext underlines, table separator rows. */
const MARKUP_ONLY = /^ {0,3}(?:(?:[-*_] *){3,}|=+ *|\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *)$/;
const LINK_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S/;

/**
 * Reads Markdown into sections: # … ###### headings build the heading paths, the blocks under a heading
 * become its section. Markup is stripped lightly, keeping the words; fenced code is kept as written.
 */
export function extractMarkdown(markdown: string): ExtractedText {
  const builder = new SectionBuilder();
  let block: string[] = [];
  // The fence that opened the code block being read, if any; only the same kind of fence closes it.
  let fence: string | undefined;
  const endBlock = (): void => {
    builder.paragraph(block.join('\n'));
    block = [];
  };

  // Comments (badges' notes, editors' markers) often span lines, so they go before the text is split.
  for (const line of markdown.replace(/<!--[\s\S]*?-->/g, '').split(/\r\n?|\n/)) {
    if (fence) {
      if (line.trim().startsWith(fence)) {
        fence = undefined;
        endBlock();
      } else {
        block.push(line);
      }
      continue;
    }
    const opening = FENCE.exec(line)?.[1];
    const heading = HEADING.exec(line);
    if (opening) {
      endBlock();
      fence = opening;
    } else if (heading) {
      endBlock();
      builder.heading(heading[1]?.length ?? 1, stripInline(heading[2] ?? ''));
    } else if (!line.trim()) {
      endBlock();
    } else if (!MARKUP_ONLY.test(line) && !LINK_DEFINITION.test(line)) {
      block.push(stripInline(stripLinePrefix(line)));
    }
  }
  endBlock();
  const sections = builder.finish();
  return builder.title ? { title: builder.title, sections } : { sections };
}

/** Drops what a line starts with to mark its block: quote markers, list bullets and numbers, task boxes, table edges. */
function stripLinePrefix(line: string): string {
  return line
    .replace(/^ *(?:> ?)+/, '')
    .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/, '')
    .replace(/^\s*\|(.*?)\|?\s*$/, '$1');
}

/** Keeps the words of inline markup: link and image text, emphasised and code text, autolinked addresses. */
function stripInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/gi, '$1')
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^>]*)?\/?>/gi, '')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])([*_])(?=\S)(.*?\S)\2(?![\w*])/g, '$1$3')
    .replace(/~~(?=\S)(.*?\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, '$1');
}
