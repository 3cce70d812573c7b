import { PasswordException, PDFParse } from 'pdf-parse';
import { ExtractionError } from './extraction-error';
import { normaliseWhitespace, singleLine } from './normalise-text';
import type { ExtractedText, Section } from './types';

/**
 * Extracts a PDF's text layer, one section per page (page numbers 1-based; pages without text left out),
 * and its title from the document information.
 * @throws ExtractionError 'encrypted' when it needs a password, 'corrupt' when it can't be parsed, 'empty'
 *   when no page has text (a scan without OCR)
 */
export async function extractPdf(bytes: Uint8Array): Promise<ExtractedText> {
  // pdf.js transfers the array it is given to its worker, which empties it: it gets a copy, not the caller's bytes.
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const { pages } = await parser.getText();
    const sections: Section[] = pages
      .map((page) => ({ text: normaliseWhitespace(page.text), page: page.num }))
      .filter((section) => section.text);
    if (sections.length === 0) {
      throw new ExtractionError(
        'empty',
        'No text layer was found in this PDF: it is probably a scan or made of images. Run it through text recognition (OCR) and upload it again.',
      );
    }
    const { info } = await parser.getInfo();
    const title = typeof info?.Title === 'string' ? singleLine(info.Title) : '';
    return title ? { title, sections } : { sections };
  } catch (error) {
    throw toExtractionError(error);
  } finally {
    await parser.destroy();
  }
}

function toExtractionError(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (error instanceof PasswordException) {
    return new ExtractionError(
      'encrypted',
      'This PDF is password-protected; remove the password and upload it again.',
      { cause: error },
    );
  }
  // pdf.js reports damage as InvalidPDFException, FormatError or UnknownErrorException; all mean the same here.
  return new ExtractionError(
    'corrupt',
    "This PDF is damaged and can't be read. Open it in a PDF viewer, save it as a new PDF and upload that.",
    { cause: error },
  );
}
