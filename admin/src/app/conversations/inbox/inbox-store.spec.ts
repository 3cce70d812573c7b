import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ConversationsResponse } from '@chatbot/shared';
import { AdminSocket } from '../../core/socket/admin-socket';
import { FakeAdminSocket } from '../testing/fake-admin-socket';
import { listItem, message, summary } from '../testing/fixtures';
import { InboxStore } from './inbox-store';

describe('InboxStore', () => {
  let socket: FakeAdminSocket;
  let http: HttpTestingController;
  let store: InboxStore;
  const flush = () => new Promise((resolve) => setTimeout(resolve));
  const ids = () => store.rows().map((row) => row.id);
  /** Answers the pending load of the inbox. */
  async function answerLoad(conversations: ConversationsResponse['conversations']) {
    const request = http.expectOne((r) => r.url === '/api/conversations');
    expect(request.request.params.get('open')).toBe('true');
    expect(Date.parse(request.request.params.get('activeSince')!)).toBeLessThan(Date.now() - 23 * 3600_000);
    request.flush({ conversations, total: conversations.length });
    await flush();
  }

  beforeEach(() => {
    socket = new FakeAdminSocket();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        InboxStore,
        { provide: AdminSocket, useValue: socket },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    store = TestBed.inject(InboxStore);
    TestBed.tick();
  });

  it('loads the open conversations, then reorders them as the socket tells, waiting ones first', async () => {
    await answerLoad([
      listItem({ id: 'a', lastMessageAt: '2026-03-02T10:00:00.000Z' }),
      listItem({ id: 'b', lastMessageAt: '2026-03-02T09:00:00.000Z' }),
    ]);
    expect(ids()).toEqual(['a', 'b']);
    socket.emit(
      'message:new',
      message({ conversationId: 'b', seq: 2, createdAt: '2026-03-02T10:01:00.000Z' }),
    );
    expect(ids()).toEqual(['b', 'a']);
    socket.emit(
      'conversation:updated',
      summary({ id: 'a', messageCount: 2, handoffRequestedAt: '2026-03-02T10:02:00.000Z' }),
    );
    expect(ids()).toEqual(['a', 'b']);
    expect(store.waiting()).toBe(1);
    socket.emit('conversation:deleted', { conversationId: 'a' });
    expect(ids()).toEqual(['b']);
  });

  it('loads again, once, for what it cannot place: a new conversation, a message of an unknown one, a lead', async () => {
    await answerLoad([]);
    vi.useFakeTimers();
    try {
      socket.emit('conversation:updated', summary({ id: 'new', messageCount: 0 }));
      expect(ids()).toEqual(['new']);
      socket.emit('message:new', message({ conversationId: 'unknown' }));
      socket.emit('lead:new', { leadId: 'l1', botId: 'b1', conversationId: 'new' });
      http.expectNone('/api/conversations');
      await vi.advanceTimersByTimeAsync(300);
      const reload = http.expectOne((r) => r.url === '/api/conversations');
      reload.flush({
        conversations: [
          listItem({
            id: 'new',
            messageCount: 0,
            botName: 'Sales',
            lead: { id: 'l1', name: 'Ada', email: 'a@x.io' },
          }),
        ],
        total: 1,
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(store.row('new')).toMatchObject({ botName: 'Sales', lead: { name: 'Ada' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads again when the socket reconnects, and says why a load failed', async () => {
    await answerLoad([listItem({ id: 'a' })]);
    socket.connected.set(false);
    TestBed.tick();
    http.expectNone('/api/conversations');
    socket.connected.set(true);
    socket.epoch.set(1);
    TestBed.tick();
    http
      .expectOne((r) => r.url === '/api/conversations')
      .flush(
        { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
        { status: 500, statusText: 'Error' },
      );
    await flush();
    expect(store.error()).toBe('Something went wrong on our side.');
    expect(ids()).toEqual(['a']);
  });
});
