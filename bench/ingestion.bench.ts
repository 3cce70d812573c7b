/**
 * Ingestion throughput of the platform's indexing path, as the document.index job runs it but without the
 * queue, database or HTTP: extractDocument → chunkSections (product defaults) → OfflineEmbedder in batches
 * of 100 → VectorStore.upsert into a fresh bot collection on an embedded Chroma. The corpus is generated:
 * one PDF of --pages pages and --docs web pages, alternately HTML and Markdown.
 *
 * Baseline in the same run: the raw chromadb client adding the same batches (same chunks, embeddings and
 * metadata) to a collection of its own. Each batch goes to both, in alternating order, so both see the same
 * machine load and the same collection sizes. Machines are shared and noisy: read the ratio, not the
 * absolute numbers.
 *
 *   npm run bench:ingest [-- --pages 200 --docs 40]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Collection } from 'chromadb';
import { OfflineEmbedder } from '../shared/src/platform/ai';
import { chunkId, type ChunkRecord, type VectorStore } from '../shared/src/platform/vector-store';
import { makePdf } from '../server/src/testing/fixtures';
import { chunkSections, DEFAULT_CHUNK_OPTIONS } from '../worker/src/chunking';
import { extractDocument } from '../worker/src/extraction';
import { rawCollection, rawRecordSet, withEmbeddedChroma } from './chroma';
import { Prose } from './corpus';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '200' },
    docs: { type: 'string', default: '40' },
  },
});
const pages = Number(values.pages);
const docs = Number(values.docs);
if (!Number.isSafeInteger(pages) || pages < 1 || !Number.isSafeInteger(docs) || docs < 0) {
  throw new RangeError(
    `--pages must be at least 1 and --docs at least 0, got ${values.pages} and ${values.docs}`,
  );
}

/** What the document.index job sends to the embedder, and so to the vector store, at a time. */
const EMBEDDING_BATCH = 100;
/** About a dense A4 page (~600 tokens): makePdf draws 80-character lines, 38 of them. */
const PAGE_CHARACTERS = 3000;
const STAGES = ['extract', 'chunk', 'embed', 'upsert'] as const;
type Stage = (typeof STAGES)[number];

interface SourceDocument {
  id: string;
  name: string;
  kind: 'pdf' | 'web';
  bytes: Uint8Array;
}

/** Seconds per stage and what went through, for one kind of document. */
interface KindTotals {
  seconds: Record<Stage, number>;
  documents: number;
  sections: number;
  chunks: number;
  tokens: number;
}

interface Totals {
  pdf: KindTotals;
  web: KindTotals;
  /** Per batch, milliseconds of VectorStore.upsert and of the raw client's add. */
  platformBatchMs: number[];
  rawBatchMs: number[];
}

function emptyTotals(): Totals {
  const kind = (): KindTotals => ({
    seconds: { extract: 0, chunk: 0, embed: 0, upsert: 0 },
    documents: 0,
    sections: 0,
    chunks: 0,
    tokens: 0,
  });
  return { pdf: kind(), web: kind(), platformBatchMs: [], rawBatchMs: [] };
}

async function timed<T>(totals: KindTotals, stage: Stage, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await work();
  totals.seconds[stage] += (performance.now() - started) / 1000;
  return result;
}

async function timedMs(samples: number[], work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  await work();
  samples.push(performance.now() - started);
}

