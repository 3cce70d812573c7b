import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { PublicBotConfig, WidgetPreview } from '@chatbot/shared';
import { fromBot } from '../edit/bot-form-model';
import { BOT_ID, botView, settle } from '../bots-testing';
import { BotPreview } from './bot-preview';
import { previewConfig } from './preview-config';

/** Stands in for the widget's element: records what the preview sets and calls. */
class FakeChatBot extends HTMLElement {
  preview: WidgetPreview | null = null;
  opened: unknown[] = [];
  open(options?: unknown): Promise<void> {
    this.opened.push(options);
    return Promise.resolve();
  }
}
if (!customElements.get('chat-bot')) customElements.define('chat-bot', FakeChatBot);

describe('BotPreview', () => {
  let fixture: ComponentFixture<BotPreview>;
  let http: HttpTestingController;
  const config = (welcomeMessage: string): PublicBotConfig => ({
    ...previewConfig(fromBot(botView()), botView()),
    welcomeMessage,
  });

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(BotPreview);
    fixture.componentRef.setInput('botId', BOT_ID);
    fixture.componentRef.setInput('config', config('Hello'));
  });
  afterEach(() => http.verify());

  const render = async () => {
    await settle();
    TestBed.tick();
    await fixture.whenStable();
  };
  const widget = () => (fixture.nativeElement as HTMLElement).querySelector('chat-bot') as FakeChatBot;

  it('opens the widget (defined once the loader resolved) for the bot, without taking the focus', async () => {
    await render();
    expect(widget().getAttribute('bot-id')).toBe(BOT_ID);
    expect(widget().preview!.config.welcomeMessage).toBe('Hello');
    expect(widget().opened).toEqual([{ focus: false }]);
  });

  it('shows new settings in the same widget at once', async () => {
    await render();
    const first = widget();
    fixture.componentRef.setInput('config', config('Bonjour'));
    await render();
    expect(widget()).toBe(first);
    expect(widget().preview!.config.welcomeMessage).toBe('Bonjour');
  });

  it("starts conversations through the dashboard's preview endpoint", async () => {
    await render();
    const started = widget().preview!.startConversation();
    const request = http.expectOne(`/api/chatbots/${BOT_ID}/preview-conversation`);
    request.flush({ conversationId: 'c1', visitorToken: 'token', resumed: false, welcomeMessage: 'Hello' });
    expect((await started).conversationId).toBe('c1');
  });

  it('cannot chat before the bot exists, and says so', async () => {
    fixture.componentRef.setInput('botId', null);
    await render();
    expect(widget().hasAttribute('bot-id')).toBe(false);
    await expect(widget().preview!.startConversation()).rejects.toThrow('Create the chatbot first.');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain(
      'Create the chatbot to chat with it here.',
    );
  });
});
