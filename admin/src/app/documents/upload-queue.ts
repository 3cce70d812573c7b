import { HttpEventType } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { DocumentView } from '@chatbot/shared';
import { Subject, type Subscription } from 'rxjs';
import { apiProblem } from '../core/api/api-error';
import { DocumentsApi } from './documents-api';
import { refusalOf } from './document-formats';

export type UploadState = 'refused' | 'queued' | 'uploading' | 'failed' | 'done';

/** One file on its way to the server. */
export interface Upload {
  readonly id: number;
  readonly botId: string;
  readonly file: File;
  readonly state: UploadState;
  /** 0-100, of the bytes sent. */
  readonly progress: number;
  /** Why it was refused or failed: the dashboard's words before sending, the server's after. */
  readonly message: string | null;
}

/** Files sent at once; the rest wait their turn, so one big drop does not starve every request. */
export const PARALLEL_UPLOADS = 3;
/** How long a finished upload stays in the list, so the user sees it went through. */
export const DONE_SHOWN_MS = 4000;

/**
 * The page's uploads: checks each file before sending it, sends each in its own request with its own
 * progress, keeps failures (with the server's message) until they are retried or dismissed, and tells
 * the page about the documents the server accepted.
 */
@Injectable()
export class UploadQueue {
  private readonly api = inject(DocumentsApi);
  private readonly requests = new Map<number, Subscription>();
  private readonly accepted = new Subject<DocumentView[]>();
  private nextId = 1;

  readonly uploads = signal<readonly Upload[]>([]);
  readonly busy = computed(() =>
    this.uploads().some((upload) => upload.state === 'queued' || upload.state === 'uploading'),
  );
  /** The documents the server accepted, as it answered. */
  readonly uploaded = this.accepted.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const request of this.requests.values()) request.unsubscribe();
      this.accepted.complete();
    });
  }

  /** Queues the files that may be sent; the others are listed as refused, with the reason. */
  add(botId: string, files: Iterable<File>): void {
    const added = [...files].map((file): Upload => {
      const refusal = refusalOf(file);
      return {
        id: this.nextId++,
        botId,
        file,
        state: refusal ? 'refused' : 'queued',
        progress: 0,
        message: refusal,
      };
    });
    this.uploads.update((uploads) => [...uploads, ...added]);
    this.pump();
  }

  /** Sends a failed upload again. */
  retry(id: number): void {
    if (this.uploads().find((upload) => upload.id === id)?.state !== 'failed') return;
    this.patch(id, { state: 'queued', progress: 0, message: null });
    this.pump();
  }

  /** Removes an upload from the list, cancelling it if it is still being sent. */
  dismiss(id: number): void {
    this.requests.get(id)?.unsubscribe();
    this.requests.delete(id);
    this.uploads.update((uploads) => uploads.filter((upload) => upload.id !== id));
    this.pump();
  }

  private pump(): void {
    while (this.requests.size < PARALLEL_UPLOADS) {
      const next = this.uploads().find((upload) => upload.state === 'queued');
      if (!next) return;
      this.send(next);
    }
  }

  private send(upload: Upload): void {
    this.patch(upload.id, { state: 'uploading' });
    const finish = () => {
      this.requests.delete(upload.id);
      this.pump();
    };
    const request = this.api.upload(upload.botId, upload.file).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress && event.total) {
          this.patch(upload.id, { progress: Math.round((100 * event.loaded) / event.total) });
        } else if (event.type === HttpEventType.Response) {
          this.patch(upload.id, { state: 'done', progress: 100 });
          if (event.body) this.accepted.next(event.body.documents);
          setTimeout(() => this.forget(upload.id), DONE_SHOWN_MS);
        }
      },
      error: (error: unknown) => {
        this.patch(upload.id, { state: 'failed', message: apiProblem(error).message });
        finish();
      },
      complete: finish,
    });
    // A request that already finished (synchronously) must not be counted as running.
    if (!request.closed) this.requests.set(upload.id, request);
  }

  /** Drops a finished upload, unless it was retried in the meantime (only done ones go). */
  private forget(id: number): void {
    this.uploads.update((uploads) => uploads.filter((upload) => upload.id !== id || upload.state !== 'done'));
  }

  private patch(id: number, changes: Partial<Upload>): void {
    this.uploads.update((uploads) =>
      uploads.map((upload) => (upload.id === id ? { ...upload, ...changes } : upload)),
    );
  }
}
