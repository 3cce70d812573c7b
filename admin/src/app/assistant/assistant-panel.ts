import { ChangeDetectionStrategy, Component, output } from '@angular/core';

@Component({
  selector: 'app-assistant-panel',
  template: `<aside><button type="button" (click)="closed.emit()">Close</button></aside>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AssistantPanel {
  readonly closed = output<void>();
}
