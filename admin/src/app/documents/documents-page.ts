import { HttpErrorResponse, httpResource } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { BotView } from '@chatbot/shared';
import { AdminSocket } from '../core/socket/admin-socket';
import { onReconnect } from '../core/socket/on-reconnect';
import { DocumentList } from './document-list';
import { DocumentsTable } from './documents-table';
import { UploadQueue } from './upload-queue';
import { UploadZone } from './upload-zone';
import { UrlImport } from './url-import';

/** /bots/:id/documents: what a bot learns from, uploaded or imported, with indexing followed live. */
@Component({
  selector: 'app-documents-page',
  imports: [RouterLink, UploadZone, UrlImport, DocumentsTable],
  providers: [DocumentList, UploadQueue],
  templateUrl: './documents-page.html',
  styleUrl: './documents-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DocumentsPage {
  /** The bot's id, from the route. */
  readonly id = input.required<string>();
  private readonly list = inject(DocumentList);
  private readonly socket = inject(AdminSocket);

  protected readonly bot = httpResource<BotView>(() => `/api/chatbots/${this.id()}`);
  protected readonly botName = computed(() => (this.bot.hasValue() ? this.bot.value().name : ''));
  protected readonly missing = computed(() => {
    const error = this.bot.error();
    return error instanceof HttpErrorResponse && (error.status === 404 || error.status === 400);
  });

  constructor() {
    effect(() => this.list.botId.set(this.id()));
    inject(UploadQueue)
      .uploaded.pipe(takeUntilDestroyed())
      .subscribe((documents) => this.list.added(documents));
    this.socket.on('document:status', (event) => this.list.applyStatus(event), inject(DestroyRef));
    onReconnect(() => void this.list.reload());
  }
}
