import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ChatMessage } from '@chatbot/shared';
import { authorOf } from './conversation-labels';

/**
 * A conversation's messages as staff read them: the visitor on the left, the bot and agents on the right,
 * notices in the middle; the sources under each bot answer, and answers that failed or found nothing in
 * the documents marked as such. A message still streaming shows a caret.
 */
@Component({
  selector: 'app-transcript-view',
  imports: [DatePipe],
  templateUrl: './transcript-view.html',
  styleUrl: './transcript-view.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TranscriptView {
  readonly messages = input.required<ChatMessage[]>();
  /** Announce new messages to screen readers (the live inbox), or not (a transcript read afterwards). */
  readonly live = input(false);
  protected readonly authorOf = authorOf;
}
