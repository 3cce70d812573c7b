import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { BotView } from '@chatbot/shared';
import { Confirmer } from '../../core/ui/confirmer';
import { apiError, botView, settle } from '../bots-testing';
import { BotListPage, PAGE_SIZE } from './bot-list-page';

describe('BotListPage', () => {
  let fixture: ComponentFixture<BotListPage>;
  let http: HttpTestingController;
  let page: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(BotListPage);
    page = fixture.nativeElement as HTMLElement;
  });
  afterEach(() => http.verify());

  const text = () => page.textContent!.replace(/\s+/g, ' ');
  const button = (name: string) =>
    [...page.querySelectorAll('button')].find(
      (b) => b.getAttribute('aria-label') === name || b.textContent!.trim() === name,
    ) as HTMLButtonElement;
  /** The list request, once the search's pause (a timer) has passed. */
  const listRequest = async (): Promise<TestRequest> => {
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return http.expectOne((request) => request.url === '/api/chatbots' && request.method === 'GET');
  };
  async function answer(request: TestRequest, bots: BotView[], total = bots.length): Promise<void> {
    request.flush({ chatbots: bots, total });
    await settle();
    await fixture.whenStable();
  }

  it('shows a skeleton, then an empty state that says what to do', async () => {
    TestBed.tick();
    expect(page.querySelector('[aria-busy="true"]')).not.toBeNull();
    await answer(await listRequest(), []);
    expect(text()).toContain('No chatbots yet');
    expect(page.querySelector('a[href="/bots/new"]')).not.toBeNull();
    expect(page.querySelector('[role="search"]')).toBeNull();
  });

  it('shows each bot with its status, model, documents link and update date', async () => {
    TestBed.tick();
    await answer(await listRequest(), [
      botView({ id: 'a', name: 'Sales', status: 'published', model: 'gpt-4o' }),
      botView({ id: 'b', name: 'Support' }),
    ]);
    const cards = [...page.querySelectorAll('li.bot')];
    expect(cards).toHaveLength(2);
    expect(cards[0]!.textContent).toContain('Published');
    expect(cards[0]!.textContent).toContain('gpt-4o');
    expect(cards[0]!.textContent).toContain('2 Mar 2026');
    expect(cards[1]!.textContent).toContain('Draft');
    expect(cards[1]!.querySelector('a[href="/bots/b/documents"]')).not.toBeNull();
    expect(text()).toContain('Showing 2 of 2');
  });

  it('searches and filters through the API, and loads more pages with the total', async () => {
    TestBed.tick();
    await answer(
      await listRequest(),
      Array.from({ length: PAGE_SIZE }, (_, i) => botView({ id: `b${i}` })),
      13,
    );
    button('Load more').click();
    const more = http.expectOne((r) => r.url === '/api/chatbots');
    expect(more.request.params.get('offset')).toBe(String(PAGE_SIZE));
    await answer(more, [botView({ id: 'last' })], 13);
    expect(page.querySelectorAll('li.bot')).toHaveLength(13);
    expect(button('Load more')).toBeUndefined();

    const search = page.querySelector<HTMLInputElement>('#bot-search')!;
    search.value = 'sal';
    search.dispatchEvent(new Event('input'));
    TestBed.tick();
    const status = page.querySelector<HTMLSelectElement>('#bot-status-filter')!;
    status.value = 'published';
    status.dispatchEvent(new Event('change'));
    TestBed.tick();
    const filtered = await listRequest();
    expect(filtered.request.params.get('search')).toBe('sal');
    expect(filtered.request.params.get('status')).toBe('published');
    expect(filtered.request.params.get('offset')).toBe('0');
    await answer(filtered, []);
    expect(text()).toContain('No chatbot matches');
  });

  it('publishes in place', async () => {
    TestBed.tick();
    await answer(await listRequest(), [botView({ name: 'Sales' })]);
    button('Publish Sales').click();
    const patch = http.expectOne((r) => r.method === 'PATCH');
    expect(patch.request.body).toEqual({ status: 'published' });
    patch.flush(botView({ name: 'Sales', status: 'published' }));
    await settle();
    await fixture.whenStable();
    expect(page.querySelector('li.bot .badge')!.textContent).toContain('Published');
    expect(button('Unpublish Sales')).toBeDefined();
  });

  it('deletes only after a confirmation that names what goes with the bot', async () => {
    const confirmer = TestBed.inject(Confirmer);
    TestBed.tick();
    await answer(await listRequest(), [botView({ name: 'Sales' })]);

    button('Delete Sales').click();
    expect(confirmer.pending()!.message).toMatch(/documents.*vectors.*conversations/);
    confirmer.pending()!.answer(false);
    await settle();
    http.expectNone((r) => r.method === 'DELETE');

    button('Delete Sales').click();
    confirmer.pending()!.answer(true);
    await settle();
    http.expectOne((r) => r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await fixture.whenStable();
    expect(text()).toContain('No chatbots yet');
  });

  it('says why the list could not load, and tries again', async () => {
    TestBed.tick();
    (await listRequest()).flush(...apiError(500, 'internal_error', 'Something went wrong on our side.'));
    await settle();
    await fixture.whenStable();
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('Something went wrong on our side.');
    button('Try again').click();
    await answer(
      http.expectOne((r) => r.url === '/api/chatbots'),
      [],
    );
    expect(text()).toContain('No chatbots yet');
  });
});
