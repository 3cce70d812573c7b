import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ConversationSummary, LeadView, Role } from '@chatbot/shared';
import { utcDayOf } from '@chatbot/shared';
import { FakeSocket } from '../assistant/assistant-fakes';
import { Session } from '../core/auth/session';
import { AdminSocket } from '../core/socket/admin-socket';
import { LIVE_POLL_MS, OverviewPage } from './overview-page';

const BOT = { id: 'b-1', name: 'Support' };

const waitingConversation = {
  id: 'c-1',
  botId: BOT.id,
  mode: 'bot',
  visitorId: 'abcdef123456',
  handoffRequestedAt: '2026-03-10T09:30:00.000Z',
} as ConversationSummary;
const lead = {
  id: 'l-1',
  botId: BOT.id,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  status: 'new',
  createdAt: '2026-03-10T09:00:00.000Z',
} as LeadView;

describe('OverviewPage', () => {
  let http: HttpTestingController;
  let socket: FakeSocket;

  function setUp(role: Role) {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: AdminSocket, useValue: socket },
        { provide: Session, useValue: { hasRole: (...roles: Role[]) => roles.includes(role) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(OverviewPage);
    TestBed.tick();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }
  afterEach(() => {
    vi.useRealTimers();
    http.verify();
  });

  const pathOf = (url: string) => url.split('?')[0];
  const one = (path: string, query?: string): TestRequest =>
    http.expectOne((request) => pathOf(request.url) === path && (!query || request.url.includes(query)));
  const cards = (el: HTMLElement) =>
    [...el.querySelectorAll('app-stat-card')].map((card) => [
      card.querySelector('.label')!.textContent,
      card.querySelector('.value')?.textContent ?? null,
    ]);

  /** What every role's overview asks for. */
  function answerEveryone(live: object | null) {
    const counts = one('/api/conversations/live');
    if (live) counts.flush(live);
    else
      counts.flush(
        { error: { code: 'not_found', message: 'Not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    one('/api/conversations', 'waiting=true').flush({ conversations: [waitingConversation], total: 1 });
    one('/api/leads').flush({ leads: [lead], total: 1 });
    one('/api/chatbots').flush({ chatbots: [BOT], total: 1 });
  }

  it("shows an owner today's figures, the live counts, who waits, the newest leads and the next onboarding step", async () => {
    const { fixture, el } = setUp('owner');
    const today = utcDayOf();
    const summary = one('/api/analytics/summary');
    expect(summary.request.url).toBe(`/api/analytics/summary?from=${today}&to=${today}`);
    answerEveryone({ visitorsOnline: 3, activeConversations: 2 });
    summary.flush({
      from: today,
      to: today,
      botId: null,
      bots: [],
      totals: {
        conversations: 5,
        messages: 21,
        tokensIn: 900,
        tokensOut: 100,
        costUsd: 0.02,
        leads: 1,
        unanswered: 0,
        handoffs: 1,
        conversionRate: 0.2,
        averageMessagesPerConversation: 4.2,
      },
    });
    await Promise.resolve();
    TestBed.tick();
    one('/api/conversations', 'limit=1').flush({ conversations: [], total: 0 });
    one('/api/documents', `botId=${BOT.id}`).flush({ documents: [{ id: 'd-1' }], total: 1 });
    await fixture.whenStable();

    expect(cards(el)).toEqual([
      ['Visitors chatting now', '3'],
      ['Active conversations', '2'],
      ['Conversations', '5'],
      ['Messages', '21'],
      ['Leads', '1'],
      ['Tokens', '1,000'],
      ['Cost', '$0.02'],
    ]);
    const waiting = el.querySelector('[aria-labelledby="waiting-title"]')!;
    expect(waiting.querySelector('.badge')!.textContent!.trim()).toBe('1');
    expect(waiting.querySelector('a[href="/conversations/c-1"]')!.textContent).toBe('Visitor abcdef');
    expect(waiting.textContent).toContain('Support');
    const leads = el.querySelector('[aria-labelledby="leads-title"]')!;
    expect(leads.querySelector('a[href="/leads/l-1"]')!.textContent).toBe('Ada Lovelace');
    const steps = [...el.querySelectorAll('app-onboarding li')].map((step) => [
      step.querySelector('strong')!.textContent,
      step.classList.contains('done'),
    ]);
    expect(steps).toEqual([
      ['Create a bot', true],
      ['Upload documents', true],
      ['Embed it on your website', false],
    ]);
    expect(el.querySelector('app-onboarding a.primary')!.getAttribute('href')).toBe('/bots/b-1');
  });

  it('shows an agent the live counts and the lists, and never asks for analytics', async () => {
    const { fixture, el } = setUp('agent');
    answerEveryone({ visitorsOnline: 1, activeConversations: 4 });
    http.expectNone((request) => request.url.startsWith('/api/analytics'));
    http.expectNone((request) => request.url.startsWith('/api/documents'));
    await fixture.whenStable();
    expect(cards(el)).toEqual([
      ['Visitors chatting now', '1'],
      ['Active conversations', '4'],
    ]);
    expect(el.querySelector('app-onboarding')).toBeNull();
    expect(el.querySelector('#today-title')).toBeNull();
  });

  it('says the live counts are not available when the server has none, and shows the rest', async () => {
    const { fixture, el } = setUp('agent');
    answerEveryone(null);
    await fixture.whenStable();
    expect(cards(el).slice(0, 2)).toEqual([
      ['Visitors chatting now', '—'],
      ['Active conversations', '—'],
    ]);
    expect(el.textContent).toContain('Not available: Not found.');
    expect(el.textContent).toContain('Ada Lovelace');
  });

  it('refetches every 15 seconds, and soon after a conversation changes on the socket', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    setUp('agent');
    answerEveryone({ visitorsOnline: 1, activeConversations: 1 });
    // The answers settle a microtask later; a resource still loading is not reloaded.
    await Promise.resolve();
    vi.advanceTimersByTime(LIVE_POLL_MS - 1);
    TestBed.tick();
    http.expectNone('/api/conversations/live');
    vi.advanceTimersByTime(1);
    TestBed.tick();
    one('/api/conversations/live').flush({ visitorsOnline: 2, activeConversations: 1 });
    one('/api/conversations', 'waiting=true').flush({ conversations: [], total: 0 });
    one('/api/leads').flush({ leads: [], total: 0 });
    await Promise.resolve();

    // A burst of events: one refetch.
    socket.emit('conversation:updated', waitingConversation);
    socket.emit('conversation:updated', waitingConversation);
    TestBed.tick();
    http.expectNone('/api/conversations/live');
    vi.advanceTimersByTime(1000);
    TestBed.tick();
    one('/api/conversations/live').flush({ visitorsOnline: 3, activeConversations: 2 });
    one('/api/conversations', 'waiting=true').flush({ conversations: [], total: 0 });
    one('/api/leads').flush({ leads: [], total: 0 });
  });
});
