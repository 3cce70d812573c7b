import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeSocket, provideAssistantFakes } from './assistant-fakes';
import { suggestedQuestions } from './assistant-chat';
import { AssistantPanel } from './assistant-panel';

@Component({
  imports: [AssistantPanel],
  template: `
    <button type="button" id="opener">Assistant</button>
    @if (open()) {
      <app-assistant-panel (closed)="open.set(false)" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class Host {
  readonly open = signal(false);
}

describe('AssistantPanel', () => {
  let socket: FakeSocket;

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: provideAssistantFakes(socket) });
  });

  async function openPanel() {
    const fixture = TestBed.createComponent(Host);
    document.body.appendChild(fixture.nativeElement);
    const opener = fixture.nativeElement.querySelector('#opener') as HTMLButtonElement;
    opener.focus();
    fixture.componentInstance.open.set(true);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const input = () => el.querySelector('textarea') as HTMLTextAreaElement;
    const text = () => el.querySelector('[role="log"]')!.textContent!.replace(/\s+/g, ' ');
    return { fixture, el, opener, input, text };
  }

  it('opens with the focus in its question box and offers questions to start with', async () => {
    const { el, input } = await openPanel();
    expect(document.activeElement).toBe(input());
    expect(input().labels![0]!.textContent).toContain('Ask the assistant');
    const offered = [...el.querySelectorAll('[aria-label="Suggested questions"] button')].map((b) =>
      b.textContent!.trim(),
    );
    expect(offered).toEqual(suggestedQuestions);
  });

  it('streams the answer under the question, then shows its sources and the figures it looked up', async () => {
    const { fixture, el, input, text } = await openPanel();
    input().value = 'How many leads this month?';
    input().dispatchEvent(new Event('input'));
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await fixture.whenStable();
    expect(socket.asked[0]!.payload.question).toBe('How many leads this month?');
    expect(input().value).toBe('');
    expect(text()).toContain('Looking it up…');
    socket.asked[0]!.answer('m-1');
    await Promise.resolve();
    socket.emit('assistant:delta', { messageId: 'm-1', offset: 0, delta: 'You have 2' });
    await fixture.whenStable();
    expect(el.querySelector('.content.streaming')!.textContent).toBe('You have 2');
    socket.emit('assistant:done', {
      messageId: 'm-1',
      content: 'You have 2 leads this month [1].',
      sources: [{ index: 1, documentId: 'd', title: 'Leads guide', chunkIndex: 0, snippet: 'Leads are…' }],
      toolCalls: [{ name: 'leads_this_month', result: { total: 2, byStatus: { new: 1, qualified: 1 } } }],
      state: 'complete',
    });
    await fixture.whenStable();
    expect(el.querySelector('.content.streaming')).toBeNull();
    expect(text()).toContain('You have 2 leads this month [1].');
    expect(text()).toContain('[1] Leads guide');
    expect(text()).toContain('Figures looked up (1)');
    expect(el.querySelector('.call strong')!.textContent).toBe('leads this month');
    const figures = [...el.querySelectorAll('.call dl > div')].map((row) => [
      row.querySelector('dt')!.textContent,
      row.querySelector('dd')!.textContent,
    ]);
    expect(figures).toEqual([
      ['total', '2'],
      ['by status', 'new 1, qualified 1'],
    ]);
    expect(el.querySelector('[aria-label="Suggested questions"]')).toBeNull();
  });

  it('asks a suggested question in one click, and shows a refusal with a way to ask again', async () => {
    const { fixture, el, text } = await openPanel();
    (el.querySelector('[aria-label="Suggested questions"] button') as HTMLButtonElement).click();
    expect(socket.asked[0]!.payload.question).toBe(suggestedQuestions[0]);
    socket.asked[0]!.refuse(new Error('Too many requests. Try again in 7 s.'));
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')!.textContent).toContain('could not be sent');
    (
      [...el.querySelectorAll('button')].find(
        (b) => b.textContent!.trim() === 'Ask again',
      ) as HTMLButtonElement
    ).click();
    expect(socket.asked[1]!.payload.question).toBe(suggestedQuestions[0]);
    expect(text()).toContain(suggestedQuestions[0]);
  });

  it('closes on Escape and on its close button, giving the focus back, and keeps the conversation', async () => {
    const { fixture, el, opener, input, text } = await openPanel();
    (el.querySelector('[aria-label="Suggested questions"] button') as HTMLButtonElement).click();
    await fixture.whenStable();
    input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await fixture.whenStable();
    expect(el.querySelector('app-assistant-panel')).toBeNull();
    expect(document.activeElement).toBe(opener);

    fixture.componentInstance.open.set(true);
    await fixture.whenStable();
    expect(text()).toContain(suggestedQuestions[0]);
    (el.querySelector('[aria-label="Close the assistant"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(el.querySelector('app-assistant-panel')).toBeNull();
  });
});
