import assert from 'node:assert/strict';
import type { AuthResponse, BotView, PreviewConversationResponse, PublicBotConfig } from '@chatbot/shared';
import { teach } from '../../../server/src/testing/documents';
import { buildBot, buildTenant } from '../../../server/src/testing/factories';
import { startTestServer, type TestServer } from '../../../server/src/testing/test-server';
import { ChatSession } from './chat-session';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ChatSession in the dashboard preview (a draft bot)', () => {
  let server: TestServer;
  let owner: AuthResponse;
  let draft: BotView;
  const sessions: ChatSession[] = [];

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    draft = await buildBot(server.api, owner.accessToken, { name: 'Draft' });
    await teach(server, owner.accessToken, draft.id, 'faq.txt', 'Parcels to Norway arrive within four days.');
  });
  afterEach(() => sessions.splice(0).forEach((session) => session.dispose()));
  after(() => server?.stop());

  /** The settings the dashboard's form shows, not the saved ones. */
  const edited: () => PublicBotConfig = () => ({
    id: draft.id,
    name: 'Draft',
    welcomeMessage: 'Typed, not saved',
    appearance: { ...draft.appearance, primaryColor: '#ff0000' },
    leadCapture: { enabled: false },
    handoff: { enabled: false },
  });

  it('chats through conversations the dashboard starts, with the settings the dashboard gives', async () => {
    let started = 0;
    const startConversation = async () => {
      started += 1;
      const response = await server.api.post<PreviewConversationResponse>(
        `/api/chatbots/${draft.id}/preview-conversation`,
        {},
        owner.accessToken,
      );
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return response.body;
    };
    const session = new ChatSession({
      botId: draft.id,
      server: server.url,
      storage: null,
      config: edited(),
      preview: { config: edited(), startConversation },
      onChange: () => {},
    });
    sessions.push(session);
    await session.load();
    assert.equal(session.status, 'ready');
    assert.equal(session.config?.welcomeMessage, 'Typed, not saved');

    session.send('How long do parcels to Norway take?');
    await waitFor(
      () => session.transcript.messages.some((m) => m.role === 'bot' && m.state === 'complete'),
      'the answer',
    );
    const answer = session.transcript.messages.find((m) => m.role === 'bot')!;
    assert.match(answer.content, /four days/);
    assert.equal(started, 1);

    // A save (here one that publishes, so the public settings could be fetched) leaves what the form shows.
    await server.api.patch(
      `/api/chatbots/${draft.id}`,
      { welcomeMessage: 'Saved', status: 'published' },
      owner.accessToken,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(session.config?.welcomeMessage, 'Typed, not saved');
  });
});
