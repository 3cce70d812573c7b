import ipaddr from 'ipaddr.js';

/**
 * Personal data and credentials as they appear inside free text (an error message, a URL, a SQL statement
 * at debug level), each with what replaces it. Credentials go first: a key's digits must not be taken for
 * a phone number, and an email inside a Bearer token is gone with the token.
 */
const patterns: Array<[RegExp, (match: string) => string]> = [
  // OpenAI-style secret keys (sk-…, sk-proj-…) and Bearer/Basic credentials, wherever they are quoted.
  [/\bsk-[A-Za-z0-9_-]{8,}/g, () => '[redacted key]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (match) => `${match.split(/\s/)[0]} [redacted]`],
  // JWTs (access and visitor tokens): three base64url parts, the first a JSON header.
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, () => '[redacted token]'],
  [/[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, () => '[redacted email]'],
  [/(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g, (match) => ipOrKeep(match)],
  [/(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])/g, (match) => ipOrKeep(match)],
  // 9 to 15 digits, optionally led by + or (, with spaces, dots, dashes or brackets between them.
  [/(?<![\w+.-])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?![\w:-])/g, () => '[redacted phone]'],
];

/**
 * A visitor's or user's address is personal data; the loopback address (a service on this machine, in a
 * connection error) is not, and keeping it keeps such errors readable. Anything that only looks like an
 * address (a time such as 12:30:45, a bare `::`) stays.
 */
function ipOrKeep(candidate: string): string {
  if (!ipaddr.isValid(candidate)) return candidate;
  const range = ipaddr.parse(candidate).range();
  return range === 'loopback' || range === 'unspecified' ? candidate : '[redacted ip]';
}

/** `text` with emails, phone numbers, IP addresses, API keys and tokens replaced by placeholders. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replace] of patterns) result = result.replace(pattern, replace);
  return result;
}

/**
 * Fields that carry what visitors and users wrote (messages, questions, answers, summaries): kept only at
 * debug level, and blanked otherwise.
 */
export const messageBodyKeys: ReadonlySet<string> = new Set([
  'text',
  'content',
  'question',
  'answer',
  'transcript',
  'summary',
  'body',
]);

const sqlStatement = /\b(?:insert into|update|delete from|select)\b/i;
const sqlLiteral = /'(?:[^']|'')*'/g;

/**
 * A copy of a parsed log line with `redactText` applied to every string in it. Unless `keepBodies`, the
 * text or objects under `messageBodyKeys` are replaced whole (numbers there, counts, stay), and so are the
 * quoted values of SQL quoted in a string: a database error repeats its statement with the values in it,
 * a message's text among them.
 */
export function redactLogValue(value: unknown, keepBodies: boolean): unknown {
  if (typeof value === 'string') {
    const text = !keepBodies && sqlStatement.test(value) ? value.replace(sqlLiteral, "'[redacted]'") : value;
    return redactText(text);
  }
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, keepBodies));
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const isBody =
      messageBodyKeys.has(key) &&
      (typeof field === 'string' || (typeof field === 'object' && field !== null));
    copy[key] = isBody && !keepBodies ? '[redacted body]' : redactLogValue(field, keepBodies);
  }
  return copy;
}

/** A connection URL (database, Redis) with its password masked, for logs, errors and health output. */
export function urlWithoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
