import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ConversationDetail } from '@chatbot/shared';
import { buildBot, buildTenant } from '../../../server/src/testing/factories';
import {
  startTestServerBehindDatabaseProxy,
  type ProxiedDatabaseServer,
} from '../../../server/src/testing/test-server';
import { ChatSession } from './chat-session';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The platform's database briefly out of reach while a visitor chats: the server refuses the message as
 * `unavailable` with a Retry-After, and the widget sends it again by itself instead of showing it as not
 * sent, so a short outage costs the visitor a few seconds and no click.
 */
describe('ChatSession while the database is briefly out of reach', function () {
  this.timeout(60_000);
  let server: ProxiedDatabaseServer;
  let owner: AuthResponse;
  let bot: BotView;
  let session: ChatSession | undefined;

  before(async () => {
    server = await startTestServerBehindDatabaseProxy();
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
  });
  after(async () => {
    session?.dispose();
    await server?.stop();
  });

  it('keeps the message as sending, sends it again once the database is back, and it is stored once', async () => {
    session = new ChatSession({
      botId: bot.id,
      server: server.url,
      storage: null,
      onChange: () => undefined,
    });
    await session.load();
    session.send('Hello');
    await waitFor(
      () => session!.pending.size === 0 && session!.transcript.messages.length === 2,
      'the first answer',
    );

    server.database.down();
    session.send('Are you still there?');
    const [pending] = [...session.pending.values()];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(pending!.state, 'sending', 'refused as unavailable, waiting to be sent again, not failed');
    server.database.up();
    await waitFor(
      () => session!.pending.size === 0 && session!.transcript.messages.length === 4,
      'the message sent again and answered',
    );

    const conversationId = session.transcript.messages[0]!.conversationId;
    const stored = await server.api.get<ConversationDetail>(
      `/api/conversations/${conversationId}`,
      owner.accessToken,
    );
    assert.deepEqual(
      stored.body.messages.filter((m) => m.role === 'visitor').map((m) => m.content),
      ['Hello', 'Are you still there?'],
    );
  });
});
