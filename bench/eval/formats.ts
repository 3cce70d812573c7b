/**
 * Makes PDF and DOCX copies of Markdown documents, as a tenant would upload a README printed to PDF or
 * pasted into Word: headings stay headings (DOCX) or lines of their own (PDF), the Markdown markup goes.
 */
import { Document as DocxDocument, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A block of a Markdown document: a heading of some level, or a paragraph (code and lists included). */
interface Block {
  level: number;
  text: string;
}

/** Markdown as headings and paragraphs of plain text: links keep their text, emphasis and badges go. */
function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ level: 0, text: paragraph.join('\n') });
    paragraph = [];
  };
  let inCode = false;
  for (const raw of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(raw)) {
      inCode = !inCode;
      continue;
    }
    const line = inCode ? raw : plain(raw);
    const heading = !inCode && /^(#{1,6})\s+(.*)$/.exec(raw);
    if (heading) {
      flush();
      blocks.push({ level: heading[1]!.length, text: plain(heading[2]!) });
    } else if (!line.trim()) {
      if (!inCode) flush();
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks.filter((block) => block.text.trim());
}

function plain(line: string): string {
  return line
    .replace(/<[^>]+>/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/^\s*[-*+]\s+/, '• ')
    .replace(/^\s*>\s?/, '');
}

export async function markdownToDocx(markdown: string): Promise<Buffer> {
  const headings = [
    HeadingLevel.HEADING_1,
    HeadingLevel.HEADING_2,
    HeadingLevel.HEADING_3,
    HeadingLevel.HEADING_4,
    HeadingLevel.HEADING_5,
    HeadingLevel.HEADING_6,
  ];
  const doc = new DocxDocument({
    sections: [
      {
        children: blocksOf(markdown).flatMap((block) =>
          block.level
            ? [new Paragraph({ text: block.text, heading: headings[block.level - 1] })]
            : block.text.split('\n').map((line) => new Paragraph({ text: line })),
        ),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const pageSize: [number, number] = [595, 842]; // A4 in points
const margin = 50;
const fontSize = 10;
const lineHeight = 14;

export async function markdownToPdf(markdown: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const width = pageSize[0] - 2 * margin;
  let page = pdf.addPage(pageSize);
  let y = pageSize[1] - margin;
  const write = (text: string, useFont = font) => {
    for (const line of wrap(winAnsi(text), (t) => useFont.widthOfTextAtSize(t, fontSize), width)) {
      if (y < margin) {
        page = pdf.addPage(pageSize);
        y = pageSize[1] - margin;
      }
      page.drawText(line, { x: margin, y, size: fontSize, font: useFont });
      y -= lineHeight;
    }
  };
  for (const block of blocksOf(markdown)) {
    for (const line of block.text.split('\n')) write(line, block.level ? bold : font);
    y -= lineHeight / 2;
  }
  return Buffer.from(await pdf.save());
}

/** Lines of at most `width` points, cut at spaces (a word longer than a line gets a line of its own). */
function wrap(text: string, widthOf: (text: string) => number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && widthOf(candidate) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The standard PDF fonts only encode WinAnsi: typographic marks become ASCII, anything else a space. */
function winAnsi(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e\xa0-\xff•]/g, ' ');
}
