import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { ConversationDetail, Role } from '@chatbot/shared';
import { Session } from '../core/auth/session';
import { Confirmer } from '../core/ui/confirmer';
import { ConversationDetailPage } from './conversation-detail-page';
import { listItem, message } from './testing/fixtures';

const detail: ConversationDetail = {
  conversation: {
    ...listItem({ id: 'c1', lead: { id: 'lead-1', name: 'Ada Lovelace', email: 'ada@example.com' } }),
    visitorIp: '203.0.113.9',
    userAgent: 'AdaBrowser/1.0',
    referrer: 'https://shop.example/returns',
    visitorLanguage: 'fr-CH',
  },
  messages: [message({ content: 'Where is my order?' })],
};

describe('ConversationDetailPage', () => {
  let fixture: ComponentFixture<ConversationDetailPage>;
  let http: HttpTestingController;
  const page = () => fixture.nativeElement as HTMLElement;
  /** Runs effects and change detection (whenStable would wait for the requests the test answers). */
  const settle = async () => {
    TestBed.tick();
    await Promise.resolve();
    TestBed.tick();
  };
  const button = (name: string) =>
    [...page().querySelectorAll('button')].find((b) => b.textContent!.trim() === name) as
      HTMLButtonElement | undefined;

  async function render(role: Role, body: object = detail, status = 200) {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        {
          provide: Session,
          useValue: { hasRole: (...roles: Role[]) => roles.includes(role), user: signal(null) },
        },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ConversationDetailPage);
    fixture.componentRef.setInput('id', 'c1');
    await settle();
    http.expectOne('/api/conversations/c1').flush(body, { status, statusText: String(status) });
    await settle();
  }

  it('shows the transcript and the visitor panel with a link to the lead', async () => {
    await render('agent');
    expect(page().querySelector('h1')!.textContent).toBe('Ada Lovelace');
    expect(page().querySelector('[role="log"]')!.textContent).toContain('Where is my order?');
    const panel = page().querySelector('app-visitor-panel')!;
    for (const text of ['203.0.113.9', 'AdaBrowser/1.0', 'https://shop.example/returns', 'ada@example.com']) {
      expect(panel.textContent).toContain(text);
    }
    expect(panel.querySelector<HTMLAnchorElement>('a[href="/leads/lead-1"]')!.textContent).toBe(
      'View the lead',
    );
    expect(button('Delete'), 'agents cannot delete').toBeUndefined();
  });

  it('deletes after a confirmation, then goes back to the list', async () => {
    await render('owner');
    const ask = vi
      .spyOn(TestBed.inject(Confirmer), 'ask')
      .mockResolvedValueOnce(false)
      .mockResolvedValueOnce(true);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    button('Delete')!.click();
    await settle();
    http.expectNone({ method: 'DELETE' });
    button('Delete')!.click();
    await settle();
    expect(ask).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'Delete conversation', danger: true }),
    );
    http
      .expectOne({ method: 'DELETE', url: '/api/conversations/c1' })
      .flush({ conversations: 1, messages: 1, leads: 1, leadEvents: 1 });
    await settle();
    await new Promise((resolve) => setTimeout(resolve));
    expect(navigate).toHaveBeenCalledWith('/conversations');
  });

  it('says when the conversation does not exist (or was deleted)', async () => {
    await render('owner', { error: { code: 'not_found', message: 'Conversation not found.' } }, 404);
    expect(page().querySelector('[role="alert"]')!.textContent).toContain(
      'does not exist, or it was deleted',
    );
  });
});
