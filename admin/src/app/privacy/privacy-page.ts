import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RetentionCard } from './retention-card';
import { VisitorRequests } from './visitor-requests';

/** `/settings/privacy`: how long conversations are kept, and visitors' access and erasure requests. */
@Component({
  selector: 'app-privacy-page',
  imports: [RetentionCard, VisitorRequests],
  template: `
    <section class="page">
      <header class="page-header">
        <div>
          <h1>Privacy</h1>
          <p>How long conversations are kept, and your visitors' requests to see or erase their data.</p>
        </div>
      </header>
      <app-retention-card />
      <app-visitor-requests />
    </section>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PrivacyPage {}
