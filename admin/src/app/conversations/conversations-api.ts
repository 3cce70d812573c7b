import { HttpClient, HttpParams } from '@angular/common/http';
import { downloadFile } from '../core/api/download-file';
import { inject, Injectable } from '@angular/core';
import type { ConversationDeletion, ConversationsResponse } from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';

/** Query parameters of `GET /api/conversations`, as strings. */
export type ConversationsQuery = Record<string, string>;

/** The conversations REST API for what is not a live read (those use httpResource and the socket). */
@Injectable({ providedIn: 'root' })
export class ConversationsApi {
  private readonly http = inject(HttpClient);

  list(query: ConversationsQuery): Promise<ConversationsResponse> {
    return firstValueFrom(
      this.http.get<ConversationsResponse>('/api/conversations', {
        params: new HttpParams({ fromObject: query }),
      }),
    );
  }

  remove(id: string): Promise<ConversationDeletion> {
    return firstValueFrom(this.http.delete<ConversationDeletion>(`/api/conversations/${id}`));
  }

  /**
   * Downloads the conversation's PDF. A plain link would not carry the access token, so the file comes
   * through HttpClient (with the interceptor's header) and is saved from memory.
   */
  downloadPdf(id: string): Promise<void> {
    return downloadFile(this.http, `/api/conversations/${id}/export.pdf`, `conversation-${id}.pdf`);
  }
}
