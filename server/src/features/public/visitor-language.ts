import { canonicalLanguageTag } from '@chatbot/shared';

/**
 * The visitor's language: the tag the widget sent (`navigator.language`, already checked by the start
 * request's schema), else the first tag of the browser's `Accept-Language`; null when neither is a valid
 * BCP 47 tag (`*`, or a header a client made up), which is never the visitor's problem.
 */
export function visitorLanguage(sent: string | undefined, acceptLanguage: string | undefined): string | null {
  if (sent) return sent;
  return canonicalLanguageTag(acceptLanguage?.split(',')[0]?.split(';')[0]);
}
