import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { ACCEPT_ATTRIBUTE, formatBytes, FORMAT_NAMES, MAX_SIZE_TEXT } from './document-formats';
import { UploadQueue, type Upload } from './upload-queue';

/** The drop zone and file picker of a bot's documents, with each upload's progress below. */
@Component({
  selector: 'app-upload-zone',
  templateUrl: './upload-zone.html',
  styleUrl: './upload-zone.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    // A file dropped beside the zone would otherwise make the browser open it and leave the dashboard.
    '(document:dragover)': 'keepFilesOnPage($event)',
    '(document:drop)': 'keepFilesOnPage($event)',
  },
})
export class UploadZone {
  protected readonly queue = inject(UploadQueue);
  readonly botId = input.required<string>();

  protected readonly accept = ACCEPT_ATTRIBUTE;
  protected readonly formats = FORMAT_NAMES;
  protected readonly maxSize = MAX_SIZE_TEXT;
  protected readonly size = formatBytes;
  /** Drag events fire for every child entered and left; the zone is "over" while any is. */
  private depth = 0;
  protected readonly over = signal(false);

  protected picked(event: Event): void {
    const picker = event.target as HTMLInputElement;
    this.queue.add(this.botId(), picker.files ?? []);
    // The same file can be picked again (after a failure, say) only if the picker forgets it.
    picker.value = '';
  }

  protected dragEnter(event: DragEvent): void {
    if (!hasFiles(event)) return;
    event.preventDefault();
    this.depth++;
    this.over.set(true);
  }

  protected dragOver(event: DragEvent): void {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
  }

  protected dragLeave(): void {
    this.depth = Math.max(0, this.depth - 1);
    if (!this.depth) this.over.set(false);
  }

  protected dropped(event: DragEvent): void {
    event.preventDefault();
    this.depth = 0;
    this.over.set(false);
    this.queue.add(this.botId(), event.dataTransfer?.files ?? []);
  }

  protected keepFilesOnPage(event: DragEvent): void {
    if (hasFiles(event)) event.preventDefault();
  }

  protected stateText(upload: Upload): string {
    switch (upload.state) {
      case 'queued':
        return 'Waiting…';
      case 'uploading':
        return upload.progress < 100 ? `${upload.progress}%` : 'Checking…';
      case 'done':
        return 'Uploaded, indexing';
      case 'failed':
        return 'Upload failed';
      case 'refused':
        return 'Not uploaded';
    }
  }
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}
