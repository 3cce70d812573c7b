/** Background jobs: names and payloads, typed once for whoever enqueues (server) and processes (worker). */
export interface JobPayloads {
  /** Extract, chunk, embed and index one document (a fresh upload, a URL import or a re-index). */
  'document.index': { tenantId: string; documentId: string };
  /** Find more pages of a site (sitemap or links) and queue each as a document of the bot. */
  'site.crawl': {
    tenantId: string;
    botId: string;
    url: string;
    mode: 'sitemap' | 'links';
    maxPages: number;
    depth: number;
  };
  /** Send one webhook delivery (an event to one endpoint); a failure schedules the next attempt itself. */
  'webhook.deliver': { tenantId: string; deliveryId: string };
  /** Write the summary and score of a lead from its conversation. */
  'lead.summarize': { tenantId: string; leadId: string };
  /** Delete, for every tenant with a retention setting, the conversations older than it (daily). */
  'retention.sweep': { day: string };
}

export type JobName = keyof JobPayloads;

/** Every job name, for code that must list the queues (the operators' queue dashboard). */
export const JobNames = [
  'document.index',
  'site.crawl',
  'webhook.deliver',
  'lead.summarize',
  'retention.sweep',
] as const satisfies readonly JobName[];

/** The plan's retry policy: three attempts, backing off exponentially from one second. */
export const JobRetryPolicy = { attempts: 3, backoffMs: 1000 } as const;
