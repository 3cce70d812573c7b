/** What a visitor's browser keeps of a conversation with one bot, so a reload or a new tab continues it. */
export interface SavedSession {
  conversationId: string;
  visitorToken: string;
  /** The newest message the visitor has seen with the window open: newer ones count as unread. */
  lastSeenSeq: number;
}

/**
 * The saved session of each bot in the page's localStorage. Storage can be missing or refuse writes
 * (private modes, sandboxed frames, a full quota): then the conversation simply lasts as long as the page.
 */
export class SessionStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly botId: string,
  ) {}

  private get key(): string {
    return `chat-bot:${this.botId}`;
  }

  load(): SavedSession | null {
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) ?? 'null') as Partial<SavedSession> | null;
      if (typeof saved?.conversationId !== 'string' || typeof saved.visitorToken !== 'string') return null;
      return {
        conversationId: saved.conversationId,
        visitorToken: saved.visitorToken,
        lastSeenSeq: Number.isInteger(saved.lastSeenSeq) ? saved.lastSeenSeq! : 0,
      };
    } catch {
      return null;
    }
  }

  save(session: SavedSession): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(session));
    } catch {
      // Nothing to do: the conversation goes on in this page.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // As in save().
    }
  }
}

/** The page's localStorage, or null where the page may not use it (reading it throws in sandboxed frames). */
export function pageStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}
