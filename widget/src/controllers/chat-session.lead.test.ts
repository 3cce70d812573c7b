import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { Conversation, runAsSystem } from '@chatbot/shared/platform';
import { buildBot, buildTenant } from '../../../server/src/testing/factories';
import { startTestServer, type TestServer } from '../../../server/src/testing/test-server';
import { ChatSession } from './chat-session';

/** localStorage as the widget uses it. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ChatSession and the lead form the server asks for', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sessions: ChatSession[] = [];

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  afterEach(() => sessions.splice(0).forEach((session) => session.dispose()));
  after(() => server?.stop());

  async function chatting() {
    const storage = new MemoryStorage();
    const session = new ChatSession({ botId: bot.id, server: server.url, storage, onChange: () => {} });
    sessions.push(session);
    await session.load();
    const conversation = () =>
      runAsSystem('test', () =>
        server.platform.orm.em
          .fork()
          .findOneOrFail(Conversation, JSON.parse(storage.getItem(`chat-bot:${bot.id}`)!).conversationId),
      );
    return { session, conversation };
  }

  it('“Not now” on a form the server asked for declines, so the bot never asks again', async () => {
    const { session, conversation } = await chatting();
    session.send('Hello, I would like to book a demo');
    await waitFor(() => session.leadRequested, 'the server’s lead request');
    session.setLeadRequested(false);
    await waitFor(async () => (await conversation()).leadDeclinedAt !== null, 'the decline to be stored');
    assert.equal(session.leadRequested, false);
  });

  it('closing a form the visitor opened themselves declines nothing', async () => {
    const { session, conversation } = await chatting();
    session.send('Hello');
    await waitFor(
      () => session.transcript.messages.some((m) => m.role === 'bot' && m.state === 'complete'),
      'the answer',
    );
    session.setLeadRequested(true);
    session.setLeadRequested(false);
    // Still not declined: the server asks when the visitor shows intent.
    session.send('What is the price?');
    await waitFor(() => session.leadRequested, 'the server’s lead request');
    assert.equal((await conversation()).leadDeclinedAt, null);
  });
});
