import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Toaster } from '../../core/ui/toaster';
import { BOT_ID, settle } from '../bots-testing';
import { EmbedCode, embedSnippets } from './embed-code';

describe('EmbedCode', () => {
  let fixture: ComponentFixture<EmbedCode>;
  let page: HTMLElement;
  let writeText: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    fixture = TestBed.createComponent(EmbedCode);
    fixture.componentRef.setInput('botId', BOT_ID);
    fixture.componentRef.setInput('status', 'draft');
    page = fixture.nativeElement as HTMLElement;
  });

  const render = async () => {
    await settle();
    TestBed.tick();
    await fixture.whenStable();
  };
  const copyButton = (name: string) => page.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`)!;

  it('gives both embed styles for the platform origin and the bot', () => {
    const snippets = embedSnippets('https://chat.example.com', BOT_ID);
    expect(snippets.script).toBe(
      `<script src="https://chat.example.com/widget/chat-bot.js" data-bot-id="${BOT_ID}" defer></script>`,
    );
    expect(snippets.element).toBe(
      `<script type="module" src="https://chat.example.com/widget/chat-bot.js"></script>\n` +
        `<chat-bot bot-id="${BOT_ID}"></chat-bot>`,
    );
  });

  it('warns that a draft shows nothing on a site, and offers to publish', async () => {
    const published: unknown[] = [];
    fixture.componentInstance.publish.subscribe(() => published.push(true));
    await render();
    expect(page.querySelector('[role="note"]')!.textContent).toContain('until you publish it');
    page.querySelector<HTMLButtonElement>('[role="note"] button')!.click();
    expect(published).toHaveLength(1);

    fixture.componentRef.setInput('status', 'published');
    await render();
    expect(page.querySelector('[role="note"]')).toBeNull();
    expect(page.querySelectorAll('ol.steps li')).toHaveLength(3);
  });

  it('copies the code to the clipboard and says so', async () => {
    await render();
    copyButton('Copy the element code').click();
    await render();
    expect(writeText).toHaveBeenCalledWith(embedSnippets(location.origin, BOT_ID).element);
    expect(copyButton('Copy the element code').textContent!.trim()).toBe('Copied');
    expect(copyButton('Copy the one line code').textContent!.trim()).toBe('Copy');
    expect(page.querySelector('[role="status"]')!.textContent).toContain('Copied');
  });

  it('says what to do when the browser refuses to copy', async () => {
    writeText.mockRejectedValue(new Error('denied'));
    const error = vi.spyOn(TestBed.inject(Toaster), 'error');
    await render();
    copyButton('Copy the one line code').click();
    await render();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('copy it yourself'));
    expect(copyButton('Copy the one line code').textContent!.trim()).toBe('Copy');
  });
});
