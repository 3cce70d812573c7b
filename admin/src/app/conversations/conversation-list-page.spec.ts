import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { Session } from '../core/auth/session';
import { ConversationListPage } from './conversation-list-page';
import { listItem } from './testing/fixtures';

describe('ConversationListPage', () => {
  let fixture: ComponentFixture<ConversationListPage>;
  let http: HttpTestingController;
  const page = () => fixture.nativeElement as HTMLElement;
  /** Runs effects and change detection (whenStable would wait for the requests the test answers). */
  const settle = async () => {
    TestBed.tick();
    await Promise.resolve();
    TestBed.tick();
  };

  async function render(inputs: Record<string, string> = {}) {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: Session, useValue: { hasRole: () => true, user: signal(null) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ConversationListPage);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await settle();
    http
      .expectOne((r) => r.url === '/api/chatbots')
      .flush({ chatbots: [{ id: 'b1', name: 'Support bot' }], total: 1 });
  }
  const conversationsRequest = () => http.expectOne((r) => r.url === '/api/conversations');

  it('lists the page of conversations the URL asks for, with their bot, visitor, status and the total', async () => {
    await render({ q: 'ada', page: '2', mode: 'human' });
    const request = conversationsRequest();
    expect(request.request.params.get('search')).toBe('ada');
    expect(request.request.params.get('offset')).toBe('50');
    expect(request.request.params.get('mode')).toBe('human');
    expect(page().querySelector('[aria-busy="true"]')).not.toBeNull();
    request.flush({
      conversations: [
        listItem({
          id: 'c1',
          mode: 'human',
          assignedAgentName: 'Sam',
          lead: { id: 'l1', name: 'Ada Lovelace', email: 'ada@example.com' },
          messageCount: 7,
          createdAt: '2026-03-02T10:00:00.000Z',
          lastMessageAt: '2026-03-02T10:12:30.000Z',
        }),
        listItem({
          id: 'c2',
          mode: 'closed',
          closedAt: '2026-03-02T10:00:45.000Z',
          createdAt: '2026-03-02T10:00:00.000Z',
        }),
      ],
      total: 52,
    });
    await settle();
    const rows = [...page().querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent!.replace(/\s+/g, ' ').trim()).slice(1),
    );
    expect(rows[0]).toEqual([
      'Support bot',
      'Ada Lovelaceada@example.com',
      '7',
      '12 min',
      'With an agent',
      'Human · Sam',
    ]);
    expect(rows[1]).toEqual(['Support bot', 'Visitor visito', '1', '45 s', 'Closed', 'Closed']);
    expect(page().textContent).toContain('51–52 of 52');
    expect(page().textContent).toContain('Page 2 of 2');
  });

  it('waits for a pause in typing before it searches, and starts again from the first page', async () => {
    vi.useFakeTimers();
    try {
      await render({ page: '3' });
      conversationsRequest().flush({ conversations: [], total: 0 });
      const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
      const search = page().querySelector<HTMLInputElement>('#filter-search')!;
      search.value = 'refu';
      search.dispatchEvent(new Event('input'));
      search.value = 'refund';
      search.dispatchEvent(new Event('input'));
      await vi.advanceTimersByTimeAsync(299);
      expect(navigate).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(navigate).toHaveBeenCalledTimes(1);
      expect(navigate.mock.calls[0]![1]).toMatchObject({
        queryParams: { q: 'refund', page: null },
        replaceUrl: true,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('explains an empty result, and a date range that ends before it starts without asking the server', async () => {
    await render({ from: '2026-03-05', to: '2026-03-01' });
    http.expectNone((r) => r.url === '/api/conversations');
    await settle();
    expect(page().querySelector('[role="alert"]')!.textContent).toContain(
      'The start date is after the end date.',
    );

    fixture.componentRef.setInput('to', '2026-03-09');
    await settle();
    conversationsRequest().flush({ conversations: [], total: 0 });
    await settle();
    expect(page().textContent).toContain('No conversation matches these filters');
  });

  it('shows the server’s message when the list cannot be loaded', async () => {
    await render();
    conversationsRequest().flush(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
      { status: 500, statusText: 'Error' },
    );
    await settle();
    expect(page().querySelector('[role="alert"]')!.textContent).toContain(
      'Something went wrong on our side.',
    );
  });
});
