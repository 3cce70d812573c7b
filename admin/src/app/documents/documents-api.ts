import { HttpClient, type HttpEvent } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { DocumentsResponse, DocumentView, ImportUrlInput, ListDocumentsQuery } from '@chatbot/shared';
import { firstValueFrom, type Observable } from 'rxjs';

/** `/api/documents`: a bot's documents, their uploads and imports. */
@Injectable({ providedIn: 'root' })
export class DocumentsApi {
  private readonly http = inject(HttpClient);

  list(query: ListDocumentsQuery): Promise<DocumentsResponse> {
    const params: Record<string, string | number> = {
      botId: query.botId,
      limit: query.limit,
      offset: query.offset,
    };
    if (query.status) params['status'] = query.status;
    if (query.search) params['search'] = query.search;
    return firstValueFrom(this.http.get<DocumentsResponse>('/api/documents', { params }));
  }

  get(id: string): Promise<DocumentView> {
    return firstValueFrom(this.http.get<DocumentView>(`/api/documents/${id}`));
  }

  /**
   * One file in its own request, so each has its own progress; the events carry the upload's progress and
   * then the response. Unsubscribing aborts the request.
   */
  upload(botId: string, file: File): Observable<HttpEvent<DocumentsResponse>> {
    const body = new FormData();
    body.append('botId', botId);
    body.append('file', file, file.name);
    return this.http.post<DocumentsResponse>('/api/documents/upload', body, {
      reportProgress: true,
      observe: 'events',
    });
  }

  importUrl(input: ImportUrlInput): Promise<DocumentView> {
    return firstValueFrom(this.http.post<DocumentView>('/api/documents/url', input));
  }

  reindex(id: string): Promise<DocumentView> {
    return firstValueFrom(this.http.post<DocumentView>(`/api/documents/${id}/reindex`, null));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/documents/${id}`));
  }
}
