/**
 * Property tests of renderMarkdown in headless Chromium: for any answer, hostile Markdown and HTML included,
 * the DOM holds only the elements and attributes the renderer means to make (no script, no image, no `on*`
 * handler), every link goes to http(s) or mailto, and an answer streamed in any pieces ends as the same DOM
 * as the whole answer rendered at once (the widget renders the text received so far after every delta).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { Transcript, type SourceRef } from '@chatbot/shared';
import { launchBrowser } from '../../test/browser';
import { bundleMarkdown, type MarkdownTestWindow } from '../../test/bundle-markdown';

type TestWindow = MarkdownTestWindow;

// Fixed seed and bounded runs: a failure reproduces, and the file stays within seconds.
const runs = (numRuns: number) => ({ seed: 0x3d0, numRuns });

/** What one rendering holds that it should not; empty lists when it is clean. */
interface Findings {
  html: string;
  /** Elements the renderer never means to make. */
  elements: string[];
  /** Attributes outside each element's allowed ones (every `on*` handler among them). */
  attributes: string[];
  /** Links whose target is not http(s) or mailto, or that do not open in a new tab without an opener. */
  links: string[];
  /** Clickable links made, so a run that never made one (and so checked none) shows. */
  clickable: number;
}

// --- Hostile answers ------------------------------------------------------------------------------------

const scheme = fc.constantFrom(
  'javascript',
  'JaVaScRiPt',
  'JAVASCRIPT',
  'vbscript',
  'VBScript',
  'data',
  'DATA',
  'file',
  'blob',
  'about',
  'ftp',
  'ws',
  'intent',
  'http',
  'https',
  'HTTPS',
  'mailto',
);
/** Ways to dress a scheme so a naive check misses it: spaces, controls, entities, escapes, broken words. */
const disguise = fc.constantFrom(
  (s: string) => `${s}:`,
  (s: string) => ` ${s}:`,
  (s: string) => `\t${s}:`,
  (s: string) => `\u0000${s}:`,
  (s: string) => `\u0001${s}:`,
  (s: string) => `${s.slice(0, 4)}\t${s.slice(4)}:`,
  (s: string) => `${s.slice(0, 4)}\n${s.slice(4)}:`,
  (s: string) => `${s}&colon;`,
  (s: string) => `${s}&#58;`,
  (s: string) => `&#${s.charCodeAt(0)};${s.slice(1)}:`,
  (s: string) => `&#x${s.charCodeAt(0).toString(16)};${s.slice(1)}:`,
  (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}:`,
  (s: string) => `${s}\\:`,
  (s: string) => `${s}://`,
);
const payload = fc.constantFrom(
  'window.__xss=1',
  'alert(1)',
  '//example.com/%0Awindow.__xss=1',
  'text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==',
  'text/html,<script>window.__xss=1</script>',
  'help@example.com',
  '//example.com/a(b)c',
  '',
);
const url = fc.oneof(
  fc.tuple(scheme, disguise, payload).map(([s, dress, rest]) => dress(s) + rest),
  fc.constantFrom('/relative', 'page.html', '//example.com/x', '#top', ''),
  fc.webUrl(),
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('[', ']', '(', ')', '[1]', '[2]', '[x]', '![', '<', '>', '`', '**', '*', '_', '~~', '\\'),
);
const rawHtml = fc.constantFrom(
  '<script>window.__xss=1</script>',
  '<img src=x onerror=window.__xss=1>',
  '<IMG SRC="x" ONERROR="window.__xss=1">',
  '<svg onload=window.__xss=1>',
  '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/></svg>',
  '<a href="javascript:window.__xss=1">x</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<details open ontoggle=window.__xss=1>',
  '<input autofocus onfocus=window.__xss=1>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<style>@import "javascript:window.__xss=1";</style>',
  '<body onload=window.__xss=1>',
  '&lt;script&gt;',
  '<!--',
  '-->',
  ']]>',
);
const markdown: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      text,
      rawHtml,
      fc.tuple(text, url).map(([label, target]) => `[${label}](${target})`),
      fc.tuple(text, url).map(([label, target]) => `![${label}](${target})`),
      fc.tuple(text, url, text).map(([label, target, title]) => `[${label}](${target} "${title}")`),
      fc.tuple(text, url, url).map(([label, inner, outer]) => `[[${label}](${inner})](${outer})`),
      fc.tuple(text, url).map(([label, target]) => `[${label}](<${target}>)`),
      url.map((target) => `<${target}>`),
      url,
      fc.constantFrom(
        '\n',
        '\n\n',
        '# ',
        '> ',
        '- ',
        '1. ',
        '3. ',
        '```\n',
        '```js\n',
        '`',
        '| a | b |\n|---|---|\n',
        '---\n',
        '$$',
        '$',
      ),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

/** Sources an answer may cite, their titles as hostile as the answer. */
const sources: fc.Arbitrary<SourceRef[]> = fc.uniqueArray(
  fc.record({
    index: fc.integer({ min: 1, max: 3 }),
    title: fc.oneof(fc.string({ maxLength: 10 }), rawHtml),
    heading: fc.option(rawHtml, { nil: undefined }),
    documentId: fc.constant('d1'),
    chunkIndex: fc.nat(5),
    snippet: fc.constant('s'),
  }),
  { selector: (source) => source.index, maxLength: 3 },
);

/** Cuts `text` into pieces at the given offsets, as the model's deltas arrive (surrogate pairs may be split). */
function splitAt(text: string, cuts: readonly number[]): string[] {
  const offsets = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const offset of [...offsets, text.length]) {
    pieces.push(text.slice(from, offset));
    from = offset;
  }
  return pieces;
}

