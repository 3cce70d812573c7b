import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { downloadFile } from '../core/api/download-file';
import { inject, Injectable } from '@angular/core';
import type {
  AnalyticsSummary,
  AnalyticsTimeseries,
  LeadsByStatusResponse,
  UnansweredQuestionsResponse,
} from '@chatbot/shared';

/** The query string of a request (see `rangeParams`), or undefined for no request (a role that may not). */
type Params = () => string | undefined;

const at = (path: string, params: Params) => () => {
  const query = params();
  return query === undefined ? undefined : `/api/analytics/${path}?${query}`;
};

/**
 * `/api/analytics` (owners and admins). The reads are resources that follow their query string; call them
 * in an injection context (a component's fields).
 */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);

  summary(params: Params): HttpResourceRef<AnalyticsSummary | undefined> {
    return httpResource<AnalyticsSummary>(at('summary', params));
  }

  timeseries(params: Params): HttpResourceRef<AnalyticsTimeseries | undefined> {
    return httpResource<AnalyticsTimeseries>(at('timeseries', params));
  }

  leadsByStatus(params: Params): HttpResourceRef<LeadsByStatusResponse | undefined> {
    return httpResource<LeadsByStatusResponse>(at('leads', params));
  }

  unanswered(params: Params): HttpResourceRef<UnansweredQuestionsResponse | undefined> {
    return httpResource<UnansweredQuestionsResponse>(at('unanswered', params));
  }

  /**
   * Downloads the daily rows of the range as CSV. Fetched with the session's token (a plain link would
   * carry none), then handed to the browser as a file named as the server names it.
   */
  exportCsv(params: string): Promise<void> {
    return downloadFile(this.http, `/api/analytics/export.csv?${params}`, 'analytics.csv');
  }
}