/** A web page with a title, sections under h2/## headings and several paragraphs each. */
function webPage(prose: Prose, markdown: boolean): string {
  const title = prose.title();
  const sections = Array.from({ length: 3 + prose.int(5) }, () => ({
    heading: prose.title(),
    paragraphs: Array.from({ length: 2 + prose.int(3) }, () => prose.paragraph()),
  }));
  if (markdown) {
    const body = sections.map((s) => `## ${s.heading}\n\n${s.paragraphs.join('\n\n')}`).join('\n\n');
    return `# ${title}\n\n${body}\n`;
  }
  const body = sections
    .map((s) => `<h2>${s.heading}</h2>${s.paragraphs.map((p) => `<p>${p}</p>`).join('')}`)
    .join('');
  // Navigation, script and footer as on a real page: the extractor has to find the article among them.
  return (
    `<!doctype html><html><head><title>${title}</title><script>var tracking = 1;</script></head>` +
    `<body><nav>Home | Docs | Pricing</nav><main><article><h1>${title}</h1>${body}</article></main>` +
    `<footer>© Example</footer></body></html>`
  );
}

async function makeCorpus(seed: number, pdfPages: number, webPages: number): Promise<SourceDocument[]> {
  const prose = new Prose(seed);
  const pdf = await makePdf(Array.from({ length: pdfPages }, () => prose.text(PAGE_CHARACTERS)));
  const corpus: SourceDocument[] = [{ id: randomUUID(), name: 'manual.pdf', kind: 'pdf', bytes: pdf }];
  for (let i = 0; i < webPages; i++) {
    const markdown = i % 2 === 1;
    corpus.push({
      id: randomUUID(),
      name: markdown ? `page-${i}.md` : `page-${i}.html`,
      kind: 'web',
      bytes: Buffer.from(webPage(prose, markdown)),
    });
  }
  return corpus;
}

const embedder = new OfflineEmbedder();

async function ingest(
  document: SourceDocument,
  target: { store: VectorStore; botId: string; raw: Collection },
  totals: Totals,
): Promise<void> {
  const kind = totals[document.kind];
  const extracted = await timed(kind, 'extract', () =>
    extractDocument(document.bytes, { fileName: document.name }),
  );
  const chunks = await timed(kind, 'chunk', () => chunkSections(extracted.sections, DEFAULT_CHUNK_OPTIONS));
  for (let start = 0; start < chunks.length; start += EMBEDDING_BATCH) {
    const batch = chunks.slice(start, start + EMBEDDING_BATCH);
    const embeddings = await timed(kind, 'embed', () => embedder.embed(batch.map((chunk) => chunk.text)));
    const records: ChunkRecord[] = batch.map((chunk, i) => ({
      id: chunkId(document.id, chunk.index),
      documentId: document.id,
      chunkIndex: chunk.index,
      text: chunk.text,
      embedding: embeddings[i]!,
      metadata: { source: document.name, page: chunk.page, headingPath: chunk.headingPath?.join(' > ') },
    }));
    // Built outside the timing: the baseline is the client's add alone, the floor VectorStore sits on.
    const rawSet = rawRecordSet(records);
    const platformUpsert = () =>
      timedMs(totals.platformBatchMs, () =>
        timed(kind, 'upsert', () => target.store.upsert(target.botId, records)),
      );
    const rawAdd = () => timedMs(totals.rawBatchMs, () => target.raw.add(rawSet));
    // Alternating who goes first keeps either from always meeting a server still busy with the other.
    if (totals.platformBatchMs.length % 2 === 0) {
      await platformUpsert();
      await rawAdd();
    } else {
      await rawAdd();
      await platformUpsert();
    }
  }
  kind.documents++;
  kind.sections += extracted.sections.length;
  kind.chunks += chunks.length;
  kind.tokens += chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0);
}

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function rate(count: number, seconds: number): string {
  const perSecond = count / seconds;
  return (seconds > 0 ? perSecond.toFixed(perSecond < 100 ? 1 : 0) : '-').padStart(12);
}

const corpus = await makeCorpus(1, pages, docs);
// One of each kind, so pdf.js, the tokenizer's rank tables (about a second), the JIT and the clients' first
// requests are paid before timing starts, as in a worker that has been running for a while.
const warmUpCorpus = await makeCorpus(2, 2, 2);

