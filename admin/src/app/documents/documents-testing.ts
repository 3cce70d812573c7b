/** What the documents specs share: a bot id, documents as the API presents them, and waiting for answers. */
import { signal, type DestroyRef } from '@angular/core';
import type { AdminServerToClientEvents, DocumentView } from '@chatbot/shared';

export const BOT = '00000000-0000-4000-8000-000000000001';

export function documentView(id: string, changes: Partial<DocumentView> = {}): DocumentView {
  return {
    id,
    botId: BOT,
    name: `${id}.txt`,
    mimeType: 'text/plain',
    sizeBytes: 1200,
    sourceUrl: null,
    status: 'completed',
    progress: 100,
    chunkCount: 3,
    tokenCount: 420,
    error: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    indexedAt: '2026-03-01T10:00:01.000Z',
    ...changes,
  };
}

/** Lets the promises of answered requests run their continuations. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

type ServerEvents = AdminServerToClientEvents;

/** Stands in for AdminSocket: records the page's listeners and lets a spec play server events. */
export class FakeAdminSocket {
  readonly epoch = signal(0);
  private readonly handlers = new Map<string, (...args: never[]) => void>();

  on<E extends keyof ServerEvents>(event: E, handler: ServerEvents[E], until?: DestroyRef): () => void {
    this.handlers.set(event, handler);
    const off = () => void this.handlers.delete(event);
    until?.onDestroy(off);
    return off;
  }

  emit<E extends keyof ServerEvents>(event: E, ...args: Parameters<ServerEvents[E]>): void {
    (this.handlers.get(event) as ((...args: Parameters<ServerEvents[E]>) => void) | undefined)?.(...args);
  }
}
