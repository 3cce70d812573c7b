import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  BotsResponse,
  LeadDetail,
  LeadEventView,
  LeadFilters,
  LeadsResponse,
  LeadView,
  ListLeadsQuery,
  UpdateLeadInput,
  UsersResponse,
} from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';
import { downloadFile } from '../core/api/download-file';

/** Query parameters without the filters left empty. */
function params(query: Partial<ListLeadsQuery>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string | number>;
}

/** `/api/leads` and what the lead pages read beside it (the tenant's bots and team). */
@Injectable({ providedIn: 'root' })
export class LeadsApi {
  private readonly http = inject(HttpClient);

  /** A page of leads, fetched again whenever `query` changes. Call in an injection context. */
  list(query: () => ListLeadsQuery) {
    return httpResource<LeadsResponse>(() => ({ url: '/api/leads', params: params(query()) }));
  }

  /** One lead with its transcript and history. Call in an injection context. */
  detail(id: () => string | undefined) {
    return httpResource<LeadDetail>(() => {
      const leadId = id();
      return leadId ? `/api/leads/${leadId}` : undefined;
    });
  }

  /** The tenant's bots, to name them and filter by them (agents may read them too). */
  bots() {
    return httpResource<BotsResponse>(() => ({ url: '/api/chatbots', params: { limit: 100 } }));
  }

  /** The tenant's users, when `allowed` (only owners and admins may list them). */
  users(allowed: () => boolean) {
    return httpResource<UsersResponse>(() => (allowed() ? '/api/users' : undefined));
  }

  get(id: string): Promise<LeadDetail> {
    return firstValueFrom(this.http.get<LeadDetail>(`/api/leads/${id}`));
  }

  update(id: string, input: UpdateLeadInput): Promise<LeadView> {
    return firstValueFrom(this.http.patch<LeadView>(`/api/leads/${id}`, input));
  }

  addNote(id: string, text: string): Promise<LeadEventView> {
    return firstValueFrom(this.http.post<LeadEventView>(`/api/leads/${id}/notes`, { text }));
  }

  /** Downloads, as a CSV file, every lead the filters select. */
  exportCsv(filters: LeadFilters): Promise<void> {
    return downloadFile(this.http, '/api/leads/export.csv', 'leads.csv', params(filters));
  }
}
