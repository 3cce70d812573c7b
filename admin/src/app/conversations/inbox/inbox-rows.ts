import {
  ConversationPreviewLength,
  type ChatMessage,
  type ConversationListItem,
  type ConversationSummary,
  type MessageDone,
} from '@chatbot/shared';
import { isWaiting } from './is-waiting';

/** A row of the live inbox: the conversation as last heard, and when it was last active, for ordering. */
export interface InboxRow extends ConversationListItem {
  /** The newest activity heard (a message, or the summary's last message), in ms. */
  activityAt: number;
}

export type InboxRows = ReadonlyMap<string, InboxRow>;

const time = (iso: string | null) => (iso ? Date.parse(iso) : 0);

export function fromListItem(item: ConversationListItem): InboxRow {
  return { ...item, activityAt: Math.max(time(item.lastMessageAt), time(item.createdAt)) };
}

/** The inbox's order: those waiting for a person first, longest wait first; then the latest activity first. */
export function sortInbox(rows: Iterable<InboxRow>): InboxRow[] {
  return [...rows].sort((a, b) => {
    const waiting = Number(isWaiting(b)) - Number(isWaiting(a));
    if (waiting) return waiting;
    if (isWaiting(a)) return time(a.handoffRequestedAt) - time(b.handoffRequestedAt);
    return b.activityAt - a.activityAt || a.id.localeCompare(b.id);
  });
}

/**
 * A `conversation:updated`: the row as it is now. A summary older than what is held (fewer messages: it was
 * read before a later message was stored) is ignored. A closed conversation leaves the inbox unless it is
 * `pinned` (open on screen). One not held yet joins with what the summary tells; the visitor's lead (and
 * the bot's name, unless another row has it) come with the next load.
 */
export function applySummary(
  rows: InboxRows,
  summary: ConversationSummary,
  pinned: string | null,
): InboxRows {
  const held = rows.get(summary.id);
  if (held && summary.messageCount < held.messageCount) return rows;
  const next = new Map(rows);
  if (summary.mode === 'closed' && summary.id !== pinned) {
    next.delete(summary.id);
    return next;
  }
  next.set(summary.id, {
    // A new row takes its bot's name from another row of the same bot until the load brings it.
    botName: [...rows.values()].find((row) => row.botId === summary.botId && row.botName)?.botName ?? '',
    lead: null,
    lastMessage: null,
    ...held,
    ...summary,
    activityAt: Math.max(held?.activityAt ?? 0, time(summary.lastMessageAt), time(summary.createdAt)),
  });
  return next;
}

/** A `message:new`: the row moves up and previews it. Unknown conversations are left to the next load. */
export function applyMessage(rows: InboxRows, message: ChatMessage): InboxRows {
  const held = rows.get(message.conversationId);
  if (!held || message.seq < (held.lastMessage?.seq ?? 0)) return rows;
  const next = new Map(rows);
  next.set(held.id, {
    ...held,
    messageCount: Math.max(held.messageCount, message.seq),
    lastMessageAt: message.createdAt > (held.lastMessageAt ?? '') ? message.createdAt : held.lastMessageAt,
    activityAt: Math.max(held.activityAt, time(message.createdAt)),
    lastMessage: preview(message),
  });
  return next;
}

/** A `message:done`: the preview of a streamed answer gets its final text. */
export function applyDone(rows: InboxRows, done: MessageDone): InboxRows {
  const held = rows.get(done.conversationId);
  if (!held?.lastMessage || held.lastMessage.id !== done.messageId) return rows;
  const next = new Map(rows);
  next.set(held.id, { ...held, lastMessage: preview({ ...held.lastMessage, content: done.content }) });
  return next;
}

function preview(message: Pick<ChatMessage, 'id' | 'seq' | 'role' | 'content'>): InboxRow['lastMessage'] {
  const { id, seq, role, content } = message;
  return { id, seq, role, content: content.slice(0, ConversationPreviewLength) };
}

/**
 * A fresh load of the inbox, merged with what was heard while it was in flight: a row heard since
 * `requestedAt` stays (the load may predate it), and a held row as far along as the loaded one (the
 * socket kept it current) keeps its state but takes the loaded bot name and lead.
 */
export function mergeLoad(
  rows: InboxRows,
  loaded: ConversationListItem[],
  requestedAt: number,
  pinned: string | null,
): InboxRows {
  const next = new Map<string, InboxRow>();
  for (const row of rows.values()) {
    if (row.activityAt >= requestedAt || row.id === pinned) next.set(row.id, row);
  }
  for (const item of loaded) {
    const held = rows.get(item.id);
    const fresh = fromListItem(item);
    next.set(
      item.id,
      held && held.messageCount >= item.messageCount
        ? { ...held, botName: item.botName, lead: item.lead }
        : { ...fresh, activityAt: Math.max(fresh.activityAt, held?.activityAt ?? 0) },
    );
  }
  return next;
}
