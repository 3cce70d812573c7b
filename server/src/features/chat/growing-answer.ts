import type { MessageDelta } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Message } from '@chatbot/shared/platform';

/** How often a growing answer is written to the database, so a client that reconnects gets what was said. */
const saveEveryMs = 250;

/**
 * An answer as it streams: each piece goes out at once with its offset, and the text so far is written to
 * the database at most every {@link saveEveryMs}, one write at a time.
 */
export class GrowingAnswer {
  content = '';
  private saved = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly em: EntityManager,
    private readonly message: Message,
    private readonly emit: (delta: MessageDelta) => void,
  ) {}

  push(text: string): void {
    if (!text) return;
    const offset = this.content.length;
    this.content += text;
    this.emit({
      conversationId: this.message.conversation.id,
      messageId: this.message.id,
      offset,
      delta: text,
    });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.save());
    }, saveEveryMs);
  }

  /** Waits for pending writes; the final content is written by the caller. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
  }

  private async save(): Promise<void> {
    if (this.saved === this.content.length) return;
    const content = this.content;
    await this.em
      .fork()
      .nativeUpdate(Message, { id: this.message.id }, { content, updatedAt: new Date() })
      .catch(() => undefined); // a lost intermediate save only means a reconnect sees less; the end is written
    this.saved = content.length;
  }
}
