import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { WebhookView, WebhookWithSecret } from '@chatbot/shared';
import type { Mock } from 'vitest';
import { Confirmer } from '../core/ui/confirmer';
import { WebhookItem } from './webhook-item';
import { delivery, verifyRequests, webhook } from './testing';

describe('WebhookItem', () => {
  let fixture: ComponentFixture<WebhookItem>;
  let http: HttpTestingController;
  let confirm: Mock<Confirmer['ask']>;
  const outputs: { changed: (WebhookView | void)[]; removed: string[]; rotated: WebhookWithSecret[] } = {
    changed: [],
    removed: [],
    rotated: [],
  };

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const button = (name: string) =>
    [...element().querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === name)!;
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    confirm = vi.fn<Confirmer['ask']>().mockResolvedValue(true);
    TestBed.inject(Confirmer).ask = confirm;
    fixture = TestBed.createComponent(WebhookItem);
    fixture.componentRef.setInput(
      'webhook',
      webhook({
        consecutiveFailures: 3,
        lastDelivery: { ...delivery({ status: 'pending', responseStatus: 503, attempts: 3 }) },
      }),
    );
    outputs.changed = [];
    outputs.removed = [];
    outputs.rotated = [];
    fixture.componentInstance.changed.subscribe((value) => outputs.changed.push(value));
    fixture.componentInstance.removed.subscribe((value) => outputs.removed.push(value));
    fixture.componentInstance.rotated.subscribe((value) => outputs.rotated.push(value));
    await settle();
  });
  afterEach(() => verifyRequests(http));

  it('shows where it sends what, how the last delivery went and the failures in a row', () => {
    expect(text()).toContain('https://crm.example.com/hooks');
    expect(text()).toContain('lead.created');
    expect(text()).toContain('Retrying HTTP 503');
    expect(element().querySelector('.health .badge.danger')!.textContent!.trim()).toBe('3');
  });

  it('explains that the platform disabled it', async () => {
    fixture.componentRef.setInput(
      'webhook',
      webhook({
        enabled: false,
        disabledAt: '2026-11-21T10:00:00.000Z',
        disabledReason: '20 failures in a row.',
      }),
    );
    await settle();
    expect(text()).toContain('The platform switched this webhook off');
    expect(text()).toContain('20 failures in a row.');
    expect(element().querySelector<HTMLInputElement>('input[type="checkbox"]')!.checked).toBe(false);
  });

  it("sends a test and shows the receiver's answer, then refreshes the open log", async () => {
    button('Delivery log').click();
    TestBed.tick();
    http.expectOne('/api/webhooks/hook-1/deliveries?limit=20&offset=0').flush({ deliveries: [], total: 0 });
    await settle();
    button('Send test').click();
    TestBed.tick();
    const test = delivery({ responseStatus: 202, responseBody: 'accepted by the CRM' });
    http.expectOne({ method: 'POST', url: '/api/webhooks/hook-1/test' }).flush(test);
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    http
      .expectOne('/api/webhooks/hook-1/deliveries?limit=20&offset=0')
      .flush({ deliveries: [test], total: 1 });
    await settle();
    expect(text()).toContain('Test delivered: the receiver answered HTTP 202');
    expect(element().querySelector('.test-result pre')!.textContent).toBe('accepted by the CRM');
    expect(element().querySelector('.log tbody tr')!.textContent).toContain('webhook.test');
    expect(outputs.changed).toEqual([undefined]);
  });

  it('shows why a test failed when nothing answered', async () => {
    button('Send test').click();
    TestBed.tick();
    http.expectOne({ method: 'POST', url: '/api/webhooks/hook-1/test' }).flush(
      delivery({
        status: 'failed',
        responseStatus: null,
        responseBody: null,
        error: 'Connection refused.',
      }),
    );
    await settle();
    expect(text()).toContain('Test failed: Connection refused.');
  });

  it('switches the webhook off', async () => {
    const checkbox = element().querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    checkbox.click();
    TestBed.tick();
    const request = http.expectOne({ method: 'PATCH', url: '/api/webhooks/hook-1' });
    expect(request.request.body).toEqual({ enabled: false });
    request.flush(webhook({ enabled: false }));
    await settle();
    expect(outputs.changed).toEqual([webhook({ enabled: false })]);
  });

  it('deletes only after confirmation', async () => {
    confirm.mockResolvedValueOnce(false);
    button('Delete').click();
    await settle();
    http.expectNone({ method: 'DELETE', url: '/api/webhooks/hook-1' });
    button('Delete').click();
    await new Promise((resolve) => setTimeout(resolve));
    http
      .expectOne({ method: 'DELETE', url: '/api/webhooks/hook-1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(confirm.mock.calls[0]![0]).toMatchObject({ danger: true, action: 'Delete webhook' });
    expect(outputs.removed).toEqual(['hook-1']);
  });

  it('rotates the secret after confirmation and hands the new one up', async () => {
    button('Rotate secret').click();
    await new Promise((resolve) => setTimeout(resolve));
    const rotated = { ...webhook(), secret: 'whsec_new' };
    http.expectOne({ method: 'POST', url: '/api/webhooks/hook-1/rotate-secret' }).flush(rotated);
    await settle();
    expect(outputs.rotated).toEqual([rotated]);
  });
});
