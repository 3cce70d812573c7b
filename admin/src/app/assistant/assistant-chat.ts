import {
  afterNextRender,
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { AssistantLimits, type AssistantToolCall } from '@chatbot/shared';
import { AssistantStore } from './assistant-store';
import type { AssistantTurn } from './assistant-turns';
import { figureLines, humanise } from './tool-figures';

/** Questions offered to start with: one per kind of thing the assistant knows. */
export const suggestedQuestions = [
  'How many leads this month?',
  'How many conversations today?',
  'Which questions went unanswered?',
  'How do I upload a document?',
];

/**
 * The conversation with the assistant inside its panel: questions, answers streaming in with their sources
 * and the figures looked up, and the question box, which takes the focus when it appears.
 */
@Component({
  selector: 'app-assistant-chat',
  templateUrl: './assistant-chat.html',
  styleUrl: './assistant-chat.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssistantChat {
  protected readonly store = inject(AssistantStore);
  protected readonly suggestions = suggestedQuestions;
  protected readonly maxLength = AssistantLimits.questionMaxLength;
  protected readonly draft = signal('');
  protected readonly figureLines = figureLines;

  private readonly input = viewChild.required<ElementRef<HTMLTextAreaElement>>('question');
  private readonly log = viewChild.required<ElementRef<HTMLElement>>('log');

  constructor() {
    afterNextRender(() => this.input().nativeElement.focus());
    // The newest words in view as they stream in.
    afterRenderEffect({
      write: () => {
        this.store.turns();
        const log = this.log().nativeElement;
        log.scrollTop = log.scrollHeight;
      },
    });
  }

  protected send(event?: Event): void {
    event?.preventDefault();
    const question = this.draft().trim();
    if (!question) return;
    this.draft.set('');
    // The binding would not write '' if no render happened since it last wrote '' (typed, then Enter).
    this.input().nativeElement.value = '';
    void this.store.ask(question);
  }

  protected ask(question: string): void {
    void this.store.ask(question);
    this.input().nativeElement.focus();
  }

  /** Enter sends, Shift+Enter starts a new line. */
  protected enter(event: Event): void {
    if ((event as KeyboardEvent).shiftKey) return;
    this.send(event);
  }

  protected typed(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
  }

  protected waiting(turn: AssistantTurn): boolean {
    return (turn.state === 'sending' || turn.state === 'streaming') && !turn.content;
  }

  protected toolName(call: AssistantToolCall): string {
    return humanise(call.name);
  }
}