describe('markdown (property-based, in headless Chromium)', function () {
  let browser: Browser;
  let page: Page;

  before(async () => {
    const code = await bundleMarkdown();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code });
    await page.evaluate(() => {
      (window as unknown as TestWindow).__xss = 0;
    });
  });

  after(async () => {
    await browser?.close();
  });

  /**
   * Renders each text in the page, attaches it (so that a handler or a resource would fire) and reports what
   * each rendering holds that it should not.
   */
  function inspect(texts: readonly string[], cited: readonly SourceRef[]): Promise<Findings[]> {
    return page.evaluate(
      ([texts, cited]) => {
        const allowed: Record<string, string[]> = {
          div: [],
          p: [],
          blockquote: [],
          pre: [],
          code: [],
          em: [],
          strong: [],
          s: [],
          span: [],
          br: [],
          hr: [],
          ul: [],
          ol: ['start'],
          li: [],
          table: [],
          tr: [],
          td: [],
          a: ['href', 'target', 'rel'],
          sup: ['class', 'part', 'title'],
        };
        return texts.map((text) => {
          const root = (window as unknown as TestWindow).markdown.renderMarkdown(text, cited);
          document.body.append(root);
          const elements = [root, ...root.querySelectorAll('*')];
          const links = [...root.querySelectorAll('a')].flatMap((a) => {
            const href = a.getAttribute('href');
            if (href === null) return [];
            const protocol = URL.canParse(href) ? new URL(href).protocol : 'unparsable';
            const safe =
              ['http:', 'https:', 'mailto:'].includes(protocol) &&
              a.target === '_blank' &&
              a.rel === 'noopener noreferrer';
            return safe ? [] : [`${href} (${protocol}, target ${a.target}, rel ${a.rel})`];
          });
          return {
            html: root.innerHTML,
            elements: elements.map((e) => e.tagName.toLowerCase()).filter((tag) => !(tag in allowed)),
            attributes: elements.flatMap((e) => {
              const tag = e.tagName.toLowerCase();
              return e
                .getAttributeNames()
                .filter((name) => !(allowed[tag] ?? []).includes(name))
                .map((name) => `${tag}[${name}]`);
            }),
            links,
            clickable: root.querySelectorAll('a[href]').length,
          };
        });
      },
      [texts, cited] as const,
    );
  }

  function assertClean(findings: Findings, text: string): void {
    const context = `${JSON.stringify(text)} → ${findings.html}`;
    assert.deepEqual(findings.elements, [], `unexpected elements: ${context}`);
    assert.deepEqual(findings.attributes, [], `unexpected attributes: ${context}`);
    assert.deepEqual(findings.links, [], `unsafe links: ${context}`);
  }

  it('keeps a line break inside its paragraph, and the paragraphs after it', async () => {
    // Found by the properties below: a line break closed its paragraph, then the root, and the next
    // paragraph threw; every answer with a single newline before a blank line broke the widget.
    const [findings] = await inspect(['Line one\nline two\n\nNext\n\n---\n\nEnd'], []);
    assert.equal(findings!.html, '<p>Line one<br>line two</p><p>Next</p><hr><p>End</p>');
  });

  it('makes only its own elements and attributes, and links only to http(s) and mailto, for any answer', async () => {
    let clickable = 0;
    await fc.assert(
      fc.asyncProperty(markdown, sources, async (answer, cited) => {
        const [findings] = await inspect([answer], cited);
        assertClean(findings!, answer);
        clickable += findings!.clickable;
      }),
      runs(300),
    );
    assert.ok(clickable > 20, `only ${clickable} clickable links were made: the link checks went untested`);
    // Everything rendered is still attached: had any of it run a payload, the marker would be set by now.
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__xss), 0);
    await page.evaluate(() => document.body.replaceChildren());
  });

  it('renders an answer streamed in any pieces as the same DOM as all at once, clean at every step', async () => {
    const pieces = fc.array(fc.nat(), { maxLength: 8 });
    // Where each piece goes in the delivery order: deltas can arrive out of order, and twice.
    const order = fc.array(fc.nat(), { maxLength: 16 });
    await fc.assert(
      fc.asyncProperty(markdown, pieces, order, sources, async (answer, cuts, deliveryKeys, cited) => {
        // The pieces go through the widget's own transcript, as `message:delta` events do.
        const transcript = new Transcript();
        transcript.add({
          id: 'm1',
          conversationId: 'c1',
          seq: 1,
          role: 'bot',
          content: '',
          state: 'streaming',
          sources: [],
          clientMessageId: 'm1',
          createdAt: new Date(0).toISOString(),
        });
        let offset = 0;
        const deltas = splitAt(answer, cuts).map((delta) => {
          const at = offset;
          offset += delta.length;
          return { conversationId: 'c1', messageId: 'm1', offset: at, delta };
        });
        const deliveries = [...deltas, ...deltas.slice(0, 2)]
          .map((delta, i) => ({ delta, key: deliveryKeys[i] ?? i }))
          .sort((a, b) => a.key - b.key);
        const steps = deliveries.map(({ delta }) => {
          transcript.addDelta(delta);
          return transcript.messages[0]!.content;
        });
        assert.equal(steps.at(-1), answer, 'the deltas add up to the answer');
        const rendered = await inspect([...steps, answer], cited);
        rendered.forEach((findings, i) => assertClean(findings, steps[i] ?? answer));
        assert.equal(rendered.at(-2)!.html, rendered.at(-1)!.html, 'streamed and whole renderings differ');
      }),
      runs(150),
    );
    await page.evaluate(() => document.body.replaceChildren());
  });
});
