import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  BotStatus,
  BotView,
  BotsResponse,
  CreateBotInput,
  ListBotsQuery,
  PreviewConversationResponse,
  UpdateBotInput,
} from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';

const BASE = '/api/chatbots';

/** The `/api/chatbots` endpoints, as promises. */
@Injectable({ providedIn: 'root' })
export class BotsApi {
  private readonly http = inject(HttpClient);

  /** One page of the tenant's bots; empty filters are left out of the query. */
  list(query: Partial<ListBotsQuery>): Promise<BotsResponse> {
    const params: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params[key] = value;
    }
    return firstValueFrom(this.http.get<BotsResponse>(BASE, { params }));
  }

  get(id: string): Promise<BotView> {
    return firstValueFrom(this.http.get<BotView>(`${BASE}/${id}`));
  }

  create(input: CreateBotInput): Promise<BotView> {
    return firstValueFrom(this.http.post<BotView>(BASE, input));
  }

  update(id: string, changes: UpdateBotInput): Promise<BotView> {
    return firstValueFrom(this.http.patch<BotView>(`${BASE}/${id}`, changes));
  }

  setStatus(id: string, status: BotStatus): Promise<BotView> {
    return this.update(id, { status });
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`${BASE}/${id}`));
  }

  /** Replaces the bot's avatar with `file` (checked by the server by its bytes, not its name). */
  uploadAvatar(id: string, file: File): Promise<BotView> {
    const body = new FormData();
    body.append('file', file, file.name);
    return firstValueFrom(this.http.post<BotView>(`${BASE}/${id}/avatar`, body));
  }

  /** A conversation for the dashboard's live preview, which works while the bot is still a draft. */
  startPreview(id: string): Promise<PreviewConversationResponse> {
    return firstValueFrom(
      this.http.post<PreviewConversationResponse>(`${BASE}/${id}/preview-conversation`, {}),
    );
  }
}
