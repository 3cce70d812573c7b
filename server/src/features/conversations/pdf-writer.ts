import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/** A4 in points, and the margins every page keeps. */
const pageSize: [number, number] = [595.28, 841.89];
const margin = 50;
const footerSize = 8;

export const colors = {
  text: rgb(0.06, 0.09, 0.16),
  muted: rgb(0.39, 0.45, 0.55),
  primary: rgb(0.15, 0.39, 0.92),
  success: rgb(0.09, 0.4, 0.2),
  danger: rgb(0.6, 0.11, 0.11),
} as const;

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: RGB;
  /** Points from the left margin. */
  indent?: number;
}

/**
 * Writes flowing text onto A4 pages: wraps lines to the width, starts a new page when one is full, and
 * numbers the pages at the end. It uses the PDF standard fonts (Helvetica), which every reader has and
 * which need no font file: they show Western European text (the WinAnsi set: accents, €, curly quotes).
 * Other accented Latin letters are written without their accent (ő as o); characters of other scripts
 * (Cyrillic, Greek, CJK, emoji) become "?", and {@link replaced} says so, so the document can tell its
 * reader where the full text is.
 */
export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  /** Whether some character could not be written and was replaced. */
  replaced = false;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
    private readonly charset: Set<number>,
  ) {
    this.newPage();
  }

  static async create(title: string): Promise<PdfWriter> {
    const doc = await PDFDocument.create();
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    // Metadata is stored as UTF-16, so the title keeps every character even where the page cannot.
    doc.setTitle(title);
    doc.setCreator('Chatbot platform');
    doc.setProducer('Chatbot platform');
    doc.setCreationDate(new Date());
    return new PdfWriter(doc, { regular, bold }, new Set(regular.getCharacterSet()));
  }

  /** A paragraph (newlines kept), wrapped to the page's width. */
  text(content: string, style: TextStyle): void {
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const indent = style.indent ?? 0;
    const width = pageSize[0] - 2 * margin - indent;
    const lineHeight = style.size * 1.35;
    for (const paragraph of this.safe(content).split('\n')) {
      for (const line of wrap(paragraph, font, style.size, width)) {
        this.ensure(lineHeight);
        this.y -= lineHeight;
        this.page.drawText(line, {
          x: margin + indent,
          y: this.y + (lineHeight - style.size) / 2,
          size: style.size,
          font,
          color: style.color ?? colors.text,
        });
      }
    }
  }

  /** A label and its value on one line, the value wrapped beside the label. */
  field(label: string, value: string): void {
    const size = 9.5;
    const lineHeight = size * 1.35;
    this.ensure(lineHeight);
    this.page.drawText(this.safe(label), {
      x: margin,
      y: this.y - lineHeight + (lineHeight - size) / 2,
      size,
      font: this.fonts.bold,
      color: colors.muted,
    });
    this.text(value, { size, indent: 95 });
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** A thin line across the page. */
  rule(): void {
    this.ensure(8);
    this.y -= 4;
    this.page.drawLine({
      start: { x: margin, y: this.y },
      end: { x: pageSize[0] - margin, y: this.y },
      thickness: 0.5,
      color: colors.muted,
    });
    this.y -= 4;
  }

  /** Keeps the next `points` on one page: starts a new one if they would not fit. */
  keep(points: number): void {
    this.ensure(points);
  }

  /** Numbers the pages ("footer · page 2 of 3") and returns the document's bytes. */
  async finish(footer: string): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => {
      page.drawText(this.safe(`${footer} · page ${index + 1} of ${pages.length}`), {
        x: margin,
        y: margin / 2,
        size: footerSize,
        font: this.fonts.regular,
        color: colors.muted,
      });
    });
    return this.doc.save();
  }

  private ensure(points: number): void {
    if (this.y - points < margin) this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage(pageSize);
    this.y = pageSize[1] - margin;
  }

  /** The text with what the font cannot show folded (accents dropped) or replaced by "?". */
  private safe(text: string): string {
    let out = '';
    for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, '    ')) {
      const code = char.codePointAt(0)!;
      if (char === '\n' || this.charset.has(code)) {
        out += char;
        continue;
      }
      if (/\p{Cc}|\p{Cf}/u.test(char)) continue;
      const folded = char.normalize('NFKD').replace(/\p{M}/gu, '');
      if (folded && [...folded].every((part) => this.charset.has(part.codePointAt(0)!))) {
        out += folded;
      } else {
        out += '?';
        this.replaced = true;
      }
    }
    return out;
  }
}

/** Lines of at most `width` points; a word longer than a line is cut. */
function wrap(paragraph: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (text: string) => font.widthOfTextAtSize(text, size) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line)) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  lines.push(line);
  return lines;
}
