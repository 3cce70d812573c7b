import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  BotsResponse,
  LeadAssigneesResponse,
  LeadDetail,
  LeadEventView,
  LeadFilters,
  LeadsResponse,
  LeadView,
  ListLeadsQuery,
  UpdateLeadInput,
} from '@chatbot/shared';
import { firstValueFrom } from 'rxjs';
import { downloadFile } from '../core/api/download-file';

/** Query parameters without the filters left empty. */
function params(query: Partial<ListLeadsQuery>): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string | number>;
}

/** `/api/leads` and what the lead pages read beside it (the tenant's bots). */
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

  /** The team a lead can be given to, by name (every role may read it). Call in an injection context. */
  assignees() {
    return httpResource<LeadAssigneesResponse>(() => '/api/leads/assignees');
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
