import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { BotView } from '@chatbot/shared';
import { apiError, BOT_ID, botView, settle } from '../bots-testing';
import { avatarProblem, BotAvatarField } from './bot-avatar-field';

describe('BotAvatarField', () => {
  let fixture: ComponentFixture<BotAvatarField>;
  let http: HttpTestingController;
  let page: HTMLElement;
  const changed: BotView[] = [];

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(BotAvatarField);
    fixture.componentRef.setInput('bot', botView());
    fixture.componentInstance.changed.subscribe((bot) => changed.push(bot));
    changed.length = 0;
    page = fixture.nativeElement as HTMLElement;
  });
  afterEach(() => http.verify());

  const render = async () => {
    await settle();
    TestBed.tick();
    await fixture.whenStable();
  };
  const choose = async (file: File) => {
    const input = page.querySelector<HTMLInputElement>('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await render();
  };

  it('checks the type and size before uploading', () => {
    expect(avatarProblem({ type: 'image/png', size: 1000 })).toBeNull();
    expect(avatarProblem({ type: 'image/svg+xml', size: 1000 })).toMatch(/PNG, JPEG, WebP or GIF/);
    expect(avatarProblem({ type: 'image/webp', size: 512 * 1024 + 1 })).toMatch(/512 KB/);
  });

  it('refuses an SVG without sending it', async () => {
    await render();
    await choose(new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }));
    http.expectNone(`/api/chatbots/${BOT_ID}/avatar`);
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('PNG, JPEG, WebP or GIF');
  });

  it('uploads a chosen image and hands on the bot the server returns', async () => {
    await render();
    await choose(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'me.png', { type: 'image/png' }));
    const updated = botView({ appearance: { ...botView().appearance, avatarUrl: 'http://x/avatar?v=1' } });
    http.expectOne(`/api/chatbots/${BOT_ID}/avatar`).flush(updated);
    await render();
    expect(changed).toEqual([updated]);
  });

  it("shows the server's refusal", async () => {
    await render();
    await choose(new File([new Uint8Array([1, 2, 3])], 'me.png', { type: 'image/png' }));
    http
      .expectOne(`/api/chatbots/${BOT_ID}/avatar`)
      .flush(
        ...apiError(415, 'unsupported_media_type', 'The avatar must be a PNG, JPEG, WebP or GIF image.'),
      );
    await render();
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('The avatar must be');
    expect(changed).toEqual([]);
  });
});
