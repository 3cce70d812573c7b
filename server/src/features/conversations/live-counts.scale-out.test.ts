import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AuthResponse, BotView, LiveCounts } from '@chatbot/shared';
import type { ApiClient } from '../../testing/api-client';
import { connectWidget, startConversation, type WidgetSocket } from '../../testing/chat-clients';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';

/** Needs PostgreSQL and Redis: two server nodes share one database and one Socket.IO adapter. */
describe('live counts across two server nodes (scaled mode)', function () {
  this.timeout(60_000);
  const nodes: TestServer[] = [];
  const sockets: WidgetSocket[] = [];
  let owner: AuthResponse;
  let stranger: AuthResponse;
  let bot: BotView;
  let strangerBot: BotView;

  before(async () => {
    const redisNamespace = `test:${randomBytes(6).toString('hex')}`;
    const redis = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    const a = await startTestServer({ dialect: 'postgresql', env: redis, redisNamespace });
    nodes.push(a);
    // The second node uses the first one's database and secrets, as a deployment's nodes do.
    const shared = {
      DATABASE_URL: a.env.DATABASE_URL!,
      JWT_SECRET: a.env.JWT_SECRET!,
      MASTER_KEY: a.env.MASTER_KEY!,
    };
    nodes.push(
      await startTestServer({ dialect: 'postgresql', env: { ...redis, ...shared }, redisNamespace }),
    );
    owner = await buildTenant(a.api);
    stranger = await buildTenant(a.api);
    const limits = { status: 'published', rateLimits: { perIpPerMinute: 1000, perMinute: 1000 } } as const;
    bot = await buildBot(a.api, owner.accessToken, limits);
    strangerBot = await buildBot(a.api, stranger.accessToken, limits);
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => Promise.all(nodes.map((node) => node.stop())));

  /** A visitor's widget connected to `node`. */
  async function visitor(node: TestServer, botId: string) {
    const started = await startConversation(node.api, botId);
    const socket = await connectWidget(node.url, { botId, visitorToken: started.visitorToken });
    sockets.push(socket);
    return socket;
  }
  const live = (api: ApiClient, token: string) =>
    api.get<LiveCounts>('/api/conversations/live', token).then((response) => {
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body;
    });

  it('counts the tenant’s visitors on every node, from any node, and no other tenant’s', async () => {
    const [a, b] = nodes as [TestServer, TestServer];
    await visitor(a, bot.id);
    await visitor(b, bot.id);
    const leaving = await visitor(b, bot.id);
    await visitor(b, strangerBot.id);

    for (const node of [a, b]) {
      assert.equal((await live(node.api, owner.accessToken)).visitorsOnline, 3);
      assert.equal((await live(node.api, stranger.accessToken)).visitorsOnline, 1);
    }
    assert.equal((await live(a.api, owner.accessToken)).activeConversations, 3);

    leaving.close();
    const deadline = Date.now() + 5000;
    while ((await live(a.api, owner.accessToken)).visitorsOnline !== 2) {
      assert.ok(Date.now() < deadline, 'the visitor who left node B is still counted on node A');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
