import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { botDefaults, type JobName } from '@chatbot/shared';
import {
  BullMqQueue,
  Chatbot,
  Conversation,
  Document,
  Lead,
  Tenant,
  Webhook,
  WebhookDelivery,
  createLogger,
  enqueueDocumentIndex,
  enqueueLeadSummary,
  migrateToLatest,
  openOrm,
  resolveDatabaseTarget,
  runAsSystem,
  runInTenant,
} from '@chatbot/shared/platform';
import { createTestDatabase, forEachDialect, type TestDatabase } from '@chatbot/shared/testing';
import { requeueStaleWork } from './requeue-stale-work';

const logger = createLogger({ level: 'silent', name: 'test' });
const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const STALE_MS = 60_000;
const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms);
const fromNow = (ms: number) => new Date(Date.now() + ms);

interface QueuedJob {
  name: JobName;
  id: string;
  payload: Record<string, unknown>;
}

// The job ids are spelled out rather than taken from recordedJobId(): the sweep must keep using the ids
// the normal paths queue with, whatever those helpers become.
const indexJob = (tenantId: string, document: Document): QueuedJob => ({
  name: 'document.index',
  id: `index-${document.id}-${document.updatedAt.getTime()}`,
  payload: { tenantId, documentId: document.id },
});
const deliveryJob = (tenantId: string, delivery: WebhookDelivery): QueuedJob => ({
  name: 'webhook.deliver',
  id: `webhook-${delivery.id}-${delivery.attempts + 1}`,
  payload: { tenantId, deliveryId: delivery.id },
});
const summaryJob = (tenantId: string, lead: Lead): QueuedJob => ({
  name: 'lead.summarize',
  id: `summary-${lead.id}-${lead.updatedAt.getTime()}`,
  payload: { tenantId, leadId: lead.id },
});

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

/** Every job the queues hold (no processor runs, so they all wait), with the delay each was queued with. */
async function queuedJobs(queue: BullMqQueue) {
  const jobs = await Promise.all(
    queue.allQueues().map((each) => each.getJobs(['waiting', 'delayed', 'active'])),
  );
  return jobs
    .flat()
    .map((job) => {
      const { _meta: _ignored, ...payload } = job.data as Record<string, unknown>;
      return { name: job.name as JobName, id: job.id!, payload, delay: job.opts.delay ?? 0 };
    })
    .sort(byId);
}

const withoutDelay = (jobs: Array<QueuedJob & { delay: number }>) =>
  jobs.map(({ name, id, payload }) => ({ name, id, payload }));

async function createTenant(orm: MikroORM, name: string): Promise<string> {
  return runAsSystem('test', async () => {
    const em = orm.em.fork();
    const tenant = em.create(Tenant, { name });
    await em.flush();
    return tenant.id;
  });
}

/** A document of the bot, last written at `updatedAt` (the onCreate hooks keep a timestamp given). */
const newDocument = (em: EntityManager, bot: Chatbot, status: Document['status'], updatedAt: Date) =>
  em.create(Document, {
    bot,
    name: `${status}.txt`,
    mimeType: 'text/plain',
    sizeBytes: 1,
    storageKey: null,
    sourceUrl: null,
    status,
    createdAt: updatedAt,
    updatedAt,
  });

/** A lead of a new conversation of the bot, last written at `updatedAt`. */
const newLead = (em: EntityManager, bot: Chatbot, summary: string | null, updatedAt: Date) =>
  em.create(Lead, {
    bot,
    conversation: em.create(Conversation, {
      bot,
      visitorId: randomUUID(),
      visitorIp: null,
      userAgent: null,
      referrer: null,
    }),
    email: 'visitor@example.com',
    name: null,
    phone: null,
    company: null,
    consent: false,
    consentAt: null,
    summary,
    createdAt: updatedAt,
    updatedAt,
  });

/**
 * One tenant's records of every kind the sweep looks at, written with past timestamps: `due` is what a
 * sweep of STALE_MS must queue, `recent` is unfinished but too recent for it (a sweep of 0 takes it too),
 * and the rest is finished, for no sweep to queue.
 */
