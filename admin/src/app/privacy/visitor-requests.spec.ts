import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Confirmer, type Confirmation } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { PrivacyApi } from './privacy-api';
import { erasureSummary, VisitorRequests } from './visitor-requests';

describe('VisitorRequests', () => {
  let fixture: ComponentFixture<VisitorRequests>;
  let http: HttpTestingController;
  let asked: Confirmation[];
  let answer: boolean;

  const element = () => fixture.nativeElement as HTMLElement;
  const text = () => element().textContent!.replace(/\s+/g, ' ');
  const email = () => element().querySelector<HTMLInputElement>('input[type="email"]')!;
  const button = (name: string) =>
    [...element().querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === name)!;
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  };
  const type = async (value: string) => {
    email().value = value;
    email().dispatchEvent(new Event('input'));
    await settle();
  };

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    asked = [];
    answer = true;
    TestBed.inject(Confirmer).ask = (confirmation) => {
      asked.push(confirmation);
      return Promise.resolve(answer);
    };
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(VisitorRequests);
    TestBed.tick();
  });
  afterEach(() => http.verify());

  it('needs an email address before exporting or erasing', async () => {
    button('Export data (JSON)').click();
    await settle();
    expect(text()).toContain('Enter the email address the visitor left.');
    await type('ada@');
    button('Erase data').click();
    await settle();
    expect(text()).toContain('must be an email address');
    expect(asked).toEqual([]);
  });

  it('exports the data of the visitor by email', async () => {
    const exportVisitor = vi.spyOn(TestBed.inject(PrivacyApi), 'exportVisitor').mockResolvedValue();
    const success = vi.spyOn(TestBed.inject(Toaster), 'success');
    await type('ada@example.com');
    button('Export data (JSON)').click();
    await settle();
    expect(exportVisitor).toHaveBeenCalledWith('ada@example.com');
    expect(success).toHaveBeenCalledWith('Everything stored about ada@example.com was downloaded.');
  });

  it('erases after a confirmation naming the email and what goes, then shows the counts', async () => {
    await type('ada@example.com');
    button('Erase data').click();
    await settle();
    expect(asked[0]!.title).toBe('Erase everything about ada@example.com?');
    expect(asked[0]!.message).toContain('messages');
    expect(asked[0]!.message).toContain('leads');
    expect(asked[0]!.danger).toBe(true);
    const request = http.expectOne({ method: 'POST', url: '/api/privacy/erase' });
    expect(request.request.body).toEqual({ email: 'ada@example.com' });
    request.flush({ conversations: 2, messages: 7, leads: 1, leadEvents: 3 });
    await settle();
    expect(element().querySelector('[role="status"]')!.textContent).toBe(
      'Erased for ada@example.com: 2 conversations, 7 messages, 1 lead and 3 lead history entries.',
    );
  });

  it('erases nothing when the confirmation is declined', async () => {
    answer = false;
    await type('ada@example.com');
    button('Erase data').click();
    await settle();
    http.expectNone('/api/privacy/erase');
    expect(element().querySelector('[role="status"]')).toBeNull();
  });

  it('says so when nothing was stored about the email', () => {
    expect(
      erasureSummary('nobody@example.com', { conversations: 0, messages: 0, leads: 0, leadEvents: 0 }),
    ).toBe('Nothing was stored about nobody@example.com: nothing was erased.');
    expect(erasureSummary('a@b.co', { conversations: 1, messages: 1, leads: 0, leadEvents: 1 })).toBe(
      'Erased for a@b.co: 1 conversation, 1 message, 0 leads and 1 lead history entry.',
    );
  });
});
