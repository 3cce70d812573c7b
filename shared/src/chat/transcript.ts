import type { ChatMessage, MessageDelta, MessageDone } from '../socket/events';

/**
 * A conversation as a client holds it, merging what arrives from every path (a join's replay, live
 * `message:new`, `message:delta` and `message:done`, in any order and any number of times) into each
 * message exactly once, in sequence order. The widget and the dashboard both keep one; so do the tests.
 */
export class Transcript {
  private readonly byId = new Map<string, ChatMessage>();

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
  }

  /**
   * A piece of a streaming answer. Returns `gap` when pieces were missed (the socket was away): the
   * caller joins again from {@link resumeFrom} to get the saved text; `message:done` completes it anyway.
   */
  addDelta(delta: MessageDelta): 'applied' | 'duplicate' | 'gap' | 'unknown' {
    const held = this.byId.get(delta.messageId);
    if (!held) return 'unknown';
    if (held.state !== 'streaming') return 'duplicate';
    const end = delta.offset + delta.delta.length;
    if (delta.offset > held.content.length) return 'gap';
    if (end <= held.content.length) return 'duplicate';
    held.content = held.content.slice(0, delta.offset) + delta.delta;
    return 'applied';
  }

  /** The finished answer: its full text replaces whatever was pieced together. */
  done(done: MessageDone): void {
    const held = this.byId.get(done.messageId);
    if (!held) return;
    Object.assign(held, { content: done.content, state: done.state, sources: done.sources });
  }
}
