export { detectType } from './detect-type';
export { extractDocument } from './extract-document';
export { ExtractionError, type ExtractionFailure } from './extraction-error';
export type { Extracted, ExtractionLimits, Section, SupportedType, TypeHint } from './types';
