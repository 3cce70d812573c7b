import { provideHttpClient } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DocumentView } from '@chatbot/shared';
import { DocumentList, PAGE_SIZE, UNKNOWN_DOCUMENT_WAIT_MS } from './document-list';
import { BOT, documentView, settle } from './documents-testing';

describe('DocumentList', () => {
  let list: DocumentList;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        DocumentList,
      ],
    });
    list = TestBed.inject(DocumentList);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  const listRequest = (): TestRequest => {
    TestBed.tick();
    return http.expectOne((request) => request.url === '/api/documents');
  };
  const answer = async (request: TestRequest, documents: DocumentView[], total = documents.length) => {
    request.flush({ documents, total });
    await settle();
  };
  const names = () => list.documents().map((document) => document.name);

  it('fetches the first page of the bot, then again for a search or filter, from the first page', async () => {
    list.botId.set(BOT);
    const first = listRequest();
    expect(first.request.params.get('botId')).toBe(BOT);
    expect(first.request.params.get('limit')).toBe(String(PAGE_SIZE));
    expect(first.request.params.has('search')).toBe(false);
    expect(list.loaded()).toBe(false);
    await answer(first, [documentView('a')], 41);
    expect(list.loaded()).toBe(true);
    expect(list.total()).toBe(41);

    list.offset.set(PAGE_SIZE);
    expect(listRequest().request.params.get('offset')).toBe(String(PAGE_SIZE));
    list.setSearch('  Policy ');
    list.setStatus('failed');
    const searched = listRequest();
    expect(searched.request.params.get('search')).toBe('Policy');
    expect(searched.request.params.get('status')).toBe('failed');
    expect(searched.request.params.get('offset')).toBe('0');
    expect(list.filtered()).toBe(true);
    await answer(searched, []);
  });

  it('keeps only the answer to the newest query', async () => {
    list.botId.set(BOT);
    const old = listRequest();
    list.setSearch('new');
    const fresh = listRequest();
    await answer(fresh, [documentView('new')]);
    await answer(old, [documentView('old')]);
    expect(names()).toEqual(['new.txt']);
  });

  it('updates a row from a status event, and reads the token count once the document is indexed', async () => {
    list.botId.set(BOT);
    await answer(listRequest(), [
      documentView('a', { status: 'pending', progress: 0, chunkCount: 0, tokenCount: 0 }),
    ]);
    list.applyStatus({ documentId: 'a', status: 'processing', progress: 40, chunkCount: 2, error: null });
    expect(list.documents()[0]).toMatchObject({ status: 'processing', progress: 40, chunkCount: 2 });
    list.applyStatus({ documentId: 'a', status: 'completed', progress: 100, chunkCount: 5, error: null });
    expect(list.documents()[0]!.status).toBe('completed');
    http.expectOne('/api/documents/a').flush(documentView('a', { chunkCount: 5, tokenCount: 900 }));
    await settle();
    expect(list.documents()[0]!.tokenCount).toBe(900);
  });

  it('applies an event that came before the upload it is about was answered', async () => {
    list.botId.set(BOT);
    await answer(listRequest(), []);
    list.applyStatus({ documentId: 'new', status: 'failed', progress: 20, chunkCount: 0, error: 'Corrupt.' });
    list.added([documentView('new', { status: 'pending', progress: 0 })]);
    expect(list.documents()[0]).toMatchObject({ status: 'failed', error: 'Corrupt.' });
    expect(list.total()).toBe(1);
    // Shown by the time the wait is over: no fetch for it.
    vi.useFakeTimers();
    vi.advanceTimersByTime(UNKNOWN_DOCUMENT_WAIT_MS);
    http.expectNone((request) => request.url === '/api/documents');
  });

  it('does not take an event of an earlier run for news of a document indexed again', async () => {
    list.botId.set(BOT);
    await answer(listRequest(), [documentView('a', { status: 'processing', progress: 50 })]);
    list.applyStatus({ documentId: 'a', status: 'completed', progress: 100, chunkCount: 3, error: null });
    http.expectOne('/api/documents/a').flush(documentView('a'));
    const since = Date.now() + 1;
    list.added([documentView('a', { status: 'pending', progress: 0 })], since);
    expect(list.documents()[0]!.status).toBe('pending');
  });

  it('fetches the page again for a document it has not been told of (a crawl found it), once', async () => {
    vi.useFakeTimers();
    list.botId.set(BOT);
    await answer(listRequest(), [documentView('a')]);
    list.applyStatus({
      documentId: 'crawled',
      status: 'processing',
      progress: 5,
      chunkCount: 0,
      error: null,
    });
    list.applyStatus({
      documentId: 'other-bot',
      status: 'processing',
      progress: 5,
      chunkCount: 0,
      error: null,
    });
    http.expectNone((request) => request.url === '/api/documents');
    vi.advanceTimersByTime(UNKNOWN_DOCUMENT_WAIT_MS);
    await answer(
      http.expectOne((request) => request.url === '/api/documents'),
      [documentView('crawled', { status: 'processing', progress: 5 }), documentView('a')],
    );
    expect(names()).toEqual(['crawled.txt', 'a.txt']);
    // The other bot's document is not on this page: it is not fetched for again.
    list.applyStatus({
      documentId: 'other-bot',
      status: 'completed',
      progress: 100,
      chunkCount: 1,
      error: null,
    });
    vi.advanceTimersByTime(UNKNOWN_DOCUMENT_WAIT_MS);
    http.expectNone((request) => request.url === '/api/documents');
  });

  it('adds new documents on the first page only when they match the search and filter', async () => {
    list.botId.set(BOT);
    list.setSearch('policy');
    await answer(listRequest(), [documentView('Old policy')]);
    list.added([
      documentView('New Policy', { status: 'pending' }),
      documentView('prices', { status: 'pending' }),
    ]);
    expect(names()).toEqual(['New Policy.txt', 'Old policy.txt']);
    expect(list.total()).toBe(2);
  });

  it('removes deleted rows and refills the page from the next one, or steps back from an emptied page', async () => {
    list.botId.set(BOT);
    await answer(listRequest(), [documentView('a'), documentView('b')], 30);
    list.removed(['a']);
    expect(names()).toEqual(['b.txt']);
    expect(list.total()).toBe(29);
    await answer(listRequest(), [documentView('b'), documentView('c')], 29);

    list.offset.set(PAGE_SIZE);
    await answer(listRequest(), [documentView('last')], 21);
    list.removed(['last']);
    expect(list.offset()).toBe(0);
    await answer(listRequest(), [documentView('b')], 20);
  });

  it('keeps what it showed when a fetch fails, with the reason', async () => {
    list.botId.set(BOT);
    await answer(listRequest(), [documentView('a')]);
    void list.reload();
    listRequest().flush(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
      { status: 500, statusText: 'Server Error' },
    );
    await settle();
    expect(names()).toEqual(['a.txt']);
    expect(list.problem()?.message).toBe('Something went wrong on our side.');
  });
});