await withEmbeddedChroma(async ({ store, client }) => {
  const spec = { model: embedder.model, dimension: embedder.dimension };
  const target = async (botId: string) => {
    await store.ensureCollection(botId, spec);
    return { store, botId, raw: await rawCollection(client, `raw_${botId}`) };
  };

  const warmUpStarted = performance.now();
  const warmUpTarget = await target(randomUUID());
  for (const document of warmUpCorpus) await ingest(document, warmUpTarget, emptyTotals());
  const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;

  const totals = emptyTotals();
  const measured = await target(randomUUID());
  for (const document of corpus) await ingest(document, measured, totals);

  const { pdf, web } = totals;
  const chunks = pdf.chunks + web.chunks;
  const tokens = pdf.tokens + web.tokens;
  const stageSeconds = (stage: Stage) => pdf.seconds[stage] + web.seconds[stage];
  const total = STAGES.reduce((sum, stage) => sum + stageSeconds(stage), 0);
  const row = (name: string, seconds: number, pdfSeconds: number, webSeconds: number) =>
    `${name.padEnd(9)}${seconds.toFixed(2).padStart(9)}${`${((100 * seconds) / total).toFixed(1)}%`.padStart(8)}` +
    `${rate(pages, pdfSeconds)}${rate(web.documents, webSeconds)}` +
    `${rate(tokens, seconds)}${rate(chunks, seconds)}`;

  console.log(
    `Ingestion without HTTP: ${chunks} chunks, ${tokens} tokens (cl100k, overlap included) from ` +
      `1 PDF of ${pages} pages (${pdf.sections} sections -> ${pdf.chunks} chunks) and ` +
      `${web.documents} HTML/Markdown pages (${web.sections} sections -> ${web.chunks} chunks)`,
  );
  const { minTokens, maxTokens, overlapTokens } = DEFAULT_CHUNK_OPTIONS;
  console.log(
    `chunks ${minTokens}-${maxTokens} tokens + ${overlapTokens} overlap; ${embedder.model} (${embedder.dimension} dims) ` +
      `in batches of ${EMBEDDING_BATCH}; warm-up ${warmUpSeconds.toFixed(1)} s, not counted`,
  );
  console.log(`${'stage'.padEnd(9)}  seconds   share PDF pages/s   web docs/s    tokens/s    chunks/s`);
  for (const stage of STAGES)
    console.log(row(stage, stageSeconds(stage), pdf.seconds[stage], web.seconds[stage]));
  const sum = (kind: KindTotals) => STAGES.reduce((seconds, stage) => seconds + kind.seconds[stage], 0);
  console.log(row('pipeline', total, sum(pdf), sum(web)));

  const rawSeconds = totals.rawBatchMs.reduce((a, b) => a + b, 0) / 1000;
  const platformSeconds = stageSeconds('upsert');
  const batchRow = (name: string, samples: number[], seconds: number) =>
    `${name.padEnd(40)} p50 ${percentile(samples, 0.5).toFixed(2).padStart(8)} ms  ` +
    `p95 ${percentile(samples, 0.95).toFixed(2).padStart(8)} ms  ${rate(chunks, seconds)} chunks/s`;
  console.log(
    `\nupsert, per batch: the same ${totals.platformBatchMs.length} batches of at most ${EMBEDDING_BATCH} chunks, alternating order`,
  );
  console.log(batchRow('baseline: raw chromadb collection.add', totals.rawBatchMs, rawSeconds));
  console.log(batchRow('platform: VectorStore.upsert', totals.platformBatchMs, platformSeconds));
  console.log(
    `ratio VectorStore upsert / raw add: throughput ${(rawSeconds / platformSeconds).toFixed(2)}x, ` +
      `p50 ${(percentile(totals.platformBatchMs, 0.5) / percentile(totals.rawBatchMs, 0.5)).toFixed(2)}x, ` +
      `p95 ${(percentile(totals.platformBatchMs, 0.95) / percentile(totals.rawBatchMs, 0.95)).toFixed(2)}x`,
  );
});
