import assert from 'node:assert/strict';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import { detectType, extractDocument, ExtractionError } from './index';
import type { ExtractionFailure } from './index';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Random-looking bytes that are the same on every run (xorshift32), so no run can hit a magic number by chance. */
function noise(length: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** A PDF with one page per entry, each drawn as text; an empty entry gives a page with only a rectangle. */
async function makePdf(pages: string[], title?: string): Promise<{ pdf: PDFDocument; bytes: Uint8Array }> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage();
    if (text) page.drawText(text, { x: 50, y: 700, size: 12, font, lineHeight: 14 });
    else page.drawRectangle({ x: 50, y: 50, width: 200, height: 300 });
  }
  if (title) pdf.setTitle(title);
  return { pdf, bytes: await pdf.save() };
}

/**
 * pdf-lib can't encrypt, so this writes the trailer entry an encrypted PDF has: a Standard security handler
 * whose user-password hash the empty password doesn't match, which is what makes a reader ask for one.
 */
async function makeEncryptedPdf(): Promise<Uint8Array> {
  const { pdf } = await makePdf(['Top secret plans']);
  const context = pdf.context;
  context.trailerInfo.Encrypt = context.register(
    context.obj({
      Filter: 'Standard',
      V: 1,
      R: 2,
      O: PDFHexString.of('a1'.repeat(32)),
      U: PDFHexString.of('b2'.repeat(32)),
      P: -4,
    }),
  );
  const id = PDFHexString.of('0123456789abcdef'.repeat(2));
  context.trailerInfo.ID = context.obj([id, id]);
  return pdf.save({ useObjectStreams: false });
}

/** A zip that file-type (and mammoth) take for a Word document: its content types name the main part. */
async function makeDocxLikeZip(files: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Rewrites the uncompressed size a zip declares for `name`, in its local header and its central directory. */
function forgeUncompressedSize(zip: Uint8Array, name: string, size: number): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const encodedName = Buffer.from(name);
  for (const [signature, nameOffset, sizeOffset] of [
    [0x04034b50, 30, 22],
    [0x02014b50, 46, 24],
  ] as const) {
    for (let at = 0; at + nameOffset < zip.length; at++) {
      if (view.getUint32(at, true) !== signature) continue;
      const nameAt = at + nameOffset;
      if (Buffer.from(zip.subarray(nameAt, nameAt + encodedName.length)).equals(encodedName)) {
        view.setUint32(at + sizeOffset, size, true);
      }
    }
  }
}

