import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BotsApi } from './bots-api';
import { BOT_ID, botView } from './bots-testing';

describe('BotsApi', () => {
  let api: BotsApi;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(BotsApi);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('lists with the filters given and leaves empty ones out', async () => {
    const listed = api.list({ search: 'desk', status: undefined, limit: 12, offset: 24 });
    const request = http.expectOne((r) => r.url === '/api/chatbots');
    expect(request.request.params.keys().sort()).toEqual(['limit', 'offset', 'search']);
    expect(request.request.params.get('search')).toBe('desk');
    expect(request.request.params.get('offset')).toBe('24');
    request.flush({ chatbots: [botView()], total: 25 });
    expect((await listed).total).toBe(25);

    void api.list({ search: '' });
    expect(http.expectOne('/api/chatbots').request.params.keys()).toEqual([]);
  });

  it('changes a bot with a PATCH of the changes only, and publishes with its status', async () => {
    const saved = api.update(BOT_ID, { appearance: { primaryColor: '#ff0000' } });
    const request = http.expectOne(`/api/chatbots/${BOT_ID}`);
    expect(request.request.method).toBe('PATCH');
    expect(request.request.body).toEqual({ appearance: { primaryColor: '#ff0000' } });
    request.flush(botView());
    await saved;

    void api.setStatus(BOT_ID, 'published');
    expect(http.expectOne(`/api/chatbots/${BOT_ID}`).request.body).toEqual({ status: 'published' });
  });

  it('uploads an avatar as multipart with one file, and starts preview conversations', async () => {
    const file = new File([new Uint8Array([0x89, 0x50])], 'me.png', { type: 'image/png' });
    void api.uploadAvatar(BOT_ID, file);
    const upload = http.expectOne(`/api/chatbots/${BOT_ID}/avatar`);
    expect(upload.request.method).toBe('POST');
    expect((upload.request.body as FormData).get('file')).toBeInstanceOf(File);

    const started = api.startPreview(BOT_ID);
    const preview = http.expectOne(`/api/chatbots/${BOT_ID}/preview-conversation`);
    expect(preview.request.method).toBe('POST');
    preview.flush({ conversationId: 'c', visitorToken: 't', resumed: false, welcomeMessage: 'Hi' });
    expect((await started).visitorToken).toBe('t');
  });

  it('deletes a bot', async () => {
    const removed = api.remove(BOT_ID);
    const request = http.expectOne(`/api/chatbots/${BOT_ID}`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await removed;
  });
});
