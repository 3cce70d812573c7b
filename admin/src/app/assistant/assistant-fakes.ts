import { provideZonelessChangeDetection, signal } from '@angular/core';
import type { AssistantDelta, AssistantDone, UserView } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';

/**
 * Stand-ins for unit tests: the `/admin` socket as views use it (listeners a test fires, asks it answers
 * when the test says) and the session's user.
 */
export class FakeSocket {
  readonly connected = signal(true);
  readonly epoch = signal(0);
  readonly listeners = new Map<string, Set<(payload: never) => void>>();
  readonly asked: {
    payload: { question: string; clientMessageId: string };
    answer: (id: string) => void;
    refuse: (error: Error) => void;
  }[] = [];

  on(event: string, handler: (payload: never) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(handler);
    this.listeners.set(event, set);
    return () => set.delete(handler);
  }

  request(
    _event: string,
    payload: { question: string; clientMessageId: string },
  ): Promise<{ messageId: string }> {
    return new Promise((resolve, reject) =>
      this.asked.push({ payload, answer: (messageId) => resolve({ messageId }), refuse: reject }),
    );
  }

  emit(event: 'assistant:delta', payload: AssistantDelta): void;
  emit(event: 'assistant:done', payload: AssistantDone): void;
  emit(event: 'conversation:updated' | 'lead:new' | 'handoff:requested', payload: unknown): void;
  emit(event: string, payload: unknown): void {
    for (const handler of this.listeners.get(event) ?? []) handler(payload as never);
  }

  listening(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

export const user = (id: string) =>
  ({ id, name: 'Ada', email: 'ada@example.com', role: 'owner' }) as UserView;

/** The fakes in place of the socket and the session, zoneless. */
export function provideAssistantFakes(socket: FakeSocket, current = signal<UserView | null>(user('u-1'))) {
  return [
    provideZonelessChangeDetection(),
    { provide: AdminSocket, useValue: socket },
    { provide: Session, useValue: { user: current } },
  ];
}
