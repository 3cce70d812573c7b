import { Document as DocxDocument, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF with one page per entry of `pages`, made in the test so no binary fixture is committed. */
export async function makePdf(pages: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage([595, 842]);
    text
      .match(/.{1,80}(\s|$)/g)!
      .forEach((line, i) => page.drawText(line.trim(), { x: 40, y: 800 - i * 16, size: 11, font }));
  }
  return Buffer.from(await pdf.save());
}

/** A DOCX with a heading and paragraphs. */
export async function makeDocx(heading: string, paragraphs: string[]): Promise<Buffer> {
  const doc = new DocxDocument({
    sections: [
      {
        children: [
          new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }),
          ...paragraphs.map((text) => new Paragraph({ text })),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export function makeHtml(title: string, body: string): Buffer {
  return Buffer.from(
    `<!doctype html><html><head><title>${title}</title><script>var tracking = 1;</script></head>` +
      `<body><nav>Home | About</nav><main><article><h1>${title}</h1><p>${body}</p></article></main>` +
      `<footer>© Example</footer></body></html>`,
  );
}
