import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { SourceRef } from '@chatbot/shared';
import { launchBrowser } from '../../test/browser';
import { bundleMarkdown, type MarkdownTestWindow } from '../../test/bundle-markdown';

type TestWindow = MarkdownTestWindow;

const SOURCES: SourceRef[] = [
  { index: 1, title: 'Guide', heading: 'Setup', documentId: 'd1', chunkIndex: 0, snippet: 's' },
];

/** What the page hands back about one rendering. */
interface Rendered {
  html: string;
  text: string;
  /** Tag names of every element the rendering created, in document order. */
  tags: string[];
  /** Every <a>, with its attributes. */
  links: { href: string | null; target: string | null; rel: string | null; text: string }[];
}

describe('markdown (in headless Chromium)', function () {
  let browser: Browser;
  let page: Page;

  before(async () => {
    const code = await bundleMarkdown();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code });
    const loaded = await page.evaluate(
      () => typeof (window as unknown as TestWindow).markdown?.renderMarkdown,
    );
    assert.equal(loaded, 'function');
  });

  after(async () => {
    await browser?.close();
  });

  /** Renders `text` in the page (not attached to the document) and describes the result. */
  function render(text: string, sources: readonly SourceRef[] = SOURCES): Promise<Rendered> {
    return page.evaluate(
      ([text, sources]) => {
        const root = (window as unknown as TestWindow).markdown.renderMarkdown(text, sources);
        return {
          html: root.innerHTML,
          text: root.textContent ?? '',
          tags: [...root.querySelectorAll('*')].map((element) => element.tagName.toLowerCase()),
          links: [...root.querySelectorAll('a')].map((a) => ({
            href: a.getAttribute('href'),
            target: a.getAttribute('target'),
            rel: a.getAttribute('rel'),
            text: a.textContent ?? '',
          })),
        };
      },
      [text, sources] as const,
    );
  }

  /** Runs `selector` against the rendering of `text` and returns each match's text. */
  function select(
    text: string,
    selector: string,
    sources: readonly SourceRef[] = SOURCES,
  ): Promise<string[]> {
    return page.evaluate(
      ([text, selector, sources]) =>
        [
          ...(window as unknown as TestWindow).markdown
            .renderMarkdown(text, sources)
            .querySelectorAll(selector),
        ].map((element) => element.textContent ?? ''),
      [text, selector, sources] as const,
    );
  }

  describe('renderMarkdown: formatting', () => {
    it('makes a paragraph of each block of text', async () => {
      assert.deepEqual(await select('Hello\n\nWorld', 'p'), ['Hello', 'World']);
    });

    it('renders **bold**, *italic* and `inline code`', async () => {
      const text = '**bold** and *italic* and `code`';
      assert.deepEqual(await select(text, 'p > strong'), ['bold']);
      assert.deepEqual(await select(text, 'p > em'), ['italic']);
      assert.deepEqual(await select(text, 'p > code'), ['code']);
      assert.equal((await render(text)).text, 'bold and italic and code');
    });

    it('keeps Markdown inside inline code as literal characters', async () => {
      const rendered = await render('`**not bold** <b>x</b>`');
      assert.deepEqual(rendered.tags, ['p', 'code']);
      assert.equal(rendered.text, '**not bold** <b>x</b>');
    });

    it('shows a fenced code block as text inside <pre><code>', async () => {
      const rendered = await render('```js\nconst a = "<b>x</b>" && **y**;\n```');
      assert.deepEqual(rendered.tags, ['pre', 'code']);
      assert.deepEqual(await select('```js\nconst a = "<b>x</b>" && **y**;\n```', 'pre > code'), [
        'const a = "<b>x</b>" && **y**;',
      ]);
    });

    it('renders a bullet list as <ul> of <li>', async () => {
      assert.deepEqual(await select('- one\n- two\n- three', 'ul > li'), ['one', 'two', 'three']);
    });

    it('renders a numbered list as <ol> of <li>, keeping its start number', async () => {
      assert.deepEqual(await select('1. one\n2. two', 'ol > li'), ['one', 'two']);
      const started = await page.evaluate(
        () =>
          (window as unknown as TestWindow).markdown
            .renderMarkdown('3. three\n4. four', [])
            .querySelector('ol')?.start,
      );
      assert.equal(started, 3);
    });

    it('shows a heading as a bold line, not a page heading', async () => {
      const rendered = await render('# Title');
      assert.deepEqual(rendered.tags, ['strong']);
      assert.equal(rendered.text, 'Title');
    });
  });

  describe('renderMarkdown: links', () => {
    it('makes [docs](https://…) a link opening in a new tab with rel="noopener noreferrer"', async () => {
      const rendered = await render('[docs](https://example.com/x)');
      assert.deepEqual(rendered.links, [
        { href: 'https://example.com/x', target: '_blank', rel: 'noopener noreferrer', text: 'docs' },
      ]);
    });

    it('makes http and mailto links clickable too', async () => {
      const http = await render('[site](http://example.com/)');
      assert.equal(http.links[0]?.href, 'http://example.com/');
      const mail = await render('[write](mailto:help@example.com)');
      assert.equal(mail.links[0]?.href, 'mailto:help@example.com');
      assert.equal(mail.links[0]?.rel, 'noopener noreferrer');
    });

    const unsafe: [string, string][] = [
      ['a javascript: URL', '[click](javascript:void0)'],
      ['a JaVaScRiPt: URL (mixed case)', '[click](JaVaScRiPt:void0)'],
      ['a data: URL', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
      ['a vbscript: URL', '[click](vbscript:msgbox)'],
      ['a relative path', '[click](/account/delete)'],
      ['a relative file name', '[click](page.html)'],
    ];
    for (const [kind, text] of unsafe) {
      it(`does not make a link to ${kind} clickable, but keeps its text`, async () => {
        const rendered = await render(text);
        assert.deepEqual(rendered.links, [], rendered.html);
        assert.ok(!rendered.html.includes('href'), rendered.html);
        assert.equal(rendered.text, 'click');
      });
    }

    it('never creates an <img> for ![alt](https://…): it becomes a link', async () => {
      const rendered = await render('![alt](https://x/y.png)');
      assert.ok(!rendered.tags.includes('img'), rendered.html);
      assert.deepEqual(rendered.links, [
        { href: 'https://x/y.png', target: '_blank', rel: 'noopener noreferrer', text: 'alt' },
      ]);
    });

    it('does not make an image with a javascript: source clickable', async () => {
      const rendered = await render('![alt](javascript:void0)');
      assert.ok(!rendered.tags.includes('img'), rendered.html);
      assert.deepEqual(rendered.links, []);
      assert.equal(rendered.text, 'alt');
    });
  });

  describe('renderMarkdown: raw HTML shows as text', () => {
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '<b>x</b>',
      '<a href="javascript:alert(1)">x</a>',
      '<svg onload=alert(1)></svg>',
      '<iframe src="javascript:alert(1)"></iframe>',
    ];
    for (const payload of payloads) {
      it(`creates no element from ${payload}`, async () => {
        const rendered = await render(payload);
        assert.deepEqual(rendered.tags, ['p'], rendered.html);
        assert.equal(rendered.text, payload);
      });
    }

    it('keeps raw HTML literal inside emphasis and link text', async () => {
      const rendered = await render('**<img src=x onerror=alert(1)>** [<b>x</b>](https://example.com/)');
      assert.ok(!rendered.tags.some((tag) => ['img', 'b', 'script'].includes(tag)), rendered.html);
      assert.ok(rendered.text.includes('<img src=x onerror=alert(1)>'), rendered.text);
      assert.equal(rendered.links[0]?.text, '<b>x</b>');
    });
  });

  describe('renderMarkdown: no script runs', () => {
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"></animate></svg>',
      '<script>window.__xss=1</script>',
      '<iframe src="javascript:window.__xss=1"></iframe>',
      '<a href="javascript:window.__xss=1">raw</a>',
      '[x](javascript:window.__xss=1)',
      '[x](JAVASCRIPT:window.__xss=1)',
      '![x](javascript:window.__xss=1)',
      '**<img src=x onerror=window.__xss=1>**',
      '```\n<img src=x onerror=window.__xss=1>\n```',
      '`<img src=x onerror=window.__xss=1>`',
      '[cut](javascript:window.__xss=1',
      // A safe link beside a hostile one, so that the click path below has something to click.
      '[safe](http://127.0.0.1:9/) then [x](javascript:window.__xss=1)',
    ];

    it('the detector works: setting innerHTML of a payload, or clicking a javascript: link, flips the marker', async () => {
      await page.evaluate(() => {
        (window as unknown as TestWindow).__xss = 0;
        const holder = document.createElement('div');
        holder.innerHTML = '<img src=x onerror="window.__xss=1">';
        document.body.append(holder);
      });
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__xss), 1);

      await page.evaluate(() => {
        (window as unknown as TestWindow).__xss = 0;
        const holder = document.createElement('div');
        holder.innerHTML = '<a href="javascript:window.__xss=2">x</a>';
        document.body.append(holder);
        holder.querySelector('a')!.click();
      });
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__xss), 2);
      await page.evaluate(() => document.body.replaceChildren());
    });

    it('renders payloads, attaches them, clicks every link, and the marker stays 0', async () => {
      const clicked = await page.evaluate((payloads) => {
        const win = window as unknown as TestWindow;
        win.__xss = 0;
        let links = 0;
        for (const payload of payloads) {
          const root = win.markdown.renderMarkdown(payload, []);
          document.body.append(root);
          for (const a of root.querySelectorAll('a')) {
            a.click();
            links += 1;
          }
        }
        return links;
      }, payloads);
      await page.waitForTimeout(200);
      assert.ok(clicked > 0, 'no link was clicked: the click path went untested');
      assert.equal(await page.evaluate(() => (window as unknown as TestWindow).__xss), 0);

      // The marker alone would miss a javascript: link the renderer wrongly made clickable: it gets
      // target="_blank", so its script would run in a popup, not here. So check the attached DOM too.
      const attached = await page.evaluate(() => ({
        active: document.body.querySelectorAll('img, script, svg, iframe, object, embed').length,
        unsafeHrefs: [...document.body.querySelectorAll('a[href]')]
          .map((a) => a.getAttribute('href') ?? '')
          .filter((href) => !/^(https?|mailto):/i.test(href)),
        handlers: [...document.body.querySelectorAll('*')].flatMap((element) =>
          element.getAttributeNames().filter((name) => name.startsWith('on')),
        ),
      }));
      assert.deepEqual(attached, { active: 0, unsafeHrefs: [], handlers: [] });
      await page.evaluate(() => document.body.replaceChildren());
    });
  });

  describe('renderMarkdown: citations', () => {
    it('turns [1] into a sup.citation titled with the source', async () => {
      const citations = await page.evaluate(
        ([sources]) =>
          [
            ...(window as unknown as TestWindow).markdown
              .renderMarkdown('Use X [1].', sources)
              .querySelectorAll('sup.citation'),
          ].map((sup) => ({ text: sup.textContent, title: (sup as HTMLElement).title })),
        [SOURCES] as const,
      );
      assert.equal(citations.length, 1);
      assert.equal(citations[0]!.text, '[1]');
      assert.ok(citations[0]!.title.includes('Guide'), citations[0]!.title);
      assert.ok(citations[0]!.title.includes('Setup'), citations[0]!.title);
      assert.equal((await render('Use X [1].')).text, 'Use X [1].');
    });

    it('titles a citation of a source without heading with the title alone', async () => {
      const title = await page.evaluate(
        () =>
          (window as unknown as TestWindow).markdown
            .renderMarkdown('See [2]', [
              { index: 2, title: 'FAQ', documentId: 'd2', chunkIndex: 3, snippet: 'q' },
            ])
            .querySelector<HTMLElement>('sup.citation')?.title,
      );
      assert.equal(title, 'FAQ');
    });

    it('leaves [7] as the literal text when no source has that number', async () => {
      const rendered = await render('Use X [7].');
      assert.equal(rendered.text, 'Use X [7].');
      assert.deepEqual(rendered.tags, ['p']);
    });

    it('leaves every bracketed number literal when there are no sources', async () => {
      const rendered = await render('Use X [1].', []);
      assert.equal(rendered.text, 'Use X [1].');
      assert.deepEqual(rendered.tags, ['p']);
    });

    it('leaves a non-numeric [see below] as written', async () => {
      const rendered = await render('Details [see below].');
      assert.equal(rendered.text, 'Details [see below].');
      assert.deepEqual(rendered.tags, ['p']);
    });

    it('does not cite inside inline code', async () => {
      const rendered = await render('`arr[1]`');
      assert.deepEqual(rendered.tags, ['p', 'code']);
      assert.equal(rendered.text, 'arr[1]');
    });
  });

  describe('renderMarkdown: text cut off mid-stream', () => {
    const cutOff = [
      'Read **the [gui',
      'Read [the guide](https://example.com/gu',
      'See [1',
      '```js\nconst a = 1',
      '- one\n- tw',
      '*half',
      '`code',
    ];
    for (const text of cutOff) {
      it(`renders ${JSON.stringify(text)} without throwing, with no clickable link`, async () => {
        const rendered = await render(text);
        assert.deepEqual(
          rendered.links.filter((link) => link.href !== null),
          [],
        );
        assert.ok(rendered.text.length > 0);
      });
    }

    it('shows an unfinished link as the text written so far, brackets included, and leaves no marks', async () => {
      const rendered = await render('Read **the [gui');
      assert.equal(rendered.text, 'Read the [gui');
      assert.deepEqual(rendered.links, []);
      assert.equal((await render('[x](https://a.b')).text, '[x');
      assert.equal((await render('See [1')).text, 'See [1');
      const fence = await page.evaluate(() => {
        const root = (window as unknown as TestWindow).markdown.renderMarkdown('```js\nconst a = 1', []);
        return root.querySelectorAll('[data-block]').length;
      });
      assert.equal(fence, 0);
    });

    it('keeps the words of a cut-off sentence and its open code block', async () => {
      assert.ok((await render('Read **the [gui')).text.startsWith('Read the '));
      assert.deepEqual(await select('```js\nconst a = 1', 'pre > code'), ['const a = 1']);
    });
  });

  describe('isSafeUrl', () => {
    const cases: [string, boolean][] = [
      ['http://example.com', true],
      ['https://example.com/a?b=c#d', true],
      ['HTTPS://EXAMPLE.COM', true],
      ['mailto:help@example.com', true],
      ['javascript:alert(1)', false],
      ['JAVASCRIPT:alert(1)', false],
      [' javascript:alert(1)', false],
      ['java\tscript:alert(1)', false],
      ['data:text/html,<script>alert(1)</script>', false],
      ['vbscript:msgbox(1)', false],
      ['file:///etc/passwd', false],
      ['/relative/path', false],
      ['relative/path', false],
      ['//example.com/protocol-relative', false],
      ['', false],
      ['not a url at all', false],
      ['::::', false],
    ];
    for (const [url, safe] of cases) {
      it(`${JSON.stringify(url)} is ${safe ? 'safe' : 'not safe'}`, async () => {
        const result = await page.evaluate(
          (url) => (window as unknown as TestWindow).markdown.isSafeUrl(url),
          url,
        );
        assert.equal(result, safe);
      });
    }
  });
});
