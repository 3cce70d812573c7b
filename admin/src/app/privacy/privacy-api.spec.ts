import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ApplicationRef,
  Injector,
  provideZonelessChangeDetection,
  runInInjectionContext,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { PrivacyApi } from './privacy-api';

describe('PrivacyApi', () => {
  let api: PrivacyApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(PrivacyApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('reads and changes the retention period', async () => {
    const retention = runInInjectionContext(TestBed.inject(Injector), () => api.retention());
    TestBed.tick();
    http.expectOne({ method: 'GET', url: '/api/privacy/retention' }).flush({ retentionDays: null });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(retention.value()).toEqual({ retentionDays: null });
    const saving = api.updateRetention({ retentionDays: 90 });
    const request = http.expectOne({ method: 'PATCH', url: '/api/privacy/retention' });
    expect(request.request.body).toEqual({ retentionDays: 90 });
    request.flush({ retentionDays: 90 });
    expect(await saving).toEqual({ retentionDays: 90 });
  });

  it('downloads a visitor’s data as a JSON file named after the email', async () => {
    const saved: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this);
    });
    const exporting = api.exportVisitor('ada@example.com');
    const request = http.expectOne((candidate) => candidate.url === '/api/privacy/export');
    expect(request.request.method).toBe('GET');
    expect(request.request.params.get('email')).toBe('ada@example.com');
    expect(request.request.responseType).toBe('blob');
    request.flush(new Blob(['{"conversations":[]}'], { type: 'application/json' }));
    await exporting;
    expect(saved.map((link) => link.download)).toEqual(['visitor-data-ada@example.com.json']);
    click.mockRestore();
  });

  it('erases a visitor by email and answers with the counts', async () => {
    const erasing = api.eraseVisitor('ada@example.com');
    const request = http.expectOne({ method: 'POST', url: '/api/privacy/erase' });
    expect(request.request.body).toEqual({ email: 'ada@example.com' });
    const counts = { conversations: 2, messages: 9, leads: 1, leadEvents: 3 };
    request.flush(counts);
    expect(await erasing).toEqual(counts);
  });
});