async function rejectsWith(
  promise: Promise<unknown>,
  reason: ExtractionFailure,
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ExtractionError, `expected an ExtractionError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    assert.match(error.message, message);
    return true;
  });
}

const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array<number>(120).fill(0)]);

describe('document extraction', () => {
  describe('detectType', () => {
    it('recognises PDF and DOCX by their bytes, whatever the file is called', async () => {
      const { bytes: pdf } = await makePdf(['Hello']);
      assert.equal(await detectType(pdf, { fileName: 'notes.txt', contentType: 'text/plain' }), 'pdf');
      const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Hi')] }] }));
      assert.equal(await detectType(docx, { fileName: 'upload.bin' }), 'docx');
      assert.equal(await detectType(docx), 'docx');
    });

    it('refuses a renamed executable, naming what it looked like, whatever the hint says', async () => {
      for (const hint of [
        { fileName: 'report.pdf', contentType: 'application/pdf' },
        { fileName: 'notes.md', contentType: 'text/markdown' },
        {},
      ]) {
        await rejectsWith(detectType(ELF, hint), 'unsupported_type', /Linux program \(application\/x-elf\)/);
      }
      await rejectsWith(extractDocument(ELF, { fileName: 'report.pdf' }), 'unsupported_type', /Upload a PDF/);
    });

    it('refuses a zip that is not a Word document, an image and random bytes', async () => {
      const zip = new JSZip();
      zip.file('readme.txt', 'hello');
      const plainZip = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
      await rejectsWith(detectType(plainZip, { fileName: 'doc.docx' }), 'unsupported_type', /ZIP archive/);
      const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]);
      await rejectsWith(
        detectType(gif, { fileName: 'a.txt' }),
        'unsupported_type',
        /an image \(image\/gif\)/,
      );
      await rejectsWith(detectType(noise(16 * 1024), { fileName: 'a.txt' }), 'unsupported_type', /binary/);
      // Behind a UTF-16 byte-order mark random bytes decode to CJK-looking characters, mostly without NULs.
      const utf16Noise = Buffer.concat([Buffer.from([0xff, 0xfe]), noise(16 * 1024)]);
      await rejectsWith(detectType(utf16Noise, { fileName: 'a.txt' }), 'unsupported_type', /binary/);
    });

    it('refuses old Office files, and says so when one is password-protected', async () => {
      const legacy = new Uint8Array(2048);
      legacy.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
      await rejectsWith(
        detectType(legacy, { fileName: 'old.doc' }),
        'unsupported_type',
        /old-format Microsoft Office/,
      );
      // A password-protected .docx is stored in that same compound format, with an EncryptionInfo stream.
      legacy.set(Buffer.from('EncryptionInfo', 'utf16le'), 1024);
      await rejectsWith(detectType(legacy, { fileName: 'secret.docx' }), 'encrypted', /password-protected/);
    });

    it('tells HTML, Markdown and plain text apart, using the hint only between those', async () => {
      const cases: [string, { fileName?: string; contentType?: string }, string][] = [
        ['<!DOCTYPE html><html><body><p>Hi</p></body></html>', { fileName: 'notes.txt' }, 'html'],
        ['<!-- saved page -->\n<html><p>Hi</p></html>', {}, 'html'],
        [
          '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>',
          {},
          'html',
        ],
        ['<div><p>A fragment</p></div>', {}, 'html'],
        ['Just prose', { contentType: 'text/html; charset=utf-8' }, 'html'],
        ['Just prose', { fileName: 'page.htm' }, 'html'],
        ['# Title\n\nBody', { fileName: 'README.md' }, 'markdown'],
        ['<div align="center">Logo</div>\n\n# Title', { fileName: 'README.markdown' }, 'markdown'],
        ['# Title\n\nBody', { contentType: 'text/markdown' }, 'markdown'],
        ['No headings here', { contentType: 'text/markdown' }, 'text'],
        ['# Title\n\nBody', { fileName: 'notes.txt' }, 'text'],
        ['Use a <p> tag for paragraphs.', {}, 'text'],
        ['', {}, 'text'],
      ];
      for (const [content, hint, expected] of cases) {
        assert.equal(
          await detectType(utf8(content), hint),
          expected,
          `${JSON.stringify(content)} ${JSON.stringify(hint)}`,
        );
      }
    });
  });

  describe('PDF', () => {
    it('gives one section per page with its page number, and the title', async () => {
      const { bytes } = await makePdf(
        ['Chapter one text.\nSecond line of page one.', '', 'Page three   has  spaces.'],
        'Annual Report',
      );
      const length = bytes.length;
      const result = await extractDocument(bytes, { fileName: 'report.pdf' });
      assert.equal(result.type, 'pdf');
      assert.equal(result.mimeType, 'application/pdf');
      assert.equal(result.title, 'Annual Report');
      // The page without text (only a rectangle) is left out; the others keep their own numbers.
      assert.deepEqual(result.sections, [
        { text: 'Chapter one text.\nSecond line of page one.', page: 1 },
        { text: 'Page three has spaces.', page: 3 },
      ]);
      assert.equal(result.characters, result.sections[0]!.text.length + result.sections[1]!.text.length);
      // pdf.js would have emptied the array it was given had it not been a copy.
      assert.equal(bytes.length, length);
    });

    it('refuses a password-protected PDF as encrypted', async () => {
      await rejectsWith(
        extractDocument(await makeEncryptedPdf()),
        'encrypted',
        /^This PDF is password-protected; remove the password and upload it again\.$/,
      );
    });

    it('refuses a PDF without a text layer as empty, saying why', async () => {
      const { bytes } = await makePdf(['', '']);
      await rejectsWith(extractDocument(bytes), 'empty', /No text layer was found/);
    });

    it('refuses a truncated PDF as corrupt', async () => {
      const { bytes } = await makePdf(['Some text', 'More text']);
      await rejectsWith(
        extractDocument(bytes.subarray(0, bytes.length / 2)),
        'corrupt',
        /This PDF is damaged/,
      );
      await rejectsWith(extractDocument(utf8('%PDF-1.7\n')), 'corrupt', /This PDF is damaged/);
    });
  });

  describe('DOCX', () => {
    it('gives the text under each heading with its heading path, lists and table rows included', async () => {
      const doc = new Document({
        sections: [
          {
            children: [
              new Paragraph('Before any heading.'),
              new Paragraph({ text: 'User Guide', heading: HeadingLevel.HEADING_1 }),
              new Paragraph({
                children: [new TextRun('Welcome to the '), new TextRun({ text: 'product', bold: true })],
              }),
              new Paragraph({ text: 'Installation', heading: HeadingLevel.HEADING_2 }),
              new Paragraph({ text: 'Download the installer.', bullet: { level: 0 } }),
              new Paragraph({ text: 'Run it.', bullet: { level: 0 } }),
              new Paragraph({ text: 'Linux', heading: HeadingLevel.HEADING_3 }),
              new Table({
                rows: [
                  new TableRow({
                    children: [
                      new TableCell({ children: [new Paragraph('Distro')] }),
                      new TableCell({ children: [new Paragraph('Command')] }),
                    ],
                  }),
                  new TableRow({
                    children: [
                      new TableCell({ children: [new Paragraph('Debian')] }),
                      new TableCell({ children: [new Paragraph('apt install it')] }),
                    ],
                  }),
                ],
              }),
              new Paragraph({ text: 'Support', heading: HeadingLevel.HEADING_1 }),
              new Paragraph({ text: 'Contact', heading: HeadingLevel.HEADING_2 }),
            ],
          },
        ],
      });
      const result = await extractDocument(await Packer.toBuffer(doc), { fileName: 'guide.docx' });
      assert.equal(result.type, 'docx');
      assert.equal(
        result.mimeType,
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      );
      assert.equal(result.title, 'User Guide');
      assert.deepEqual(result.sections, [
        { text: 'Before any heading.' },
        { text: 'Welcome to the product', headingPath: ['User Guide'] },
        { text: 'Download the installer.\n\nRun it.', headingPath: ['User Guide', 'Installation'] },
        {
          text: 'Distro | Command\n\nDebian | apt install it',
          headingPath: ['User Guide', 'Installation', 'Linux'],
        },
        // A heading with nothing under it and no subheadings is kept as its own text.
        { text: 'Contact', headingPath: ['Support', 'Contact'] },
      ]);
    });

    it('refuses a zip bomb over the limit before mammoth parses it', async () => {
      // document.xml is not even XML: had mammoth run, this would be 'corrupt'.
      const bomb = await makeDocxLikeZip({
        'word/document.xml': 'not xml',
        'word/media/zeros.bin': new Uint8Array(5 * 1024 * 1024),
      });
      assert.ok(bomb.length < 100 * 1024);
      await rejectsWith(
        extractDocument(bomb, {}, { maxUncompressedBytes: 1024 * 1024 }),
        'too_large',
        /unpacks to 5 MB, more than the 1 MB we accept/,
      );
    });

    it('refuses an absurd compression ratio within the default limit', async () => {
      const bomb = await makeDocxLikeZip({
        'word/document.xml': 'not xml',
        'word/zeros.bin': new Uint8Array(12 * 1024 * 1024),
      });
      await rejectsWith(extractDocument(bomb), 'too_large', /zip bombs/);
    });

    it('refuses a zip that declares less than it unpacks to', async () => {
      const bomb = await makeDocxLikeZip({
        'word/document.xml': 'not xml',
        'word/zeros.bin': new Uint8Array(3 * 1024 * 1024),
      });
      forgeUncompressedSize(bomb, 'word/zeros.bin', 1000);
      await rejectsWith(extractDocument(bomb), 'too_large', /zip bombs/);
    });

    it('refuses damaged Word files as corrupt', async () => {
      const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Hi')] }] }));
      await rejectsWith(
        extractDocument(docx.subarray(0, docx.length - 200)),
        'corrupt',
        /This Word file is damaged/,
      );
      const broken = await makeDocxLikeZip({ 'word/document.xml': '<w:document><unclosed' });
      await rejectsWith(extractDocument(broken), 'corrupt', /This Word file is damaged/);
    });
  });

  describe('HTML', () => {
    const article = (body: string): string => `<!doctype html><html lang="en"><head><title>Setup Guide</title>
      <style>body { color: red }</style><script>track("visit")</script></head><body>
      <nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
      ${body}
      <aside class="sidebar"><p>Related reading: our other guides.</p></aside>
      <footer>Copyright Example Inc.</footer></body></html>`;

    it('keeps the main content under its headings and drops scripts, styles, navigation and footers', async () => {
      const html = article(`<article>
        <h1>Setup Guide</h1>
        <p>${'This guide explains how to set the product up from scratch. '.repeat(8)}</p>
        <h2>Requirements</h2>
        <p>${'You need a recent operating system and some free disk space. '.repeat(6)}</p>
        <ul><li>Node 20</li><li>Two gigabytes of memory</li></ul>
        <h3>Supported systems</h3>
        <table><tr><th>System</th><th>Status</th></tr><tr><td>Linux</td><td>Supported</td></tr></table>
        <h2>Installation</h2>
        <p>Run the   installer<br>and restart.</p>
      </article>`);
      const result = await extractDocument(utf8(html), { contentType: 'text/html' });
      assert.equal(result.type, 'html');
      assert.equal(result.mimeType, 'text/html');
      assert.equal(result.title, 'Setup Guide');
      const text = result.sections.map((s) => s.text).join('\n');
      for (const boilerplate of ['Home', 'Blog', 'Copyright', 'track', 'color', 'Related reading']) {
        assert.ok(!text.includes(boilerplate), `${boilerplate} should be gone`);
      }
      // Readability drops the h1 that repeats the page title, so the paths start below it.
      assert.match(result.sections[0]?.text ?? '', /^This guide explains/);
      assert.equal(result.sections[0]?.headingPath, undefined);
      const requirements = result.sections.find((s) => s.headingPath?.at(-1) === 'Requirements');
      assert.match(
        requirements?.text ?? '',
        /^You need a recent operating system.*\n\nNode 20\n\nTwo gigabytes of memory$/s,
      );
      assert.deepEqual(result.sections.slice(-2), [
        {
          text: 'System | Status\n\nLinux | Supported',
          headingPath: ['Requirements', 'Supported systems'],
        },
        { text: 'Run the installer\nand restart.', headingPath: ['Installation'] },
      ]);
    });

    it('reads the whole body, minus scripts, styles, navigation and footers, when a page is too big for Readability', async () => {
      // Past 20,000 elements Readability is not run at all.
      const html = article(`<h1>Big page</h1><p>Intro text.</p><div>${'<i></i>'.repeat(20_000)}</div>`);
      const result = await extractDocument(utf8(html));
      assert.equal(result.title, 'Setup Guide');
      // The sidebar Readability would have dropped is part of the body.
      assert.deepEqual(result.sections, [
        { text: 'Intro text.\n\nRelated reading: our other guides.', headingPath: ['Big page'] },
      ]);
    });

    it('reads fragments and pages without <html> or <body>', async () => {
      const result = await extractDocument(
        utf8('<title>Notes</title><h2>Part</h2><p>Text of the part.</p>'),
        {
          fileName: 'notes.html',
        },
      );
      assert.equal(result.title, 'Notes');
      assert.deepEqual(result.sections, [{ text: 'Text of the part.', headingPath: ['Part'] }]);
    });

    it('refuses a page with no text as empty', async () => {
      await rejectsWith(
        extractDocument(
          utf8('<html><head><title>Blank</title></head><body><script>x()</script></body></html>'),
        ),
        'empty',
        /^The file has no text\.$/,
      );
    });
  });

  describe('Markdown', () => {
    it('builds heading paths and strips markup, keeping code as written', async () => {
      const markdown = [
        '<!-- generated',
        'by a tool -->',
        '# Handbook',
        '',
        'Read **this** first, see [the site](https://example.com) and `npm test`.',
        '',
        '## Setup',
        '',
        '- Install _Node_',
        '- Run the ![logo](logo.png) script',
        '',
        '```bash',
        '# not a heading',
        'npm   install',
        '```',
        '',
        '### Details ###',
        '',
        '> Quoted *advice*.',
        '',
        '| Key | Value |',
        '| --- | ----- |',
        '| a   | 1     |',
        '',
        '---',
        '',
        '## FAQ',
        'snake_case_names stay whole.',
      ].join('\n');
      const result = await extractDocument(utf8(markdown), { fileName: 'handbook.md' });
      assert.equal(result.type, 'markdown');
      assert.equal(result.mimeType, 'text/markdown');
      assert.equal(result.title, 'Handbook');
      assert.deepEqual(result.sections, [
        { text: 'Read this first, see the site and npm test.', headingPath: ['Handbook'] },
        {
          text: 'Install Node\nRun the logo script\n\n# not a heading\nnpm install',
          headingPath: ['Handbook', 'Setup'],
        },
        { text: 'Quoted advice.\n\nKey | Value\na | 1', headingPath: ['Handbook', 'Setup', 'Details'] },
        { text: 'snake_case_names stay whole.', headingPath: ['Handbook', 'FAQ'] },
      ]);
    });
  });

  describe('plain text', () => {
    it('decodes Latin-1 / Windows-1252', async () => {
      const cafe = await extractDocument(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), { fileName: 'menu.txt' });
      assert.deepEqual(cafe.sections, [{ text: 'café' }]);
      assert.equal(cafe.type, 'text');
      assert.equal(cafe.mimeType, 'text/plain');
      const prices = iconv.encode('Crème brûlée à 5 € — déjà vu, naïve façade.', 'windows-1252');
      assert.equal(
        (await extractDocument(prices)).sections[0]?.text,
        'Crème brûlée à 5 € — déjà vu, naïve façade.',
      );
    });

    it('honours UTF-8 and UTF-16 byte-order marks', async () => {
      const text = 'Grüße aus Köln, 東京 too.';
      const boms: [number[], Buffer][] = [
        [[0xef, 0xbb, 0xbf], Buffer.from(text, 'utf8')],
        [[0xff, 0xfe], Buffer.from(text, 'utf16le')],
        [[0xfe, 0xff], Buffer.from(text, 'utf16le').swap16()],
      ];
      for (const [bom, body] of boms) {
        const result = await extractDocument(Buffer.concat([Buffer.from(bom), body]), {
          fileName: 'note.txt',
        });
        assert.deepEqual(result.sections, [{ text }]);
        assert.equal(result.characters, text.length);
      }
    });

    it('uses the charset a server declared when the bytes are not UTF-8', async () => {
      const russian = iconv.encode('Привет, мир! Это проверка кодировки.', 'windows-1251');
      const result = await extractDocument(russian, { contentType: 'text/plain; charset=windows-1251' });
      assert.equal(result.sections[0]?.text, 'Привет, мир! Это проверка кодировки.');
    });

    it('collapses spaces and keeps paragraph breaks as single blank lines', async () => {
      const result = await extractDocument(
        utf8('  First   line\t\there \r\nsecond line\n\n\n\n\nNext  paragraph.  \n'),
      );
      assert.deepEqual(result.sections, [{ text: 'First line here\nsecond line\n\nNext paragraph.' }]);
    });

    it('refuses an empty or blank file as empty', async () => {
      await rejectsWith(
        extractDocument(new Uint8Array(0), { fileName: 'empty.txt' }),
        'empty',
        /^The file has no text\.$/,
      );
      await rejectsWith(extractDocument(utf8(' \n\t\n ')), 'empty', /no text/);
    });
  });
});
