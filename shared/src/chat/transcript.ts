import type { ChatMessage, MessageDelta, MessageDone } from '../socket/events';

/**
 * A conversation as a client holds it, merging what arrives from every path (a join's replay, live
 * `message:new`, `message:delta` and `message:done`, in any order and any number of times) into each
 * message exactly once, in sequence order. The widget and the dashboard both keep one; so do the tests.
 */
export class Transcript {
  private readonly byId = new Map<string, ChatMessage>();
  /** Pieces that arrived ahead of the text they follow (live deltas heard before a join's replay). */
  private readonly early = new Map<string, MessageDelta[]>();

  /** The messages, oldest first. */
  get messages(): ChatMessage[] {
    return [...this.byId.values()].sort((a, b) => a.seq - b.seq);
  }

  /**
   * The `sinceSeq` to join with after a disconnect: just before the oldest answer still streaming (so
   * its saved text comes back with it), else the newest message known.
   */
  get resumeFrom(): number {
    const messages = this.messages;
    const streaming = messages.find((message) => message.state === 'streaming');
    if (streaming) return streaming.seq - 1;
    return messages.at(-1)?.seq ?? 0;
  }

  /** A message from a replay or `message:new`: kept unless what is held is further along. */
  add(message: ChatMessage): void {
    const held = this.byId.get(message.id);
    if (held && held.state !== 'streaming') return;
    if (held && message.state === 'streaming' && held.content.length >= message.content.length) return;
    this.byId.set(message.id, { ...message });
    this.applyEarly(message.id);
  }

  /**
   * A piece of a streaming answer, placed by its offset, so a piece heard twice counts once. A piece that
   * comes ahead of the text it follows is kept (`early`) and applied once that text arrives, as a join's
   * replay brings it; if it never does (the socket was away and did not join again), `message:done`
   * completes the message anyway.
   */
  addDelta(delta: MessageDelta): 'applied' | 'duplicate' | 'early' {
    const held = this.byId.get(delta.messageId);
    if (!held || delta.offset > held.content.length) {
      const waiting = this.early.get(delta.messageId) ?? [];
      if (waiting.length < maxEarly) waiting.push(delta);
      this.early.set(delta.messageId, waiting);
      return 'early';
    }
    if (held.state !== 'streaming' || delta.offset + delta.delta.length <= held.content.length) {
      return 'duplicate';
    }
    held.content = held.content.slice(0, delta.offset) + delta.delta;
    this.applyEarly(delta.messageId);
    return 'applied';
  }

  /** The finished answer: its full text replaces whatever was pieced together. */
  done(done: MessageDone): void {
    this.early.delete(done.messageId);
    const held = this.byId.get(done.messageId);
    if (!held) return;
    Object.assign(held, { content: done.content, state: done.state, sources: done.sources });
    if (done.unanswered) held.unanswered = true;
  }

  private applyEarly(messageId: string): void {
    const waiting = this.early.get(messageId);
    const held = this.byId.get(messageId);
    if (!waiting || !held) return;
    this.early.delete(messageId);
    for (const delta of waiting.sort((a, b) => a.offset - b.offset)) this.addDelta(delta);
  }
}

/** Early pieces kept per message at most: a long gap is left to `message:done`. */
const maxEarly = 2000;
