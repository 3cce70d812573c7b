import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { botDefaults } from '@chatbot/shared';
import { Confirmer } from '../../core/ui/confirmer';
import { Toaster } from '../../core/ui/toaster';
import { apiError, BOT_ID, botView, settle } from '../bots-testing';
import { WidgetLoader } from '../preview/widget-loader';
import { BotEditPage } from './bot-edit-page';

describe('BotEditPage', () => {
  let fixture: ComponentFixture<BotEditPage>;
  let http: HttpTestingController;
  let page: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        // The preview's widget script is the browser test's business.
        { provide: WidgetLoader, useValue: { load: () => new Promise(() => undefined) } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(BotEditPage);
    page = fixture.nativeElement as HTMLElement;
  });
  afterEach(() => http.verify());

  const render = async () => {
    await settle();
    TestBed.tick();
    await fixture.whenStable();
  };
  const field = <T extends HTMLElement = HTMLInputElement>(id: string) => page.querySelector<T>(`#${id}`)!;
  const type = async (id: string, value: string) => {
    const input = field<HTMLInputElement | HTMLTextAreaElement>(id);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await render();
  };
  /** The error text shown in the field's own block. */
  const errorOf = (id: string) => field(id).closest('.field')!.querySelector('.error')?.textContent?.trim();
  const button = (name: string) =>
    [...page.querySelectorAll('button')].find((b) => b.textContent!.trim() === name) as HTMLButtonElement;
  const open = async (bot = botView()) => {
    fixture.componentRef.setInput('id', bot.id);
    TestBed.tick();
    http.expectOne(`/api/chatbots/${bot.id}`).flush(bot);
    await render();
  };

  it('creates a bot with the schema checked first, then opens it', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await render();
    expect(page.textContent).toContain('New chatbot');
    button('Create chatbot').click();
    await render();
    expect(errorOf('bot-name')).toBe('Give the chatbot a name.');
    http.expectNone('/api/chatbots');

    await type('bot-name', 'Sales');
    button('Create chatbot').click();
    await render();
    const create = http.expectOne('/api/chatbots');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toMatchObject({
      name: 'Sales',
      model: botDefaults.model,
      allowedOrigins: [],
    });
    expect(create.request.body.openaiApiKey).toBeUndefined();
    create.flush(botView({ name: 'Sales' }));
    await render();
    expect(navigate).toHaveBeenCalledWith(['/bots', BOT_ID], { replaceUrl: true });
  });

  it('sends only the changed settings, and nothing is unsaved after', async () => {
    await open();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
    await type('bot-colour', '#FF0000');
    await type('bot-welcome', 'Bonjour');
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(true);
    expect(page.textContent).toContain('Unsaved changes');
    button('Save changes').click();
    await render();
    const patch = http.expectOne(`/api/chatbots/${BOT_ID}`);
    expect(patch.request.body).toEqual({
      appearance: { primaryColor: '#FF0000' },
      welcomeMessage: 'Bonjour',
    });
    patch.flush(
      botView({
        welcomeMessage: 'Bonjour',
        appearance: { ...botDefaults.appearance, primaryColor: '#FF0000' },
      }),
    );
    await render();
    expect(fixture.componentInstance.hasUnsavedChanges()).toBe(false);
    expect(page.textContent).toContain('All changes saved');
  });

  it('shows a bad colour beside its field and sends nothing', async () => {
    await open();
    await type('bot-colour', '#12');
    expect(errorOf('bot-colour')).toBe('must be a colour such as #2563eb');
    expect(field('bot-colour').getAttribute('aria-invalid')).toBe('true');
    button('Save changes').click();
    await render();
    http.expectNone(`/api/chatbots/${BOT_ID}`);
    expect(page.querySelector('.form-error')!.textContent).toContain('Some settings need fixing');
  });

  it("shows the server's field errors beside their fields", async () => {
    await open();
    await type('bot-chunk-overlap', '450');
    await type('bot-origins', 'https://shop.example');
    button('Save changes').click();
    await render();
    http.expectOne(`/api/chatbots/${BOT_ID}`).flush(
      ...apiError(400, 'validation_failed', 'The request is not valid: see fields.', [
        { path: 'retrieval', message: 'chunkOverlapTokens must be smaller than chunkMinTokens' },
        { path: 'allowedOrigins.0', message: 'is not allowed' },
      ]),
    );
    await render();
    const retrieval = field('bot-chunk-overlap').closest('.group')!;
    expect(retrieval.textContent).toContain('chunkOverlapTokens must be smaller than chunkMinTokens');
    expect(errorOf('bot-origins')).toBe('Origin 1: is not allowed');
    expect(page.querySelector('.form-error')!.textContent).toContain('The server refused some settings');
  });

  it('publishes with the pending changes in the same request', async () => {
    await open();
    await type('bot-name', 'Sales desk');
    button('Save and publish').click();
    await render();
    const patch = http.expectOne(`/api/chatbots/${BOT_ID}`);
    expect(patch.request.body).toEqual({ name: 'Sales desk', status: 'published' });
    patch.flush(botView({ name: 'Sales desk', status: 'published' }));
    await render();
    expect(button('Unpublish')).toBeDefined();
  });

  it('never shows the key: only its last four characters, and removes it after asking', async () => {
    const confirmer = TestBed.inject(Confirmer);
    const success = vi.spyOn(TestBed.inject(Toaster), 'success');
    await open(botView({ openaiApiKeyLast4: 'WXYZ' }));
    expect(page.textContent).toContain('Key ending in …WXYZ');
    expect(field('bot-api-key').getAttribute('type')).toBe('password');
    expect(field('bot-api-key').value).toBe('');
    button('Remove').click();
    await settle();
    confirmer.pending()!.answer(true);
    await settle();
    const patch = http.expectOne(`/api/chatbots/${BOT_ID}`);
    expect(patch.request.body).toEqual({ openaiApiKey: null });
    patch.flush(botView({ openaiApiKeyLast4: null }));
    await render();
    expect(page.textContent).not.toContain('WXYZ');
    expect(success).toHaveBeenCalledWith('The OpenAI key was removed.');
  });

  it('says so when the bot does not exist', async () => {
    fixture.componentRef.setInput('id', BOT_ID);
    TestBed.tick();
    http.expectOne(`/api/chatbots/${BOT_ID}`).flush(...apiError(404, 'not_found', 'Chatbot not found.'));
    await render();
    expect(page.querySelector('[role="alert"]')!.textContent).toContain('does not exist');
  });
});
