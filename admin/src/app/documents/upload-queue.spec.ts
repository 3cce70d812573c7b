import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { DocumentView } from '@chatbot/shared';
import { DONE_SHOWN_MS, PARALLEL_UPLOADS, UploadQueue } from './upload-queue';

const BOT = '00000000-0000-4000-8000-000000000001';
const text = (name: string, body = 'Some words.') => new File([body], name, { type: 'text/plain' });

describe('UploadQueue', () => {
  let queue: UploadQueue;
  let http: HttpTestingController;
  let accepted: DocumentView[][];

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        UploadQueue,
      ],
    });
    queue = TestBed.inject(UploadQueue);
    http = TestBed.inject(HttpTestingController);
    accepted = [];
    queue.uploaded.subscribe((documents) => accepted.push(documents));
  });
  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  const states = () => queue.uploads().map((upload) => [upload.file.name, upload.state]);
  const pending = () => http.match('/api/documents/upload');

  it('sends each file in its own request, and refuses what the server would refuse without sending it', () => {
    queue.add(BOT, [text('a.txt'), new File(['x'], 'b.zip'), text('c.md'), text('empty.txt', '')]);
    expect(states()).toEqual([
      ['a.txt', 'uploading'],
      ['b.zip', 'refused'],
      ['c.md', 'uploading'],
      ['empty.txt', 'refused'],
    ]);
    expect(queue.uploads()[1]!.message).toMatch(/\.zip files can't be read/);
    const requests = pending();
    expect(requests.map((request) => (request.request.body as FormData).get('file'))).toEqual([
      queue.uploads()[0]!.file,
      queue.uploads()[2]!.file,
    ]);
    expect((requests[0]!.request.body as FormData).get('botId')).toBe(BOT);
    for (const request of requests) request.flush({ documents: [] }, { status: 202, statusText: 'Accepted' });
  });

  it("follows each upload's progress and hands over the documents the server accepted", () => {
    vi.useFakeTimers();
    queue.add(BOT, [text('a.txt')]);
    const request = http.expectOne('/api/documents/upload');
    expect(request.request.reportProgress).toBe(true);
    request.event({ type: HttpEventType.UploadProgress, loaded: 30, total: 120 });
    expect(queue.uploads()[0]).toMatchObject({ state: 'uploading', progress: 25 });
    const document = { id: 'd1', name: 'a.txt', status: 'pending' } as DocumentView;
    request.flush({ documents: [document] }, { status: 202, statusText: 'Accepted' });
    expect(queue.uploads()[0]).toMatchObject({ state: 'done', progress: 100 });
    expect(accepted).toEqual([[document]]);
    vi.advanceTimersByTime(DONE_SHOWN_MS);
    expect(queue.uploads()).toEqual([]);
  });

  it("keeps a failed upload with the server's message until it is retried or dismissed", () => {
    queue.add(BOT, [text('a.txt'), text('b.txt')]);
    const [first, second] = pending();
    first!.flush(
      {
        error: { code: 'payload_too_large', message: 'This upload would exceed your storage quota of 1 MB.' },
      },
      { status: 413, statusText: 'Payload Too Large' },
    );
    expect(queue.uploads()[0]).toMatchObject({
      state: 'failed',
      message: 'This upload would exceed your storage quota of 1 MB.',
    });
    queue.retry(queue.uploads()[0]!.id);
    expect(queue.uploads()[0]).toMatchObject({ state: 'uploading', message: null, progress: 0 });
    http.expectOne('/api/documents/upload').flush({ documents: [] }, { status: 202, statusText: 'Accepted' });
    expect(queue.uploads()[0]!.state).toBe('done');

    second!.error(new ProgressEvent('error'), { status: 0, statusText: '' });
    expect(queue.uploads()[1]!.message).toBe('The server cannot be reached. Check your connection.');
    queue.dismiss(queue.uploads()[1]!.id);
    expect(states()).toEqual([['a.txt', 'done']]);
  });

  it(`sends ${PARALLEL_UPLOADS} files at a time and the next when one ends; a cancelled one is aborted`, () => {
    queue.add(
      BOT,
      ['1', '2', '3', '4', '5'].map((n) => text(`${n}.txt`)),
    );
    expect(states().map(([, state]) => state)).toEqual([
      'uploading',
      'uploading',
      'uploading',
      'queued',
      'queued',
    ]);
    const requests = pending();
    expect(requests.length).toBe(PARALLEL_UPLOADS);
    queue.dismiss(queue.uploads()[0]!.id);
    expect(requests[0]!.cancelled).toBe(true);
    expect(queue.uploads()[2]!.state).toBe('uploading');
    requests[1]!.flush({ documents: [] }, { status: 202, statusText: 'Accepted' });
    expect(queue.uploads().map((upload) => upload.state)).toEqual([
      'done',
      'uploading',
      'uploading',
      'uploading',
    ]);
    expect(queue.busy()).toBe(true);
    for (const request of [requests[2]!, ...pending()]) {
      request.flush({ documents: [] }, { status: 202, statusText: 'Accepted' });
    }
    expect(queue.busy()).toBe(false);
  });
});
