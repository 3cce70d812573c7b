import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AdminSocket } from '../core/socket/admin-socket';
import { DocumentsPage } from './documents-page';
import { BOT, documentView, FakeAdminSocket, settle } from './documents-testing';

describe('DocumentsPage', () => {
  let fixture: ComponentFixture<DocumentsPage>;
  let http: HttpTestingController;
  let socket: FakeAdminSocket;
  let page: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: AdminSocket, useClass: FakeAdminSocket },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    socket = TestBed.inject(AdminSocket) as unknown as FakeAdminSocket;
    fixture = TestBed.createComponent(DocumentsPage);
    fixture.componentRef.setInput('id', BOT);
    page = fixture.nativeElement as HTMLElement;
  });
  afterEach(() => http.verify());

  const listRequests = () => http.match((request) => request.url === '/api/documents');
  /** Answers the bot and its first page of documents. */
  async function open(documents = [documentView('a')], botStatus = 200): Promise<void> {
    TestBed.tick();
    const bot = http.expectOne(`/api/chatbots/${BOT}`);
    if (botStatus === 200) bot.flush({ id: BOT, name: 'Support bot' });
    else
      bot.flush(
        { error: { code: 'not_found', message: 'Chatbot not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    const [list] = listRequests();
    if (botStatus === 200) list!.flush({ documents, total: documents.length });
    else
      list!.flush(
        { error: { code: 'not_found', message: 'Chatbot not found.' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();
    await fixture.whenStable();
  }
  const text = () => page.textContent!.replace(/\s+/g, ' ');
  const row = (name: string) =>
    [...page.querySelectorAll('tbody tr')].find((tr) => tr.textContent!.includes(name)) as HTMLElement;

  it('shows a skeleton, then the bot in the header with a link back to it', async () => {
    TestBed.tick();
    expect(page.querySelector('[aria-label="Loading documents"]')).not.toBeNull();
    await open();
    const back = page.querySelector<HTMLAnchorElement>('nav[aria-label="Breadcrumb"] a:last-of-type')!;
    expect(back.textContent!.trim()).toBe('Support bot');
    expect(back.getAttribute('href')).toBe(`/bots/${BOT}`);
    expect(page.querySelector('[aria-label="Loading documents"]')).toBeNull();
    expect(row('a.txt').textContent).toContain('Completed');
  });

  it('explains the formats and limits when the bot has no documents', async () => {
    await open([]);
    expect(text()).toContain('No documents yet');
    expect(text()).toContain('PDF, Word (.docx), HTML, Markdown or plain text, up to 25 MB each');
    expect(text()).toContain('Drop files on the upload area above');
  });

  it('adds an uploaded file as a row and follows its indexing live', async () => {
    await open([]);
    const picker = page.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(picker.multiple).toBe(true);
    expect(page.querySelector(`label[for="${picker.id}"]`)!.textContent).toContain('Choose files');
    Object.defineProperty(picker, 'files', {
      value: [new File(['Hello.'], 'notes.txt', { type: 'text/plain' })],
    });
    picker.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(page.querySelector('progress[aria-label="Upload of notes.txt"]')).not.toBeNull();

    http.expectOne('/api/documents/upload').flush(
      {
        documents: [documentView('n1', { name: 'notes.txt', status: 'pending', progress: 0, chunkCount: 0 })],
      },
      { status: 202, statusText: 'Accepted' },
    );
    await fixture.whenStable();
    expect(row('notes.txt').textContent).toContain('Pending');

    socket.emit('document:status', {
      documentId: 'n1',
      status: 'processing',
      progress: 60,
      chunkCount: 2,
      error: null,
    });
    await fixture.whenStable();
    expect(row('notes.txt').textContent).toContain('Processing');
    expect(row('notes.txt').querySelector('progress')!.value).toBe(60);

    socket.emit('document:status', {
      documentId: 'n1',
      status: 'completed',
      progress: 100,
      chunkCount: 4,
      error: null,
    });
    http
      .expectOne('/api/documents/n1')
      .flush(documentView('n1', { name: 'notes.txt', chunkCount: 4, tokenCount: 1234 }));
    await settle();
    await fixture.whenStable();
    expect(row('notes.txt').textContent).toContain('Completed');
    expect(row('notes.txt').textContent).toContain('1,234');
    expect(listRequests()).toEqual([]);
  });

  it('says in its row why a document failed', async () => {
    await open([documentView('bad', { status: 'failed', error: 'This PDF is damaged and cannot be read.' })]);
    expect(row('bad.txt').textContent).toContain('This PDF is damaged and cannot be read.');
    expect(row('bad.txt').classList).toContain('failed');
  });

  it('fetches the documents again when the socket comes back', async () => {
    await open();
    socket.epoch.set(1);
    TestBed.tick();
    expect(listRequests().length).toBe(1);
  });

  it("says so when the bot does not exist (or is another tenant's)", async () => {
    await open([], 404);
    expect(text()).toContain('This bot does not exist');
    expect(page.querySelector('app-upload-zone')).toBeNull();
  });
});
