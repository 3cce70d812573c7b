import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { message } from './testing/fixtures';
import { TranscriptView } from './transcript-view';

describe('TranscriptView', () => {
  function render(messages: ReturnType<typeof message>[]) {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(TranscriptView);
    fixture.componentRef.setInput('messages', messages);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  it('shows who wrote what, the sources under bot answers, and the answers that failed or are still streaming', () => {
    const element = render([
      message({ id: 'q', content: 'How long for a refund?' }),
      message({
        id: 'a',
        seq: 2,
        role: 'bot',
        content: 'Within 30 days [1].',
        sources: [
          {
            index: 1,
            documentId: 'd',
            title: 'Refund policy',
            heading: 'Refunds',
            page: 2,
            chunkIndex: 0,
            snippet: 'Refunds…',
            url: 'https://shop.example/refunds',
          },
        ],
      }),
      message({
        id: 'f',
        seq: 3,
        role: 'bot',
        content: 'Sorry.',
        state: 'failed',
        error: 'The API key was rejected.',
      }),
      message({ id: 'g', seq: 4, role: 'agent', agentName: 'Sam', content: 'Sam here' }),
      message({ id: 's', seq: 5, role: 'bot', content: 'Let me', state: 'streaming' }),
      message({ id: 'n', seq: 6, role: 'system', content: 'Sam joined the chat.' }),
    ]);
    const items = [...element.querySelectorAll('li.message')];
    expect(items.map((item) => item.querySelector('.author')?.textContent?.trim() ?? 'notice')).toEqual([
      'Visitor',
      'Bot',
      'Bot',
      'Sam',
      'Bot',
      'notice',
    ]);
    const source = items[1]!.querySelector('.sources a') as HTMLAnchorElement;
    expect(source.textContent).toBe('Refund policy');
    expect(source.href).toBe('https://shop.example/refunds');
    expect(items[1]!.textContent).toContain('page 2');
    expect(items[2]!.textContent).toContain('Answer failed');
    expect(items[2]!.textContent).toContain('Why: The API key was rejected.');
    expect(items[4]!.getAttribute('data-state')).toBe('streaming');
    expect(items[4]!.getAttribute('aria-busy')).toBe('true');
    expect(items[0]!.querySelector('.bubble')!.textContent).toBe('How long for a refund?');
  });

  it('says when there is nothing yet', () => {
    expect(render([]).textContent).toContain('No messages yet.');
  });
});
