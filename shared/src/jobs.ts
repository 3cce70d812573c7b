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
}

export type JobName = keyof JobPayloads;

/** Every job name, for code that must list the queues (the operators' queue dashboard). */
export const JobNames = ['document.index', 'site.crawl'] as const satisfies readonly JobName[];

/** The plan's retry policy: three attempts, backing off exponentially from one second. */
export const JobRetryPolicy = { attempts: 3, backoffMs: 1000 } as const;
