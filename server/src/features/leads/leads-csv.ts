import type { Lead } from '@chatbot/shared/platform';
import { csvCell, type CsvValue } from '../../http/csv';

/** The export's columns, in order, each with how a lead fills it. */
const columns: [header: string, value: (lead: Lead) => CsvValue][] = [
  ['id', (lead) => lead.id],
  ['created_at', (lead) => lead.createdAt],
  ['bot_id', (lead) => lead.bot.id],
  ['bot_name', (lead) => (lead.bot.isInitialized() ? lead.bot.getEntity().name : null)],
  ['conversation_id', (lead) => lead.conversation.id],
  ['email', (lead) => lead.email],
  ['name', (lead) => lead.name],
  ['phone', (lead) => lead.phone],
  ['company', (lead) => lead.company],
  ['consent', (lead) => lead.consent],
  ['consent_at', (lead) => lead.consentAt],
  ['status', (lead) => lead.status],
  ['score', (lead) => lead.score],
  ['score_reasons', (lead) => lead.scoreReasons.join('; ')],
  ['summary', (lead) => lead.summary],
  ['assignee', (lead) => (lead.assignee?.isInitialized() ? lead.assignee.getEntity().name : null)],
];

/** The header line of the export, CRLF-ended (RFC 4180). */
export const leadsCsvHeader = `${columns.map(([header]) => header).join(',')}\r\n`;

/**
 * Lines of the export for these leads, CRLF-ended. Cells are quoted as RFC 4180 says and made
 * formula-safe by `csvCell` (visitors type the names and companies that land in a spreadsheet).
 */
export function leadsCsvLines(leads: readonly Lead[]): string {
  return leads.map((lead) => `${columns.map(([, value]) => csvCell(value(lead))).join(',')}\r\n`).join('');
}
