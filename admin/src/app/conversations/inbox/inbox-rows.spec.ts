import type { MessageDone } from '@chatbot/shared';
import { listItem, message, summary } from '../testing/fixtures';
import {
  applyDone,
  applyMessage,
  applySummary,
  fromListItem,
  mergeLoad,
  sortInbox,
  type InboxRows,
} from './inbox-rows';

const rowsOf = (...items: ReturnType<typeof listItem>[]): InboxRows =>
  new Map(items.map((item) => [item.id, fromListItem(item)]));
const order = (rows: InboxRows) => sortInbox(rows.values()).map((row) => row.id);

describe('inbox rows', () => {
  it('puts conversations waiting for a person first, longest wait first, then the latest activity first', () => {
    const rows = rowsOf(
      listItem({ id: 'old', lastMessageAt: '2026-03-02T09:00:00.000Z' }),
      listItem({ id: 'recent', lastMessageAt: '2026-03-02T10:05:00.000Z' }),
      listItem({ id: 'waiting-short', handoffRequestedAt: '2026-03-02T10:04:00.000Z' }),
      listItem({ id: 'waiting-long', handoffRequestedAt: '2026-03-02T10:01:00.000Z' }),
      // An agent has it: the request was answered, it no longer waits.
      listItem({ id: 'taken', mode: 'human', handoffRequestedAt: '2026-03-02T09:30:00.000Z' }),
    );
    expect(order(rows)).toEqual(['waiting-long', 'waiting-short', 'recent', 'taken', 'old']);
  });

  it('moves a conversation up and previews it when a message arrives', () => {
    let rows = rowsOf(
      listItem({ id: 'a', lastMessageAt: '2026-03-02T10:00:00.000Z' }),
      listItem({ id: 'b', lastMessageAt: '2026-03-02T10:01:00.000Z' }),
    );
    expect(order(rows)).toEqual(['b', 'a']);
    rows = applyMessage(
      rows,
      message({ conversationId: 'a', seq: 2, content: 'Any news?', createdAt: '2026-03-02T10:02:00.000Z' }),
    );
    expect(order(rows)).toEqual(['a', 'b']);
    expect(rows.get('a')).toMatchObject({
      messageCount: 2,
      lastMessage: { role: 'visitor', content: 'Any news?' },
    });
  });

  it('gives a streamed answer’s preview its final text, and only that answer’s', () => {
    let rows = rowsOf(listItem({ id: 'a' }));
    rows = applyMessage(
      rows,
      message({ id: 'answer', conversationId: 'a', seq: 2, role: 'bot', content: '', state: 'streaming' }),
    );
    const done: Omit<MessageDone, 'messageId' | 'content'> = {
      conversationId: 'a',
      state: 'complete',
      sources: [],
      usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
    };
    expect(applyDone(rows, { ...done, messageId: 'another', content: 'Not this' })).toBe(rows);
    rows = applyDone(rows, { ...done, messageId: 'answer', content: 'We open at 9.' });
    expect(rows.get('a')!.lastMessage).toEqual({
      id: 'answer',
      seq: 2,
      role: 'bot',
      content: 'We open at 9.',
    });
  });

  it('ignores a summary older than what it holds, and drops closed conversations unless on screen', () => {
    let rows = rowsOf(listItem({ id: 'a', messageCount: 5, botName: 'Sales' }));
    expect(applySummary(rows, summary({ id: 'a', messageCount: 4, mode: 'human' }), null)).toBe(rows);
    rows = applySummary(
      rows,
      summary({ id: 'a', messageCount: 6, mode: 'human', assignedAgentName: 'Sam' }),
      null,
    );
    expect(rows.get('a')).toMatchObject({ mode: 'human', assignedAgentName: 'Sam', botName: 'Sales' });
    expect(
      applySummary(rows, summary({ id: 'a', messageCount: 7, mode: 'closed' }), 'a').get('a')?.mode,
    ).toBe('closed');
    expect(applySummary(rows, summary({ id: 'a', messageCount: 7, mode: 'closed' }), null).has('a')).toBe(
      false,
    );
  });

  it('adds a new conversation from its summary, with its bot’s name when another row knows it', () => {
    const rows = applySummary(new Map(), summary({ id: 'new', messageCount: 0 }), null);
    expect(rows.get('new')).toMatchObject({ id: 'new', botName: '', lead: null, lastMessage: null });
    const known = rowsOf(listItem({ id: 'a', botId: 'b2', botName: 'Sales' }));
    expect(applySummary(known, summary({ id: 'new', botId: 'b2' }), null).get('new')!.botName).toBe('Sales');
  });

  it('merges a load with what was heard while it was in flight', () => {
    const requestedAt = Date.parse('2026-03-02T10:00:00.000Z');
    let rows = rowsOf(listItem({ id: 'gone', lastMessageAt: '2026-03-02T08:00:00.000Z' }));
    rows = applySummary(
      rows,
      summary({ id: 'heard', messageCount: 3, lastMessageAt: '2026-03-02T10:00:01.000Z' }),
      null,
    );
    const merged = mergeLoad(
      rows,
      [
        listItem({
          id: 'heard',
          messageCount: 2,
          botName: 'Sales',
          lead: { id: 'l1', name: 'Ada', email: 'ada@example.com' },
        }),
      ],
      requestedAt,
      null,
    );
    expect([...merged.keys()]).toEqual(['heard']);
    // Further along than the load: its state stays, the load's bot name and lead are taken.
    expect(merged.get('heard')).toMatchObject({ messageCount: 3, botName: 'Sales', lead: { name: 'Ada' } });
  });
});
