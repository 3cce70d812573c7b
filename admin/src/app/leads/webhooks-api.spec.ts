import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ApplicationRef,
  Injector,
  provideZonelessChangeDetection,
  runInInjectionContext,
  signal,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { WebhooksApi } from './webhooks-api';
import { delivery, verifyRequests, webhook } from './testing';

describe('WebhooksApi', () => {
  let api: WebhooksApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(WebhooksApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => verifyRequests(http));

  it('reads the webhooks, and a delivery log page by page', async () => {
    const injector = TestBed.inject(Injector);
    const list = runInInjectionContext(injector, () => api.list());
    const page = signal({ limit: 20, offset: 0 });
    const log = runInInjectionContext(injector, () => api.deliveries(() => 'hook-1', page));
    TestBed.tick();
    http.expectOne('/api/webhooks?limit=100').flush({ webhooks: [webhook()], total: 1 });
    http.expectOne('/api/webhooks/hook-1/deliveries?limit=20&offset=0').flush({ deliveries: [], total: 0 });
    await TestBed.inject(ApplicationRef).whenStable();
    expect(list.value()?.webhooks[0]?.id).toBe('hook-1');
    expect(log.value()?.total).toBe(0);
    page.set({ limit: 20, offset: 20 });
    TestBed.tick();
    http.expectOne('/api/webhooks/hook-1/deliveries?limit=20&offset=20').flush({ deliveries: [], total: 0 });
  });

  it('creates, changes, rotates, tests and deletes with the right requests', async () => {
    const calls: [Promise<unknown>, string, string, unknown, object | null][] = [
      [
        api.create({
          url: 'https://a.example.com/',
          events: ['lead.created'],
          description: '',
          enabled: true,
        }),
        'POST',
        '/api/webhooks',
        { url: 'https://a.example.com/', events: ['lead.created'], description: '', enabled: true },
        { ...webhook(), secret: 'whsec_x' },
      ],
      [
        api.update('hook-1', { enabled: false }),
        'PATCH',
        '/api/webhooks/hook-1',
        { enabled: false },
        webhook(),
      ],
      [
        api.rotateSecret('hook-1'),
        'POST',
        '/api/webhooks/hook-1/rotate-secret',
        null,
        { ...webhook(), secret: 'y' },
      ],
      [api.sendTest('hook-1'), 'POST', '/api/webhooks/hook-1/test', null, delivery()],
      [api.remove('hook-1'), 'DELETE', '/api/webhooks/hook-1', null, null],
    ];
    for (const [promise, method, url, body, answer] of calls) {
      const request = http.expectOne({ method, url });
      expect(request.request.method).toBe(method);
      expect(request.request.body).toEqual(body);
      request.flush(answer);
      expect(await promise).toEqual(answer);
    }
  });
});
