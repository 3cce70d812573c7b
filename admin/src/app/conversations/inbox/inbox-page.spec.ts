import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Title } from '@angular/platform-browser';
import { provideRouter } from '@angular/router';
import { Session } from '../../core/auth/session';
import { AdminSocket } from '../../core/socket/admin-socket';
import { FakeAdminSocket } from '../testing/fake-admin-socket';
import { listItem, message, summary } from '../testing/fixtures';
import { InboxPage } from './inbox-page';

describe('InboxPage', () => {
  let fixture: ComponentFixture<InboxPage>;
  let socket: FakeAdminSocket;
  let http: HttpTestingController;
  let title: Title;
  const page = () => fixture.nativeElement as HTMLElement;
  const settle = async () => {
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
  };
  const rowNames = () => [...page().querySelectorAll('.row .name')].map((name) => name.textContent!.trim());
  const button = (name: string) =>
    [...page().querySelectorAll('button')].find((b) => b.textContent!.trim() === name) as
      HTMLButtonElement | undefined;

  beforeEach(async () => {
    socket = new FakeAdminSocket();
    socket.acks['conversation:watch'] = ({ conversationId }: { conversationId: string }) => ({
      conversation: summary({
        id: conversationId,
        messageCount: 2,
        handoffRequestedAt: '2026-03-02T10:05:00.000Z',
      }),
      messages: [message({ conversationId, content: 'Can I talk to a person?' })],
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        { provide: AdminSocket, useValue: socket },
        { provide: Session, useValue: { user: signal({ id: 'me' }), hasRole: () => false } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    title = TestBed.inject(Title);
    title.setTitle('Live inbox');
    fixture = TestBed.createComponent(InboxPage);
    await settle();
    http
      .expectOne((r) => r.url === '/api/conversations')
      .flush({
        conversations: [
          listItem({
            id: 'ada',
            lead: { id: 'l1', name: 'Ada', email: 'ada@example.com' },
            lastMessageAt: '2026-03-02T10:00:00.000Z',
          }),
          listItem({ id: 'bob', visitorId: 'bob123456', lastMessageAt: '2026-03-02T10:03:00.000Z' }),
        ],
        total: 2,
      });
    await settle();
  });

  it('lists the active conversations, and puts one whose visitor asks for a person on top with an alert', async () => {
    expect(rowNames()).toEqual(['Visitor bob123', 'Ada']);
    socket.emit('handoff:requested', { conversationId: 'ada', botId: 'b1' });
    socket.emit(
      'conversation:updated',
      summary({ id: 'ada', messageCount: 2, handoffRequestedAt: '2026-03-02T10:05:00.000Z' }),
    );
    await settle();
    expect(rowNames()).toEqual(['Ada', 'Visitor bob123']);
    expect(page().querySelector('.row.waiting .badge')!.textContent).toMatch(/Waiting \d/);
    expect(page().textContent).toContain('1 waiting for a person');
    expect(title.getTitle()).toBe('(1) Live inbox');

    // Opening it is seeing it: the badge goes, and the conversation is followed live.
    fixture.componentRef.setInput('id', 'ada');
    await settle();
    expect(title.getTitle()).toBe('Live inbox');
    expect(socket.requests.at(-1)).toEqual({
      event: 'conversation:watch',
      payload: { conversationId: 'ada', sinceSeq: undefined },
    });
    expect(page().querySelector('[role="log"]')!.textContent).toContain('Can I talk to a person?');
    expect(page().querySelector('.hint')!.textContent).toContain('The visitor is waiting for a person.');
  });

  it('takes over, checks the message with the server’s rule before sending it, and sends it', async () => {
    fixture.componentRef.setInput('id', 'ada');
    await settle();
    socket.acks['conversation:takeover'] = {
      conversation: summary({ id: 'ada', mode: 'human', assignedAgentId: 'me', messageCount: 3 }),
    };
    button('Take over')!.click();
    await settle();
    const textarea = page().querySelector<HTMLTextAreaElement>('textarea')!;
    expect(textarea).not.toBeNull();
    expect(button('Hand back to the bot')).toBeDefined();

    textarea.value = '   ';
    textarea.dispatchEvent(new Event('input'));
    page().querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(page().querySelector('.composer .error')!.textContent).toContain('must not be empty');
    expect(socket.requests.some((r) => r.event === 'message:send')).toBe(false);

    socket.acks['message:send'] = { messageId: 'm2', seq: 4 };
    textarea.value = 'Hi, Sam here.';
    textarea.dispatchEvent(new Event('input'));
    expect(socket.sent).toEqual([{ event: 'typing', payload: { conversationId: 'ada', isTyping: true } }]);
    page().querySelector('form')!.dispatchEvent(new Event('submit'));
    await settle();
    expect(socket.requests.at(-1)).toMatchObject({
      event: 'message:send',
      payload: { conversationId: 'ada', text: 'Hi, Sam here.' },
    });
    expect(socket.sent.at(-1)).toEqual({
      event: 'typing',
      payload: { conversationId: 'ada', isTyping: false },
    });
    expect(textarea.value).toBe('');
  });

  it('shows the visitor typing in the conversation on screen', async () => {
    fixture.componentRef.setInput('id', 'bob');
    await settle();
    socket.emit('typing', { conversationId: 'bob', role: 'visitor', isTyping: true });
    await settle();
    expect(page().querySelector('.typing')!.textContent).toContain('The visitor is typing…');
  });
});
