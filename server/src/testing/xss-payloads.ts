/**
 * Hostile content for the stored-XSS tests: each payload, if it ever ran, would set `window.__xss` to its
 * own number, so a failing test says which one got through. Stored by one party (a visitor, a member of
 * the team, the model) and viewed by another (the dashboard, the widget).
 */
export interface XssPayload {
  /** The value `window.__xss` takes if this payload runs. */
  marker: number;
  text: string;
  /** Markdown syntax: where Markdown is rendered it becomes (harmless) markup, not these characters. */
  markdown: boolean;
}

const payload = (marker: number, text: string, markdown = false): XssPayload => ({ marker, text, markdown });

export const XSS_PAYLOADS: readonly XssPayload[] = [
  payload(1, '<script>window.__xss=1</script>'),
  payload(2, '<img src=x onerror="window.__xss=2">'),
  payload(3, '"><svg onload="window.__xss=3">'),
  payload(4, 'javascript:window.__xss=4'),
  payload(5, '<a href="javascript:window.__xss=5">x</a>'),
  // Angular template injection: only dangerous if user content ever reaches a template compiler.
  payload(6, "{{constructor.constructor('window.__xss=6')()}}"),
  payload(7, '<iframe srcdoc="<script>parent.__xss=7</script>">'),
  payload(8, '[x](javascript:window.__xss=8)', true),
  payload(9, '![x](x" onerror="window.__xss=9)', true),
];

/** Every payload in one text, a line each, for fields long enough to hold them all. */
export const ALL_PAYLOADS = XSS_PAYLOADS.map((p) => p.text).join('\n');

/** A URL-ish value: what a link built from it would run if its scheme were not checked. */
export const JAVASCRIPT_URL = XSS_PAYLOADS.find((p) => p.marker === 4)!.text;

/**
 * Payloads a file name can carry as they are: a multipart file name loses everything up to its last
 * slash (busboy keeps only the base name), so the ones with a closing tag are left to other fields.
 */
export const FILE_NAME_PAYLOADS = XSS_PAYLOADS.filter((p) => !p.text.includes('/'));
