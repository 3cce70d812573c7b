import type { Response } from 'express';

/** What a CSV cell may hold: null and undefined are empty cells, dates are written as ISO 8601. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/** First characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One cell, RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. A text cell a
 * spreadsheet would run as a formula (`=HYPERLINK(…)` typed into a bot name or a lead's company) gets a
 * leading single quote, so it shows as text. Numbers are left alone: they cannot carry a formula, and a
 * quote would turn a negative number into text.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = value instanceof Date ? value.toISOString() : value;
  if (formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document (RFC 4180): a header line, then one line per row, every line ended by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

/** Answers with a CSV document as a download named `fileName`. */
export function sendCsv(res: Response, fileName: string, csv: string): void {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .attachment(fileName)
    .set('Cache-Control', 'no-store')
    .send(csv);
}
