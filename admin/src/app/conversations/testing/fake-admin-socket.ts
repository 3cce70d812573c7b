import { signal } from '@angular/core';
import type { AdminServerToClientEvents } from '@chatbot/shared';

type ServerEvent = keyof AdminServerToClientEvents;

/**
 * Stands in for AdminSocket in unit tests: `emit` plays an event from the server to the listeners the
 * code under test registered, `acks` answers its requests by event name, and `requests` and `sent` record
 * what it sent.
 */
export class FakeAdminSocket {
  readonly connected = signal(true);
  readonly lost = signal(false);
  readonly epoch = signal(0);
  readonly requests: Array<{ event: string; payload: unknown }> = [];
  readonly sent: Array<{ event: string; payload: unknown }> = [];
  /** The ack's data by event name, or a function of the payload; an Error is a refusal. */
  acks: Record<string, unknown> = {};
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();

  connect(): void {}

  on<E extends ServerEvent>(
    event: E,
    handler: AdminServerToClientEvents[E],
    until?: { onDestroy(fn: () => void): void },
  ): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(handler as (payload: never) => void);
    this.listeners.set(event, set);
    const off = () => void set.delete(handler as (payload: never) => void);
    until?.onDestroy(off);
    return off;
  }

  emit<E extends ServerEvent>(event: E, ...args: Parameters<AdminServerToClientEvents[E]>): void {
    for (const handler of this.listeners.get(event) ?? []) (handler as (...a: unknown[]) => void)(...args);
  }

  listening(event: ServerEvent): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  async request(event: string, payload: unknown): Promise<unknown> {
    this.requests.push({ event, payload });
    const ack = this.acks[event];
    const data = typeof ack === 'function' ? (ack as (p: unknown) => unknown)(payload) : ack;
    if (data instanceof Error) throw data;
    return data;
  }

  send(event: string, payload: unknown): void {
    this.sent.push({ event, payload });
  }
}
