import type { HttpTestingController } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { LeadDetail, LeadView, Role, UserView, WebhookDeliveryView, WebhookView } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';

/** Test doubles for the lead and webhook pages' specs: a signed-in user and a socket the test drives. */

export function user(role: Role, overrides: Partial<UserView> = {}): UserView {
  return {
    id: `user-${role}`,
    email: `${role}@example.com`,
    name: `${role[0]!.toUpperCase()}${role.slice(1)} User`,
    role,
    createdAt: '2026-11-01T09:00:00.000Z',
    lastLoginAt: null,
    ...overrides,
  };
}

export function fakeSession(signedIn: UserView) {
  const current = signal(signedIn);
  return {
    provide: Session,
    useValue: {
      user: current,
      hasRole: (...roles: Role[]) => roles.includes(current().role),
    } satisfies Partial<Session>,
  };
}

/** An AdminSocket that never connects: `emit` calls the handlers the page registered. */
export class FakeSocket {
  readonly epoch = signal(0);
  private readonly handlers = new Map<string, Set<(payload: never) => void>>();

  on(event: string, handler: (payload: never) => void) {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler);
    this.handlers.set(event, set);
    return () => set.delete(handler);
  }

  emit(event: string, payload: unknown): void {
    this.handlers.get(event)?.forEach((handler) => handler(payload as never));
  }

  static provider(socket: FakeSocket) {
    return { provide: AdminSocket, useValue: socket };
  }
}

export function lead(overrides: Partial<LeadView> = {}): LeadView {
  return {
    id: 'lead-1',
    botId: 'bot-1',
    conversationId: 'conversation-1',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    phone: null,
    company: 'Analytical Engines',
    consent: true,
    consentAt: '2026-11-20T10:00:00.000Z',
    status: 'new',
    score: 72,
    scoreReasons: ['+40 wants to act: “book a demo”'],
    summary: 'Wants a demo for 20 seats.',
    assigneeId: null,
    assigneeName: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function leadDetail(overrides: Partial<LeadView> = {}): LeadDetail {
  return {
    lead: lead(overrides),
    messages: [
      {
        id: 'message-1',
        conversationId: 'conversation-1',
        seq: 1,
        role: 'visitor',
        content: 'Can I book a demo?',
        state: 'complete',
        sources: [],
        clientMessageId: 'c-1',
        createdAt: '2026-11-20T09:59:00.000Z',
      },
    ],
    history: [
      {
        id: 'event-1',
        kind: 'captured',
        authorId: null,
        authorName: null,
        oldValue: null,
        newValue: null,
        text: null,
        changes: [
          { field: 'email', from: null, to: 'ada@example.com' },
          { field: 'name', from: null, to: 'Ada Lovelace' },
        ],
        createdAt: '2026-11-20T10:00:00.000Z',
      },
    ],
  };
}

export function webhook(overrides: Partial<WebhookView> = {}): WebhookView {
  return {
    id: 'hook-1',
    url: 'https://crm.example.com/hooks',
    description: 'CRM',
    events: ['lead.created'],
    enabled: true,
    consecutiveFailures: 0,
    disabledAt: null,
    disabledReason: null,
    lastDelivery: null,
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function delivery(overrides: Partial<WebhookDeliveryView> = {}): WebhookDeliveryView {
  return {
    id: 'delivery-1',
    webhookId: 'hook-1',
    event: 'webhook.test',
    payload: {},
    status: 'succeeded',
    attempts: 1,
    responseStatus: 200,
    responseBody: 'ok',
    error: null,
    nextAttemptAt: null,
    deliveredAt: '2026-11-20T10:00:01.000Z',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:01.000Z',
    ...overrides,
  };
}

/**
 * Fails the test if a request is left unanswered, after resetting the test module: a failed test must not
 * leave its module behind for the next one.
 */
export function verifyRequests(http: HttpTestingController): void {
  TestBed.resetTestingModule();
  http.verify();
}
