import { httpResource } from '@angular/common/http';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { conversationDurationMs, formatDuration, type ConversationDetail } from '@chatbot/shared';
import { apiProblem } from '../core/api/api-error';
import { Session } from '../core/auth/session';
import { Confirmer } from '../core/ui/confirmer';
import { Toaster } from '../core/ui/toaster';
import { visitorName } from './conversation-labels';
import { ConversationsApi } from './conversations-api';
import { TranscriptView } from './transcript-view';
import { VisitorPanel } from './visitor-panel';

/** `/conversations/:id`: the whole transcript, the visitor panel, the PDF export and deletion (GDPR). */
@Component({
  selector: 'app-conversation-detail-page',
  imports: [RouterLink, DatePipe, TranscriptView, VisitorPanel],
  templateUrl: './conversation-detail-page.html',
  styleUrl: './conversation-detail-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConversationDetailPage {
  private readonly api = inject(ConversationsApi);
  private readonly router = inject(Router);
  private readonly toaster = inject(Toaster);
  private readonly confirmer = inject(Confirmer);
  protected readonly session = inject(Session);

  /** The route's `:id`. */
  readonly id = input.required<string>();

  protected readonly detail = httpResource<ConversationDetail>(() => `/api/conversations/${this.id()}`);
  protected readonly problem = computed(() => {
    const error = this.detail.error();
    if (!error) return null;
    const problem = apiProblem(error);
    return problem.status === 404 || problem.status === 400
      ? 'This conversation does not exist, or it was deleted.'
      : problem.message;
  });
  protected readonly title = computed(() =>
    this.detail.hasValue() ? visitorName(this.detail.value().conversation) : 'Conversation',
  );
  protected readonly duration = computed(() =>
    this.detail.hasValue() ? formatDuration(conversationDurationMs(this.detail.value().conversation)) : '',
  );
  protected readonly exporting = signal(false);
  protected readonly deleting = signal(false);

  protected async exportPdf(): Promise<void> {
    this.exporting.set(true);
    try {
      await this.api.downloadPdf(this.id());
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.exporting.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const confirmed = await this.confirmer.ask({
      title: 'Delete this conversation?',
      message:
        "Its transcript, the visitor's details and their lead are deleted for good, as a GDPR erasure request requires. This cannot be undone.",
      action: 'Delete conversation',
      danger: true,
    });
    if (!confirmed) return;
    this.deleting.set(true);
    try {
      await this.api.remove(this.id());
      this.toaster.success('The conversation was deleted.');
      await this.router.navigateByUrl('/conversations');
    } catch (error) {
      this.toaster.error(error);
    } finally {
      this.deleting.set(false);
    }
  }
}
