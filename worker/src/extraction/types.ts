/** The kinds of document the worker can turn into text. */
export type SupportedType = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

/** A run of text the chunker keeps together: a PDF page, or the text under one heading. */
export interface Section {
  text: string;
  /** 1-based page number, for PDFs. */
  page?: number;
  /** The headings this text sits under, outermost first (h1 … h6, or # … ######). */
  headingPath?: string[];
}

/** The text of one document, ready for chunking. */
export interface Extracted {
  type: SupportedType;
  mimeType: string;
  title?: string;
  /** Never empty: a document without text is refused with ExtractionError('empty'). */
  sections: Section[];
  /** Total characters over all sections. */
  characters: number;
}

/** What the caller knows about the file; it only ever chooses between text-like kinds. */
export interface TypeHint {
  fileName?: string;
  contentType?: string;
}

/** What each format's extractor hands back; extractDocument adds the type and totals. */
export interface ExtractedText {
  title?: string;
  /** Whitespace already normalised, empty sections already left out. */
  sections: Section[];
}

/** Bounds on the work one document may cause. */
export interface ExtractionLimits {
  /** Largest total size of a DOCX's unpacked parts; 100 MB unless set. */
  maxUncompressedBytes?: number;
}
