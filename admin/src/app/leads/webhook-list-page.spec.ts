import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { WebhookListPage } from './webhook-list-page';
import { FakeSocket, verifyRequests, webhook } from './testing';

describe('WebhookListPage', () => {
  let fixture: ComponentFixture<WebhookListPage>;
  let http: HttpTestingController;
  let socket: FakeSocket;

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const button = (name: string) =>
    [...element().querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === name);
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const answerList = async (webhooks = [webhook()]) => {
    http.expectOne('/api/webhooks?limit=100').flush({ webhooks, total: webhooks.length });
    await settle();
  };

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        FakeSocket.provider(socket),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WebhookListPage);
    TestBed.tick();
  });
  afterEach(() => verifyRequests(http));

  it('says what webhooks are for when there are none', async () => {
    expect(element().querySelector('[aria-busy="true"] .skeleton')).not.toBeNull();
    await answerList([]);
    expect(text()).toContain('No webhooks yet');
    button('Create a webhook')!.click();
    await settle();
    expect(element().querySelector('app-webhook-form')).not.toBeNull();
    expect(text()).not.toContain('No webhooks yet');
  });

  it('shows the secret of a new webhook once, until it is dismissed', async () => {
    await answerList([]);
    button('New webhook')!.click();
    await settle();
    const url = element().querySelector<HTMLInputElement>('input[type="url"]')!;
    url.value = 'https://crm.example.com/hooks';
    url.dispatchEvent(new Event('input'));
    element().querySelector('form')!.dispatchEvent(new Event('submit'));
    TestBed.tick();
    http
      .expectOne({ method: 'POST', url: '/api/webhooks' })
      .flush({ ...webhook(), secret: 'whsec_shown_once' }, { status: 201, statusText: 'Created' });
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    await answerList();
    expect(element().querySelector<HTMLInputElement>('app-shown-once input')!.value).toBe('whsec_shown_once');
    expect(text()).toContain('X-Webhook-Signature');
    expect(element().querySelector('app-webhook-form')).toBeNull();
    button('I have saved it')!.click();
    await settle();
    expect(element().querySelector('app-shown-once input')).toBeNull();
    expect(element().innerHTML).not.toContain('whsec_shown_once');
  });

  it('tells the user when the platform disables a webhook and shows it disabled', async () => {
    const error = vi.spyOn(TestBed.inject(Toaster), 'error');
    await answerList();
    socket.emit('webhook:disabled', { webhookId: 'hook-1', reason: 'It failed 20 times in a row.' });
    TestBed.tick();
    expect(error).toHaveBeenCalledWith(
      'https://crm.example.com/hooks was disabled: It failed 20 times in a row.',
    );
    await answerList([
      webhook({
        enabled: false,
        disabledAt: '2026-11-21T10:00:00.000Z',
        disabledReason: 'It failed 20 times in a row.',
      }),
    ]);
    expect(text()).toContain('The platform switched this webhook off');
  });

  it('fetches the webhooks again after the socket reconnects', async () => {
    await answerList();
    socket.epoch.set(1);
    TestBed.tick();
    await answerList();
  });

  it('drops a deleted webhook from the list', async () => {
    await answerList([webhook(), webhook({ id: 'hook-2', url: 'https://b.example.com/h' })]);
    const items = () => [...element().querySelectorAll('app-webhook-item')];
    expect(items().length).toBe(2);
    TestBed.inject(Confirmer).ask = () => Promise.resolve(true);
    [...items()[0]!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Delete')!.click();
    await new Promise((resolve) => setTimeout(resolve));
    http
      .expectOne({ method: 'DELETE', url: '/api/webhooks/hook-1' })
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(items().map((item) => item.textContent)).toEqual([
      expect.stringContaining('https://b.example.com/h'),
    ]);
  });
});
