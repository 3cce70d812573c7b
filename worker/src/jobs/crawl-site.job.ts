import type { MikroORM } from '@mikro-orm/core';
import type { JobPayloads } from '@chatbot/shared';
import { parseDocument } from '../extraction/html-sections';
import {
  Chatbot,
  Document,
  enqueueDocumentIndex,
  runInTenant,
  safeFetch,
  type JobQueue,
  type Logger,
} from '@chatbot/shared/platform';

export interface CrawlSiteDeps {
  orm: MikroORM;
  queue: JobQueue;
  logger: Logger;
  fetchLimits: { maxBytes: number; timeoutMs: number; allowAddress?: (address: string) => boolean };
}

type Crawl = JobPayloads['site.crawl'];

/**
 * The `site.crawl` job: finds the other pages of the site an imported URL belongs to, through its sitemap or
 * by following links, and queues each as a document of the bot (existing ones are refreshed, not doubled).
 * Only pages of the same origin are taken, and every fetch goes through the SSRF guard.
 */
export function crawlSiteJob(deps: CrawlSiteDeps) {
  return async (crawl: Crawl): Promise<void> =>
    runInTenant(crawl.tenantId, async () => {
      const fetchText = async (url: string) => (await safeFetch(url, deps.fetchLimits)).body.toString('utf8');
      const found =
        crawl.mode === 'sitemap' ? await fromSitemap(crawl, fetchText) : await fromLinks(crawl, fetchText);
      const pages = found.filter((url) => url !== crawl.url).slice(0, crawl.maxPages - 1);

      const em = deps.orm.em.fork();
      const bot = await em.findOne(Chatbot, crawl.botId);
      if (!bot) return; // deleted meanwhile
      const existing = await em.find(Document, { bot: bot.id, sourceUrl: { $in: pages } });
      const documents = pages.map(
        (url) =>
          existing.find((document) => document.sourceUrl === url) ??
          em.create(Document, {
            bot,
            name: url.slice(0, 255),
            mimeType: 'text/html',
            sizeBytes: 0,
            storageKey: null,
            sourceUrl: url,
          }),
      );
      for (const document of documents)
        Object.assign(document, { status: 'pending', progress: 0, error: null });
      await em.flush();
      for (const document of documents) await enqueueDocumentIndex(deps.queue, document);
      deps.logger.info(
        { botId: bot.id, url: crawl.url, mode: crawl.mode, pages: documents.length },
        'site crawled',
      );
    });
}

type FetchText = (url: string) => Promise<string>;

/** `<loc>` entries of the site's sitemap (the URL itself when it is one), one level of sitemap index deep. */
async function fromSitemap(crawl: Crawl, fetchText: FetchText): Promise<string[]> {
  const start = new URL(crawl.url);
  const sitemapUrl = /\.xml$/i.test(start.pathname)
    ? start.toString()
    : new URL('/sitemap.xml', start).toString();
  const xml = await fetchText(sitemapUrl);
  let locations = locs(xml, start.origin);
  if (/<sitemapindex/i.test(xml)) {
    const nested = await Promise.all(locations.slice(0, 5).map((url) => fetchText(url).catch(() => '')));
    locations = nested.flatMap((child) => locs(child, start.origin));
  }
  return unique(locations).slice(0, crawl.maxPages);
}

function locs(xml: string, origin: string): string[] {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)]
    .map((match) => sameOrigin(decodeXml(match[1]!), origin))
    .filter((url): url is string => url !== null);
}

/** Breadth-first over same-origin links, `depth` clicks from the start, until `maxPages` are known. */
async function fromLinks(crawl: Crawl, fetchText: FetchText): Promise<string[]> {
  const origin = new URL(crawl.url).origin;
  const seen = [normalise(crawl.url)];
  let frontier = [seen[0]!];
  for (let level = 0; level < crawl.depth && frontier.length && seen.length < crawl.maxPages; level++) {
    const next: string[] = [];
    for (const page of frontier) {
      const html = await fetchText(page).catch(() => '');
      const anchors = parseDocument(html).querySelectorAll('a[href]');
      for (const anchor of anchors) {
        const url = sameOrigin(anchor.getAttribute('href') ?? '', origin, page);
        if (url && !seen.includes(url) && seen.length < crawl.maxPages) {
          seen.push(url);
          next.push(url);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/** The absolute URL without its fragment when it is http(s) on `origin`; null otherwise. */
function sameOrigin(href: string, origin: string, base = origin): string | null {
  try {
    const url = new URL(href, base);
    if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return null;
    return normalise(url.toString());
  } catch {
    return null;
  }
}

function normalise(url: string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  return parsed.toString();
}

function decodeXml(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
}

function unique(urls: string[]): string[] {
  return [...new Set(urls)];
}
