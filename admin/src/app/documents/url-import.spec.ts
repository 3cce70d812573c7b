import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { DocumentList } from './document-list';
import { BOT, documentView, settle } from './documents-testing';
import { UrlImport } from './url-import';

describe('UrlImport', () => {
  let fixture: ComponentFixture<UrlImport>;
  let http: HttpTestingController;
  let element: HTMLElement;

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
    fixture = TestBed.createComponent(UrlImport);
    fixture.componentRef.setInput('botId', BOT);
    element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });
  afterEach(() => http.verify());

  const field = (label: string) =>
    [...element.querySelectorAll('label')]
      .find((l) => l.querySelector('span')!.textContent!.trim() === label)!
      .querySelector('input, select') as HTMLInputElement;
  const fill = async (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  };
  const submit = async () => {
    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
    await fixture.whenStable();
  };
  const errors = () => [...element.querySelectorAll('.error')].map((e) => e.textContent!.trim());

  it('checks the address with the server’s own rules before sending anything', async () => {
    await submit();
    expect(errors()).toEqual(['Enter the address of a page.']);
    await fill('Page URL', 'ftp://example.com/file');
    await submit();
    expect(errors()).toEqual(['must be an http or https URL']);
    http.expectNone('/api/documents/url');
  });

  it('sends one page, or a crawl with the options its mode has', async () => {
    await fill('Page URL', 'https://example.com/help');
    await submit();
    const page = http.expectOne('/api/documents/url');
    expect(page.request.body).toEqual({ botId: BOT, url: 'https://example.com/help' });
    page.flush(documentView('help'), { status: 202, statusText: 'Accepted' });
    await settle();

    await fill('Page URL', 'https://example.com/hub');
    await fill('What to import', 'links');
    await fill('Link depth', '2');
    await fill('Pages at most', '500');
    await submit();
    expect(errors()).toEqual(['must be at most 100']);
    http.expectNone('/api/documents/url');
    await fill('Pages at most', '5');
    await submit();
    const crawl = http.expectOne('/api/documents/url');
    expect(crawl.request.body).toEqual({
      botId: BOT,
      url: 'https://example.com/hub',
      crawl: { mode: 'links', depth: 2, maxPages: 5 },
    });
    crawl.flush(documentView('hub', { sourceUrl: 'https://example.com/hub' }), {
      status: 202,
      statusText: 'Accepted',
    });
    await settle();
    await fixture.whenStable();
    expect(
      TestBed.inject(DocumentList)
        .documents()
        .map((d) => d.id),
    ).toEqual(['hub', 'help']);
    expect(field('Page URL').value).toBe('');
  });

  it("shows the server's field error beside its field", async () => {
    await fill('Page URL', 'https://example.com/');
    await submit();
    http.expectOne('/api/documents/url').flush(
      {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid.',
          fields: [{ location: 'body', path: 'url', message: 'is not reachable' }],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    await fixture.whenStable();
    expect(errors()).toEqual(['is not reachable']);
  });
});
