import { ChangeDetectionStrategy, Component, DestroyRef, inject, output } from '@angular/core';
import { AssistantChat } from './assistant-chat';
import { AssistantStore } from './assistant-store';

/**
 * The assistant's side panel (the shell shows it beside every page, full width on a phone). Its
 * conversation is loaded when it first opens (with the contract's schemas, which the first page does not
 * need) and kept by the store while it is closed. Escape closes it, and the focus goes back where it was.
 */
@Component({
  selector: 'app-assistant-panel',
  imports: [AssistantChat],
  templateUrl: './assistant-panel.html',
  styleUrl: './assistant-panel.css',
  host: { '(keydown.escape)': 'close()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssistantPanel {
  readonly closed = output<void>();
  protected readonly store = inject(AssistantStore);

  constructor() {
    const before = document.activeElement as HTMLElement | null;
    inject(DestroyRef).onDestroy(() => before?.focus());
  }

  protected close(): void {
    this.closed.emit();
  }
}
