import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { WebhookEventNames, type WebhookWithSecret } from '@chatbot/shared';
import { WebhookForm } from './webhook-form';
import { verifyRequests, webhook } from './testing';

describe('WebhookForm', () => {
  let fixture: ComponentFixture<WebhookForm>;
  let http: HttpTestingController;
  let created: WebhookWithSecret[];

  const element = () => fixture.nativeElement as HTMLElement;
  const urlInput = () => element().querySelector<HTMLInputElement>('input[type="url"]')!;
  const errors = () => [...element().querySelectorAll('.error')].map((error) => error.textContent!.trim());
  const checkbox = (event: string) =>
    [...element().querySelectorAll<HTMLLabelElement>('label.event')]
      .find((label) => label.textContent!.includes(event))!
      .querySelector('input')!;
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const typeUrl = (value: string) => {
    urlInput().value = value;
    urlInput().dispatchEvent(new Event('input'));
  };
  const submit = () => element().querySelector('form')!.dispatchEvent(new Event('submit'));

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(WebhookForm);
    created = [];
    fixture.componentInstance.created.subscribe((hook) => created.push(hook));
    await settle();
  });
  afterEach(() => verifyRequests(http));

  it('offers every event of the contract, lead.created ticked', () => {
    const labels = [...element().querySelectorAll('label.event code')].map((code) => code.textContent);
    expect(labels).toEqual([...WebhookEventNames]);
    expect(checkbox('lead.created').checked).toBe(true);
    expect(checkbox('lead.updated').checked).toBe(false);
  });

  it('validates with the shared schema before sending anything', async () => {
    typeUrl('ftp://example.com/hook');
    checkbox('lead.created').click();
    submit();
    await settle();
    http.expectNone('/api/webhooks');
    expect(errors()).toEqual(['must be an http or https URL', 'subscribe to at least one event']);
  });

  it('creates the webhook with the events ticked and hands back its secret', async () => {
    typeUrl('https://crm.example.com/hooks');
    checkbox('conversation.closed').click();
    submit();
    TestBed.tick();
    const request = http.expectOne('/api/webhooks');
    expect(request.request.body).toEqual({
      url: 'https://crm.example.com/hooks',
      description: '',
      events: ['lead.created', 'conversation.closed'],
      enabled: true,
    });
    const answer = { ...webhook(), secret: 'whsec_abc' };
    request.flush(answer, { status: 201, statusText: 'Created' });
    await settle();
    expect(created).toEqual([answer]);
  });

  it("shows the server's refusal beside the URL, until it is changed", async () => {
    typeUrl('https://10.0.0.1/hook');
    submit();
    TestBed.tick();
    http.expectOne('/api/webhooks').flush(
      {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid: see fields.',
          fields: [
            { location: 'body', path: 'url', message: 'must not point to a private address (10.0.0.1)' },
          ],
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle();
    expect(errors()).toEqual(['must not point to a private address (10.0.0.1)']);
    expect(urlInput().getAttribute('aria-invalid')).toBe('true');
    typeUrl('https://crm.example.com/hooks');
    await settle();
    expect(errors()).toEqual([]);
    expect(created).toEqual([]);
  });
});
