import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { ShownOnce } from '../core/ui/shown-once';

/**
 * A signing secret, shown the one time the API returns it (creation or rotation), with how a receiver
 * checks the signature (docs/api.md, "Verifying a delivery").
 */
@Component({
  selector: 'app-webhook-secret',
  imports: [ShownOnce],
  template: `
    <app-shown-once
      [heading]="heading()"
      label="Signing secret"
      [value]="secret()"
      doneLabel="I have saved it"
      (dismissed)="dismissed.emit()"
    >
      <p warning>
        Copy it now and keep it where your receiver can read it: it is shown only this once.
        @if (rotated()) {
          The old secret no longer works.
        }
      </p>
      <p class="how">
        Every delivery carries <code>X-Webhook-Timestamp</code> and <code>X-Webhook-Signature</code> headers.
        To verify one, compute the HMAC-SHA256 of <code>&lt;timestamp&gt;.&lt;raw body&gt;</code> with this
        secret, compare <code>sha256=&lt;hex digest&gt;</code> with the signature in constant time, and refuse
        timestamps older than five minutes.
      </p>
    </app-shown-once>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookSecret {
  readonly secret = input.required<string>();
  readonly url = input.required<string>();
  readonly rotated = input(false);
  readonly dismissed = output<void>();
  protected readonly heading = computed(
    () => `${this.rotated() ? 'New signing secret' : 'Signing secret'} for ${this.url()}`,
  );
}
