import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { io } from 'socket.io-client';
import { buildBot, buildTenant } from '../../testing/factories';
import { startConversation, requestOk } from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { widgetDist } from './widget.routes';

describe('widget files and demo pages', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(() => server.stop());

  it('serves the loader to any site: CORS, a cross-origin resource policy, a short cache', async () => {
    const response = await fetch(`${server.url}/widget/chat-bot.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /javascript/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=300');
  });

  it('serves the hashed chat window for a year, and 404 for files that do not exist', async () => {
    const windowFile = readdirSync(widgetDist).find((file) => file.startsWith('chat-window.'))!;
    const response = await fetch(`${server.url}/widget/${windowFile}`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(`${server.url}/widget/nothing-here.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/widget/../package.json`)).status, 404);
  });

  it('shows the demo page of a bot id with the one-line embed, and 404 for what is not an id', async () => {
    const owner = await buildTenant(server.api);
    const bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const page = await fetch(`${server.url}/demo/${bot.id}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`<script src="/widget/chat-bot.js" data-bot-id="${bot.id}" defer></script>`));
    assert.match(page.headers.get('content-security-policy')!, /script-src|default-src 'self'/);
    assert.equal((await fetch(`${server.url}/demo/%3Cscript%3E`)).status, 404);
    // This platform was not seeded with a demo tenant.
    assert.equal((await fetch(`${server.url}/demo`, { redirect: 'manual' })).status, 404);
  });

  it('lets a widget fall back to HTTP long-polling (Express must not answer Socket.IO requests)', async () => {
    const owner = await buildTenant(server.api);
    const bot = await buildBot(server.api, owner.accessToken, { status: 'published' });
    const started = await startConversation(server.api, bot.id);
    const socket = io(`${server.url}/widget`, {
      auth: { botId: bot.id, visitorToken: started.visitorToken },
      transports: ['polling'],
      forceNew: true,
      reconnection: false,
    });
    try {
      const joined = await requestOk<{ mode: string }>(socket, 'conversation:join', {
        conversationId: started.conversationId,
      });
      assert.equal(joined.mode, 'bot');
      assert.equal(socket.io.engine.transport.name, 'polling');
    } finally {
      socket.disconnect();
    }
  });
});
