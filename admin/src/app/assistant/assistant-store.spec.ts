import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AssistantDone, UserView } from '@chatbot/shared';
import { SocketAckError } from '../core/socket/admin-socket';
import { FakeSocket, provideAssistantFakes, user } from './assistant-fakes';
import { AssistantStore } from './assistant-store';

const done = (messageId: string, content: string): AssistantDone => ({
  messageId,
  content,
  sources: [],
  toolCalls: [{ name: 'leads_this_month', result: { total: 3 } }],
  state: 'complete',
});

describe('AssistantStore', () => {
  let socket: FakeSocket;
  let store: AssistantStore;
  const current = signal<UserView | null>(user('u-1'));

  beforeEach(() => {
    socket = new FakeSocket();
    current.set(user('u-1'));
    TestBed.configureTestingModule({ providers: provideAssistantFakes(socket, current) });
    store = TestBed.inject(AssistantStore);
    TestBed.tick();
  });

  const turn = () => store.turns().at(-1)!;

  it('asks over the socket, streams the answer in by offset, and lets the whole answer replace it', async () => {
    const asking = store.ask('  How many leads this month?  ');
    expect(turn()).toMatchObject({ question: 'How many leads this month?', state: 'sending' });
    const [ask] = socket.asked;
    expect(ask!.payload.question).toBe('How many leads this month?');
    expect(ask!.payload.clientMessageId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    // A piece can overtake the ack: it is kept until the ack names its answer.
    socket.emit('assistant:delta', { messageId: 'm-1', offset: 0, delta: 'You have' });
    ask!.answer('m-1');
    await asking;
    expect(turn()).toMatchObject({ messageId: 'm-1', state: 'streaming', content: 'You have' });
    socket.emit('assistant:delta', { messageId: 'm-1', offset: 10, delta: ' leads.' });
    socket.emit('assistant:delta', { messageId: 'm-1', offset: 8, delta: ' 3' });
    expect(turn().content).toBe('You have 3 leads.');
    socket.emit('assistant:delta', { messageId: 'other', offset: 0, delta: 'Not mine' });
    expect(turn().content).toBe('You have 3 leads.');
    socket.emit('assistant:done', done('m-1', 'You have 3 leads this month.'));
    expect(turn()).toMatchObject({ state: 'complete', content: 'You have 3 leads this month.' });
    expect(turn().toolCalls[0]!.name).toBe('leads_this_month');
    expect(socket.listening()).toBe(0);
  });

  it('shows a refusal in the server’s words, with the time to wait', async () => {
    const asking = store.ask('How many leads?');
    socket.asked[0]!.refuse(new SocketAckError('rate_limited', 'Too many requests. Try again in 12 s.'));
    await asking;
    expect(turn()).toMatchObject({ state: 'refused', error: 'Too many requests. Try again in 12 s.' });
    expect(socket.listening()).toBe(0);
  });

  it('marks an answer failed when the connection drops while it streams', async () => {
    const asking = store.ask('How many leads?');
    socket.asked[0]!.answer('m-1');
    await asking;
    socket.emit('assistant:delta', { messageId: 'm-1', offset: 0, delta: 'You have' });
    socket.connected.set(false);
    TestBed.tick();
    expect(turn()).toMatchObject({ state: 'failed', content: 'You have' });
    expect(turn().error).toMatch(/connection dropped/);
  });

  it('keeps the conversation for the session and forgets it when another user signs in', async () => {
    void store.ask('How many leads?');
    void store.ask('And conversations?');
    expect(store.turns().map((t) => t.question)).toEqual(['How many leads?', 'And conversations?']);
    current.set(user('u-1'));
    TestBed.tick();
    expect(store.turns()).toHaveLength(2);
    current.set(user('u-2'));
    TestBed.tick();
    expect(store.turns()).toEqual([]);
    expect(socket.listening()).toBe(0);
  });

  it('does not send an empty question', async () => {
    await store.ask('   ');
    expect(socket.asked).toEqual([]);
    expect(store.turns()).toEqual([]);
  });
});
