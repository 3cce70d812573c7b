import assert from 'node:assert/strict';
import type { AuthResponse, BotView, ConversationDetail, StartConversationResponse } from '@chatbot/shared';
import { Conversation, runAsSystem } from '@chatbot/shared/platform';
import { buildBot, buildTenant } from '../../testing/factories';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { visitorLanguage } from './visitor-language';

describe('visitorLanguage', () => {
  it('prefers the tag the widget sent, else the first tag of Accept-Language, canonical', () => {
    assert.equal(visitorLanguage('pt-BR', 'de-AT,de;q=0.9'), 'pt-BR');
    assert.equal(visitorLanguage(undefined, 'de-at;q=1, en;q=0.5'), 'de-AT');
    assert.equal(visitorLanguage(undefined, ' zh-Hant-TW , en'), 'zh-Hant-TW');
  });

  it('gives null for a header that names no valid tag', () => {
    for (const header of [undefined, '', '*', 'en_US', ';q=0.9', 'x'.repeat(40), `en-${'a'.repeat(40)}`]) {
      assert.equal(visitorLanguage(undefined, header), null, String(header));
    }
  });
});

describe('the visitor’s language at the start of a conversation', function () {
  this.timeout(60_000);
  let server: TestServer;
  let owner: AuthResponse;
  let stranger: AuthResponse;
  let bot: BotView;

  before(async () => {
    server = await startTestServer();
    owner = await buildTenant(server.api);
    stranger = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  after(() => server.stop());

  /** Starts a conversation as a browser would; its id and the language the dashboard's detail shows. */
  async function start(body: unknown, acceptLanguage?: string) {
    const started = await server.api.request<StartConversationResponse>(
      'POST',
      `/api/public/conversation/${bot.id}/start`,
      { body, headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } },
    );
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const { conversationId } = started.body;
    const detail = await server.api.get<ConversationDetail>(
      `/api/conversations/${conversationId}`,
      owner.accessToken,
    );
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    return { conversationId, language: detail.body.conversation.visitorLanguage };
  }

  it('stores the language the widget sent, canonical, over the header, and shows it in the detail', async () => {
    const { conversationId, language } = await start(
      { referrer: 'https://shop.example/', language: 'EN-gb' },
      'de-AT',
    );
    assert.equal(language, 'en-GB');
    const stored = await runAsSystem('test', () =>
      server.platform.orm.em.fork().findOneOrFail(Conversation, conversationId),
    );
    assert.equal(stored.visitorLanguage, 'en-GB');
    const theirs = await server.api.get(`/api/conversations/${conversationId}`, stranger.accessToken);
    assert.equal(theirs.status, 404, 'another tenant learns nothing of it');
  });

  it('takes the first tag of Accept-Language when the widget sent none', async () => {
    assert.equal((await start(undefined, 'de-AT, de;q=0.9, en;q=0.5')).language, 'de-AT');
    assert.equal((await start({ referrer: 'https://shop.example/' }, 'sv')).language, 'sv');
  });

  it('ignores an invalid language, never refusing the visitor: the header then, else none', async () => {
    for (const language of ['not a language', 'en_US', 42, null, '', 'x'.repeat(36)]) {
      assert.equal((await start({ language }, 'nl-BE,nl;q=0.8')).language, 'nl-BE', JSON.stringify(language));
    }
    // Node's fetch, like many clients, says `*` when it has no preference.
    assert.equal((await start({ language: '??' })).language, null);
    assert.equal((await start({}, 'definitely not a tag')).language, null);
  });

  it('still refuses what else the start request must not carry', async () => {
    const refused = await server.api.post(`/api/public/conversation/${bot.id}/start`, {
      language: 'fr',
      colour: 'red',
    });
    assert.equal(refused.status, 400);
  });
});