async function seedTenant(orm: MikroORM, name: string) {
  const tenantId = await createTenant(orm, name);
  return runInTenant(tenantId, async () => {
    const em = orm.em.fork();
    const bot = em.create(Chatbot, { ...botDefaults, name: 'Bot', embeddingModel: 'offline' });
    const webhook = em.create(Webhook, {
      url: 'https://hooks.example.com/in',
      description: '',
      events: ['lead.created'],
      secretSealed: 'sealed',
      enabled: true,
    });
    const document = (status: Document['status'], updatedAt: Date) => newDocument(em, bot, status, updatedAt);
    const delivery = (
      status: WebhookDelivery['status'],
      attempts: number,
      createdAt: Date,
      nextAttemptAt: Date | null,
    ) =>
      em.create(WebhookDelivery, {
        webhook,
        event: 'lead.created',
        payload: {},
        status,
        attempts,
        createdAt,
        updatedAt: createdAt,
        nextAttemptAt,
      });
    const lead = (summary: string | null, updatedAt: Date) => newLead(em, bot, summary, updatedAt);

    const due = {
      pending: document('pending', ago(2 * MINUTE)),
      // Past 10 × STALE_MS without progress: its job was lost, not merely slow.
      stuck: document('processing', ago(20 * MINUTE)),
      retryOverdue: delivery('pending', 2, ago(20 * MINUTE), ago(2 * MINUTE)),
      // A first attempt is recorded with no nextAttemptAt: its createdAt says how long it has waited.
      firstAttemptOverdue: delivery('pending', 0, ago(2 * MINUTE), null),
      unsummarised: lead(null, ago(2 * MINUTE)),
    };
    const recent = {
      pending: document('pending', new Date()),
      // Older than STALE_MS but younger than 10 × STALE_MS: a long indexing step, still under way.
      processing: document('processing', ago(5 * MINUTE)),
      // Overdue, but by less than STALE_MS: its job is most likely just waiting its turn.
      retryJustDue: delivery('pending', 1, ago(20 * MINUTE), ago(MINUTE / 2)),
      retryLater: delivery('pending', 1, ago(20 * MINUTE), fromNow(5 * MINUTE)),
      unsummarised: lead(null, new Date()),
    };
    document('completed', ago(20 * MINUTE));
    document('failed', ago(20 * MINUTE));
    delivery('succeeded', 1, ago(20 * MINUTE), null);
    delivery('failed', 3, ago(20 * MINUTE), null);
    lead('Wants a demo.', ago(20 * MINUTE));
    await em.flush();

    return {
      tenantId,
      retryLater: recent.retryLater,
      dueJobs: [
        indexJob(tenantId, due.pending),
        indexJob(tenantId, due.stuck),
        deliveryJob(tenantId, due.retryOverdue),
        deliveryJob(tenantId, due.firstAttemptOverdue),
        summaryJob(tenantId, due.unsummarised),
      ],
      recentJobs: [
        indexJob(tenantId, recent.pending),
        indexJob(tenantId, recent.processing),
        deliveryJob(tenantId, recent.retryJustDue),
        deliveryJob(tenantId, recent.retryLater),
        summaryJob(tenantId, recent.unsummarised),
      ],
    };
  });
}

