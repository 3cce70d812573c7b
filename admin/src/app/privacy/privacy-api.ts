import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { RetentionSettings, VisitorErasure } from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';
import { downloadFile } from '../core/api/download-file';

/** `/api/privacy` (owners and admins; only an owner changes the retention). */
@Injectable({ providedIn: 'root' })
export class PrivacyApi {
  private readonly http = inject(HttpClient);

  /** How long conversations are kept. Call in an injection context. */
  retention() {
    return httpResource<RetentionSettings>(() => '/api/privacy/retention');
  }

  updateRetention(settings: RetentionSettings): Promise<RetentionSettings> {
    return firstValueFrom(this.http.patch<RetentionSettings>('/api/privacy/retention', settings));
  }

  /** Downloads everything stored about the visitor who left `email`, as JSON. */
  exportVisitor(email: string): Promise<void> {
    const name = `visitor-data-${email.replace(/[^a-z0-9.@_-]+/gi, '_')}.json`;
    return downloadFile(this.http, '/api/privacy/export', name, { email });
  }

  /** Erases the visitor who left `email`; answers with what was deleted. */
  eraseVisitor(email: string): Promise<VisitorErasure> {
    return firstValueFrom(this.http.post<VisitorErasure>('/api/privacy/erase', { email }));
  }
}
