import assert from 'node:assert/strict';
import type { ChatMessage } from '../socket/events';
import { Transcript } from './transcript';

const message = (seq: number, content: string, state: ChatMessage['state'] = 'complete'): ChatMessage => ({
  id: `m${seq}`,
  conversationId: 'c',
  seq,
  role: seq % 2 ? 'visitor' : 'bot',
  content,
  state,
  sources: [],
  clientMessageId: `client-${seq}`,
  createdAt: new Date(0).toISOString(),
});
const delta = (offset: number, text: string) => ({
  conversationId: 'c',
  messageId: 'm2',
  offset,
  delta: text,
});

describe('Transcript', () => {
  it('keeps each message once, in sequence order, whatever order and how often they come', () => {
    const transcript = new Transcript();
    transcript.add(message(3, 'three'));
    transcript.add(message(1, 'one'));
    transcript.add(message(1, 'one'));
    transcript.add(message(2, 'two'));
    assert.deepEqual(
      transcript.messages.map((m) => m.seq),
      [1, 2, 3],
    );
    assert.equal(transcript.resumeFrom, 3);
  });

  it('places deltas by offset: repeats count once, early pieces wait for the text they follow', () => {
    const transcript = new Transcript();
    transcript.add(message(1, 'q'));
    transcript.add(message(2, '', 'streaming'));
    assert.equal(transcript.addDelta(delta(0, 'Hello')), 'applied');
    assert.equal(transcript.addDelta(delta(0, 'Hello')), 'duplicate');
    assert.equal(transcript.addDelta(delta(11, ' again')), 'early');
    assert.equal(transcript.messages[1]!.content, 'Hello');
    assert.equal(transcript.resumeFrom, 1, 'from just before the answer in progress');
    // A replay brings the text up to the early piece; the piece then applies.
    transcript.add(message(2, 'Hello world', 'streaming'));
    assert.equal(transcript.messages[1]!.content, 'Hello world again');
    // A replay that is behind what is held changes nothing.
    transcript.add(message(2, 'Hello', 'streaming'));
    assert.equal(transcript.messages[1]!.content, 'Hello world again');
  });

  it('takes the final text of message:done, and ignores anything older after it', () => {
    const transcript = new Transcript();
    transcript.add(message(2, 'Hel', 'streaming'));
    transcript.done({
      conversationId: 'c',
      messageId: 'm2',
      content: 'Hello.',
      state: 'complete',
      sources: [],
      usage: { promptTokens: 1, completionTokens: 1, costUsd: 0 },
    });
    transcript.add(message(2, 'Hello', 'streaming'));
    assert.equal(transcript.addDelta(delta(5, '!')), 'duplicate');
    assert.deepEqual(
      [transcript.messages[0]!.content, transcript.messages[0]!.state],
      ['Hello.', 'complete'],
    );
  });

  it('holds deltas of an answer it has not heard of yet until its message arrives', () => {
    const transcript = new Transcript();
    assert.equal(transcript.addDelta(delta(0, 'Hi')), 'early');
    transcript.add(message(2, '', 'streaming'));
    assert.equal(transcript.messages[0]!.content, 'Hi');
  });
});