forEachDialect('requeue sweep of unfinished work', (dialect) => {
  let database: TestDatabase;
  let orm: MikroORM;
  let queue: BullMqQueue;
  // No processor is registered: whatever is queued stays in Redis for the test to read.
  let platform: { orm: MikroORM; queue: BullMqQueue };

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    orm = await openOrm(resolveDatabaseTarget(database.url, '.'));
    await migrateToLatest(orm);
    queue = new BullMqQueue(redisUrl(), `test-${randomBytes(6).toString('hex')}`, logger);
    platform = { orm, queue };
  });
  afterEach(async () => {
    await Promise.all(queue.allQueues().map((each) => each.obliterate({ force: true })));
    await queue.close();
    await orm.close();
    await database.drop();
  });

  it('queues each piece of work left for STALE_MS once, in every tenant, and nothing recent or finished', async () => {
    const tenants = [await seedTenant(orm, 'A'), await seedTenant(orm, 'B')];
    const expected = tenants.flatMap((tenant) => tenant.dueJobs).sort(byId);

    await requeueStaleWork(platform, logger, STALE_MS);
    const queued = await queuedJobs(queue);
    assert.deepEqual(withoutDelay(queued), expected);
    // Overdue deliveries are sent at once, not after some leftover delay.
    assert.deepEqual(
      queued.map((job) => job.delay),
      expected.map(() => 0),
    );

    // The next sweep finds the same records (nothing ran them) and queues them under the same ids.
    await requeueStaleWork(platform, logger, STALE_MS);
    assert.deepEqual(withoutDelay(await queuedJobs(queue)), expected);
  });

  it('does not double a document queued right after its flush when the sweep finds it unfinished', async () => {
    const tenantId = await createTenant(orm, 'A');
    const [uploaded, reindexed] = await runInTenant(tenantId, async () => {
      const em = orm.em.fork();
      const bot = em.create(Chatbot, { ...botDefaults, name: 'Bot', embeddingModel: 'offline' });
      // Uploaded (and queued) two minutes ago, its job still waiting behind a backlog.
      const uploaded = newDocument(em, bot, 'pending', ago(2 * MINUTE));
      const reindexed = newDocument(em, bot, 'completed', ago(20 * MINUTE));
      await em.flush();
      await enqueueDocumentIndex(queue, uploaded);
      // Re-indexed just now: the update hook writes its updatedAt, which its job id names.
      reindexed.status = 'pending';
      await em.flush();
      await enqueueDocumentIndex(queue, reindexed);
      return [uploaded, reindexed];
    });

    await requeueStaleWork(platform, logger, STALE_MS);
    // A sweep of 20 ms, 50 ms on, finds the one re-indexed just now unfinished as well.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await requeueStaleWork(platform, logger, 20);

    assert.deepEqual(
      withoutDelay(await queuedJobs(queue)),
      [indexJob(tenantId, uploaded), indexJob(tenantId, reindexed)].sort(byId),
    );
  });

  it("does not double a new lead's first summary, queued at capture, when the sweep finds it unsummarised", async () => {
    const tenantId = await createTenant(orm, 'A');
    const lead = await runInTenant(tenantId, async () => {
      const em = orm.em.fork();
      const bot = em.create(Chatbot, { ...botDefaults, name: 'Bot', embeddingModel: 'offline' });
      // Captured two minutes ago, its summary job still waiting behind a backlog.
      const captured = newLead(em, bot, null, ago(2 * MINUTE));
      await em.flush();
      await enqueueLeadSummary(queue, captured, true);
      return captured;
    });

    await requeueStaleWork(platform, logger, STALE_MS);

    assert.deepEqual(withoutDelay(await queuedJobs(queue)), [summaryJob(tenantId, lead)]);
  });

  it('with a staleMs of 0 queues everything unfinished, a delivery due later after its remaining delay', async () => {
    const tenants = [await seedTenant(orm, 'A'), await seedTenant(orm, 'B')];
    const expected = tenants.flatMap((tenant) => [...tenant.dueJobs, ...tenant.recentJobs]).sort(byId);

    const sweptAt = Date.now();
    await requeueStaleWork(platform, logger, 0);
    const queued = await queuedJobs(queue);
    assert.deepEqual(withoutDelay(queued), expected);

    // Due five minutes after seeding: a few milliseconds less (the seeding, the sweep) is left of it.
    const dueAt = new Map(
      tenants.map(({ tenantId, retryLater }) => [
        deliveryJob(tenantId, retryLater).id,
        retryLater.nextAttemptAt!.getTime(),
      ]),
    );
    for (const job of queued) {
      const remaining = dueAt.has(job.id) ? dueAt.get(job.id)! - sweptAt : 0;
      assert.ok(job.delay <= remaining && job.delay > remaining - 5_000, `${job.id} delayed ${job.delay} ms`);
    }
  });
});
