import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { Toaster } from '../core/ui/toaster';

/**
 * A signing secret, shown the one time the API returns it (creation or rotation), with a copy button and
 * how a receiver checks the signature (docs/api.md, "Verifying a delivery").
 */
@Component({
  selector: 'app-webhook-secret',
  template: `
    <section class="card secret" role="region" aria-labelledby="secret-title">
      <h2 id="secret-title">{{ rotated() ? 'New signing secret' : 'Signing secret' }} for {{ url() }}</h2>
      <p class="warning">
        Copy it now and keep it where your receiver can read it: it is shown only this once.
        @if (rotated()) {
          The old secret no longer works.
        }
      </p>
      <div class="value">
        <label class="visually-hidden" for="webhook-secret">Signing secret</label>
        <input id="webhook-secret" readonly [value]="secret()" (focus)="$any($event.target).select()" />
        <button type="button" class="button" (click)="copy()">{{ copied() ? 'Copied' : 'Copy' }}</button>
      </div>
      <p class="how">
        Every delivery carries <code>X-Webhook-Timestamp</code> and <code>X-Webhook-Signature</code> headers.
        To verify one, compute the HMAC-SHA256 of <code>&lt;timestamp&gt;.&lt;raw body&gt;</code> with this
        secret, compare <code>sha256=&lt;hex digest&gt;</code> with the signature in constant time, and refuse
        timestamps older than five minutes.
      </p>
      <button type="button" class="button primary" (click)="dismissed.emit()">I have saved it</button>
    </section>
  `,
  styles: `
    .secret {
      display: grid;
      gap: 0.75rem;
      border-color: #fcd34d;
      background: #fffbeb;
      justify-items: start;
    }
    h2 {
      overflow-wrap: anywhere;
    }
    p {
      margin: 0;
    }
    .warning {
      font-weight: 550;
    }
    .value {
      display: flex;
      gap: 0.5rem;
      width: 100%;
      max-width: 44rem;
    }
    input {
      flex: 1;
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 0.9rem;
      /* Room below the baseline: the secret's underscore must show. */
      line-height: 1.6;
    }
    .how {
      color: var(--muted);
      font-size: 0.9rem;
      max-width: 60rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WebhookSecret {
  private readonly toaster = inject(Toaster);
  readonly secret = input.required<string>();
  readonly url = input.required<string>();
  readonly rotated = input(false);
  readonly dismissed = output<void>();
  protected readonly copied = signal(false);

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.secret());
      this.copied.set(true);
    } catch {
      this.toaster.error('The browser did not allow copying: select the secret and copy it yourself.');
    }
  }
}
