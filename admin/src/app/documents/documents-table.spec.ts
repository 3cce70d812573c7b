import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { DocumentList } from './document-list';
import { DocumentsTable, SEARCH_DELAY_MS } from './documents-table';
import { BOT, documentView, settle } from './documents-testing';

describe('DocumentsTable', () => {
  let fixture: ComponentFixture<DocumentsTable>;
  let http: HttpTestingController;
  let confirmer: Confirmer;
  let toaster: Toaster;
  let table: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        DocumentList,
      ],
    });
    http = TestBed.inject(HttpTestingController);
    confirmer = TestBed.inject(Confirmer);
    toaster = TestBed.inject(Toaster);
    fixture = TestBed.createComponent(DocumentsTable);
    fixture.componentRef.setInput('botName', 'Support bot');
    table = fixture.nativeElement as HTMLElement;
    TestBed.inject(DocumentList).botId.set(BOT);
    TestBed.tick();
    http
      .expectOne((request) => request.url === '/api/documents')
      .flush({
        documents: [
          documentView('a', { chunkCount: 2 }),
          documentView('b', { chunkCount: 5 }),
          documentView('c', { status: 'processing', progress: 30 }),
        ],
        total: 3,
      });
    await settle();
    await fixture.whenStable();
  });
  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  const button = (name: string) =>
    [...table.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent!.trim()) === name,
    ) as HTMLButtonElement;
  const check = async (label: string) => {
    table.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!.click();
    await fixture.whenStable();
  };
  const deletes = () => http.match((request) => request.method === 'DELETE');

  it('deletes the selected documents after a confirmation that counts them and their vectors', async () => {
    await check('Select a.txt');
    await check('Select b.txt');
    button('Delete selected (2)').click();
    const asked = confirmer.pending()!;
    expect(asked.title).toBe('Delete 2 documents?');
    expect(asked.message).toContain('their vectors (7 chunks in all) are removed');
    expect(asked.message).toContain('Support bot no longer answers from them');
    expect(asked.danger).toBe(true);
    asked.answer(true);
    await settle();
    const sent = deletes();
    expect(sent.map((request) => request.request.url)).toEqual(['/api/documents/a', '/api/documents/b']);
    for (const request of sent) request.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await fixture.whenStable();
    expect(
      [...table.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('.name span')!.textContent),
    ).toEqual(['c.txt']);
    expect(toaster.toasts().at(-1)?.text).toBe('Deleted 2 documents.');
  });

  it('selects the whole page with one checkbox, and deletes nothing when the confirmation is declined', async () => {
    await check('Select all documents on this page');
    expect(button('Delete selected (3)')).toBeDefined();
    button('Delete a.txt').click();
    expect(confirmer.pending()!.title).toBe('Delete a.txt?');
    confirmer.pending()!.answer(false);
    await settle();
    expect(deletes()).toEqual([]);
  });

  it('indexes a document again, and not one still being indexed', async () => {
    expect(button('Re-index c.txt').disabled).toBe(true);
    button('Re-index a.txt').click();
    http
      .expectOne({ method: 'POST', url: '/api/documents/a/reindex' })
      .flush(documentView('a', { status: 'pending', progress: 0 }), { status: 202, statusText: 'Accepted' });
    await settle();
    await fixture.whenStable();
    expect(table.querySelector('tbody tr')!.textContent).toContain('Pending');
  });

  it('searches by name once typing pauses', async () => {
    vi.useFakeTimers();
    const search = table.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'polic';
    search.dispatchEvent(new Event('input'));
    search.value = 'policy';
    search.dispatchEvent(new Event('input'));
    TestBed.tick();
    http.expectNone((request) => request.url === '/api/documents');
    vi.advanceTimersByTime(SEARCH_DELAY_MS);
    TestBed.tick();
    const request = http.expectOne((r) => r.url === '/api/documents');
    expect(request.request.params.get('search')).toBe('policy');
    request.flush({ documents: [], total: 0 });
    await settle();
    TestBed.tick();
    expect(table.textContent).toContain('No documents match');
  });
});
