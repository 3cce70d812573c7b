import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Session } from '../../core/auth/session';
import { AdminSocket } from '../../core/socket/admin-socket';
import { FakeAdminSocket } from '../testing/fake-admin-socket';
import { message, summary } from '../testing/fixtures';
import { LiveConversation } from './live-conversation';

describe('LiveConversation', () => {
  let socket: FakeAdminSocket;
  let live: LiveConversation;
  const flush = () => new Promise((resolve) => setTimeout(resolve));

  beforeEach(() => {
    socket = new FakeAdminSocket();
    socket.acks['conversation:watch'] = ({ conversationId }: { conversationId: string }) => ({
      conversation: summary({ id: conversationId }),
      messages: [message({ id: 'q', conversationId, seq: 1 })],
    });
    socket.acks['conversation:unwatch'] = {};
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        LiveConversation,
        { provide: AdminSocket, useValue: socket },
        { provide: Session, useValue: { user: signal({ id: 'me' }) } },
      ],
    });
    live = TestBed.inject(LiveConversation);
  });

  it('watches the conversation and merges the streamed answer, pieces heard before the replay included', async () => {
    live.open('c1');
    // A piece of the answer arrives before the watch's ack with the message it belongs to.
    socket.emit('message:new', message({ id: 'a', seq: 2, role: 'bot', content: '', state: 'streaming' }));
    socket.emit('message:delta', { conversationId: 'c1', messageId: 'a', offset: 0, delta: 'We open ' });
    socket.emit('message:delta', { conversationId: 'c1', messageId: 'a', offset: 8, delta: 'at 9' });
    socket.emit('message:delta', { conversationId: 'c1', messageId: 'a', offset: 8, delta: 'at 9' });
    socket.emit('message:delta', { conversationId: 'other', messageId: 'x', offset: 0, delta: 'not ours' });
    await flush();
    expect(socket.requests[0]).toEqual({
      event: 'conversation:watch',
      payload: { conversationId: 'c1', sinceSeq: undefined },
    });
    expect(live.messages().map((m) => [m.id, m.content, m.state])).toEqual([
      ['q', 'Hello', 'complete'],
      ['a', 'We open at 9', 'streaming'],
    ]);
    socket.emit('message:done', {
      conversationId: 'c1',
      messageId: 'a',
      content: 'We open at 9 am.',
      state: 'complete',
      sources: [],
      usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
    });
    expect(live.messages().at(-1)).toMatchObject({ content: 'We open at 9 am.', state: 'complete' });
  });

  it('unwatches the conversation it leaves, and watches again from where it was after a reconnection', async () => {
    live.open('c1');
    await flush();
    live.open('c2');
    await flush();
    expect(socket.requests.map((r) => r.event)).toEqual([
      'conversation:watch',
      'conversation:unwatch',
      'conversation:watch',
    ]);
    expect(socket.requests[1]!.payload).toEqual({ conversationId: 'c1' });

    socket.emit('message:new', message({ id: 'late', conversationId: 'c2', seq: 4 }));
    socket.epoch.set(1);
    TestBed.tick();
    await flush();
    expect(socket.requests.at(-1)).toEqual({
      event: 'conversation:watch',
      payload: { conversationId: 'c2', sinceSeq: 4 },
    });
  });

  it('shows the visitor typing, and says the agent is typing at most every two seconds, then that they stopped', async () => {
    vi.useFakeTimers();
    try {
      socket.acks['conversation:watch'] = {
        conversation: summary({ mode: 'human', assignedAgentId: 'me' }),
        messages: [],
      };
      live.open('c1');
      await vi.advanceTimersByTimeAsync(0);
      expect(live.mine()).toBe(true);

      socket.emit('typing', { conversationId: 'c1', role: 'visitor', isTyping: true });
      expect(live.visitorTyping()).toBe(true);
      socket.emit('typing', { conversationId: 'c1', role: 'visitor', isTyping: false });
      expect(live.visitorTyping()).toBe(false);

      live.typed();
      live.typed();
      await vi.advanceTimersByTimeAsync(1000);
      live.typed();
      expect(socket.sent).toEqual([{ event: 'typing', payload: { conversationId: 'c1', isTyping: true } }]);
      await vi.advanceTimersByTimeAsync(2600);
      expect(socket.sent.at(-1)).toEqual({
        event: 'typing',
        payload: { conversationId: 'c1', isTyping: false },
      });
      expect(socket.sent).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes over, sends and hands back through the socket, keeping the conversation as the server says', async () => {
    live.open('c1');
    await flush();
    socket.acks['conversation:takeover'] = {
      conversation: summary({ mode: 'human', assignedAgentId: 'me', messageCount: 2 }),
    };
    await live.takeover();
    expect(live.mine()).toBe(true);
    socket.acks['message:send'] = { messageId: 'm9', seq: 3 };
    await live.send('Hi, Sam here.');
    expect(socket.requests.at(-1)).toMatchObject({
      event: 'message:send',
      payload: { conversationId: 'c1', text: 'Hi, Sam here.' },
    });
    socket.acks['conversation:release'] = new Error(
      'Only the agent who took the conversation over can hand it back.',
    );
    await expect(live.release()).rejects.toThrow('Only the agent');
    expect(live.busy()).toBeNull();
  });

  it('stops listening when its view goes', () => {
    expect(socket.listening('message:delta')).toBe(1);
    TestBed.resetTestingModule();
    expect(socket.listening('message:delta')).toBe(0);
  });
});
