import mammoth from 'mammoth';
import { addHtmlSections, parseDocument } from './html-sections';
import { SectionBuilder } from './section-builder';
import type { ExtractedText, ExtractionLimits } from './types';
import { assertZipWithinLimits, damagedWordFile } from './zip-limits';

/** Images carry no text: they are left unread instead of being base64-encoded into the HTML. */
const SKIP_IMAGES = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/**
 * Extracts a Word document through mammoth's HTML, so that paragraphs styled Heading 1–6 become heading
 * paths; the first Heading 1 is the title. The zip is checked for bombs before mammoth unpacks anything.
 * @throws ExtractionError 'too_large' for a zip bomb, 'corrupt' when the file can't be read
 */
export async function extractDocx(bytes: Uint8Array, limits: ExtractionLimits = {}): Promise<ExtractedText> {
  await assertZipWithinLimits(bytes, limits.maxUncompressedBytes);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    html = (await mammoth.convertToHtml({ buffer }, { convertImage: SKIP_IMAGES })).value;
  } catch (error) {
    throw damagedWordFile(error);
  }
  const builder = new SectionBuilder();
  addHtmlSections(parseDocument(html).body, builder);
  const sections = builder.finish();
  return builder.title ? { title: builder.title, sections } : { sections };
}
