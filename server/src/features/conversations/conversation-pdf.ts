import {
  conversationDurationMs,
  conversationStatus,
  formatDuration,
  languageLabel,
  type ChatMessage,
  type ConversationDetail,
  type ConversationStatus,
  type SourceRef,
} from '@chatbot/shared';
import { colors, PdfWriter } from './pdf-writer';

const statusLabels: Record<ConversationStatus, string> = {
  waiting: 'Waiting for a person',
  human: 'With an agent',
  active: 'Active with the bot',
  idle: 'Open, idle',
  closed: 'Closed',
};

/** "2026-03-12 14:03 UTC": the server does not know the reader's time zone, so it says which it uses. */
const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '-');

/**
 * A conversation as a document to keep or hand over (a visitor's access request, a complaint): who the
 * visitor was, where they came from, and the whole transcript with the sources the bot cited.
 */
export async function conversationPdf(detail: ConversationDetail): Promise<Uint8Array> {
  const { conversation, messages } = detail;
  const visitor = conversation.lead?.name ?? conversation.lead?.email ?? 'Anonymous visitor';
  const pdf = await PdfWriter.create(`Conversation with ${visitor} - ${conversation.botName}`);

  pdf.text(`Conversation with ${visitor}`, { size: 17, bold: true });
  pdf.text(
    `${conversation.botName} · started ${when(conversation.createdAt)} · ${conversation.messageCount} messages · ${formatDuration(conversationDurationMs(conversation))}`,
    { size: 10, color: colors.muted },
  );
  pdf.gap(10);

  pdf.text('Visitor', { size: 12, bold: true });
  pdf.gap(2);
  if (conversation.lead) {
    pdf.field('Name', conversation.lead.name ?? '-');
    pdf.field('Email', conversation.lead.email);
  }
  pdf.field('IP address', conversation.visitorIp ?? '-');
  pdf.field('User agent', conversation.userAgent ?? '-');
  pdf.field('Referrer', conversation.referrer ?? '-');
  pdf.field('Language', conversation.visitorLanguage ? languageLabel(conversation.visitorLanguage) : '-');
  pdf.field('Visitor id', conversation.visitorId);
  pdf.field('Status', statusLabels[conversationStatus(conversation)]);
  if (conversation.assignedAgentName) pdf.field('Agent', conversation.assignedAgentName);
  pdf.field('Conversation', conversation.id);
  pdf.gap(10);

  pdf.text('Transcript', { size: 12, bold: true });
  pdf.rule();
  if (!messages.length) pdf.text('No messages yet.', { size: 10, color: colors.muted });
  for (const message of messages) writeMessage(pdf, message);

  if (pdf.replaced) {
    pdf.gap(12);
    pdf.text(
      'Some characters of this conversation cannot be shown by the font of this PDF and appear as "?". The dashboard shows the full text.',
      { size: 8.5, color: colors.muted },
    );
  }
  return pdf.finish(`Conversation ${conversation.id} · exported ${when(new Date().toISOString())}`);
}

function writeMessage(pdf: PdfWriter, message: ChatMessage): void {
  pdf.keep(40);
  pdf.gap(6);
  const failed = message.state === 'failed' ? ' · answer failed' : '';
  const streaming = message.state === 'streaming' ? ' · still being written' : '';
  pdf.text(`${author(message)} · ${when(message.createdAt)}${failed}${streaming}`, {
    size: 9,
    bold: true,
    color: message.state === 'failed' ? colors.danger : roleColor(message),
  });
  pdf.text(message.content || '(empty)', {
    size: 10.5,
    color: message.role === 'system' ? colors.muted : colors.text,
  });
  if (message.error) pdf.text(`Why: ${message.error}`, { size: 8.5, color: colors.danger });
  if (message.sources.length) {
    pdf.text('Sources', { size: 8.5, bold: true, color: colors.muted, indent: 12 });
    for (const source of message.sources) {
      pdf.text(sourceLine(source), { size: 8.5, color: colors.muted, indent: 12 });
    }
  }
}

function author(message: ChatMessage): string {
  if (message.role === 'agent') return message.agentName ? `${message.agentName} (agent)` : 'Agent';
  return { visitor: 'Visitor', bot: 'Bot', system: 'Notice' }[message.role];
}

function roleColor(message: ChatMessage) {
  if (message.role === 'bot') return colors.primary;
  if (message.role === 'agent') return colors.success;
  return colors.muted;
}

function sourceLine(source: SourceRef): string {
  const where = [source.heading, source.page ? `page ${source.page}` : null].filter(Boolean).join(', ');
  return `[${source.index}] ${source.title}${where ? ` (${where})` : ''}${source.url ? ` - ${source.url}` : ''}`;
}
