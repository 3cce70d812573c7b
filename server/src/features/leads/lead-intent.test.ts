import assert from 'node:assert/strict';
import type { AuthResponse, BotView } from '@chatbot/shared';
import { Conversation, createLogger, runInTenant } from '@chatbot/shared/platform';
import { forEachDialect } from '@chatbot/shared/testing';
import { buildBot, buildTenant } from '../../testing/factories';
import { nextEvent, openChat, request, requestOk, type WidgetSocket } from '../../testing/chat-clients';
import { startTestServer, type TestServer } from '../../testing/test-server';
import type { ChatEvents } from '../conversations/chat-events';
import { captureOverRest, roundTrip, sayOverRest, stored } from './lead-fixtures';
import { askForLeadOnIntent } from './lead-intent';

forEachDialect('lead intent: asking visitors for contact details', (dialect) => {
  let server: TestServer;
  let owner: AuthResponse;
  let bot: BotView;
  const sockets: WidgetSocket[] = [];

  before(async () => {
    server = await startTestServer({ dialect });
    owner = await buildTenant(server.api);
    bot = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  after(() => server.stop());

  /** A visitor with an open chat, counting the `lead:request`s and the order of what it hears. */
  async function visitor(botId = bot.id) {
    const chat = await openChat(server.api, botId);
    sockets.push(chat.socket);
    const heard: string[] = [];
    chat.socket.on('message:done', () => heard.push('message:done'));
    chat.socket.on('lead:request', (payload) => {
      assert.deepEqual(payload, { conversationId: chat.conversationId });
      heard.push('lead:request');
    });
    const requests = () => heard.filter((event) => event === 'lead:request').length;
    /** Sends over REST (it returns once the answer and the lead request are done), then syncs the socket. */
    const say = async (text: string) => {
      await sayOverRest(server, botId, chat, text);
      await roundTrip(chat.socket, chat.conversationId);
    };
    return { ...chat, heard, requests, say };
  }

  it('asks once, after the answer, when the visitor shows buying intent; a second intent does not ask again', async () => {
    const chat = await visitor();
    const asked = nextEvent(chat.socket, 'lead:request');
    await chat.ask('Hi, I would like to book a demo for my team');
    await asked;
    assert.deepEqual(chat.heard, ['message:done', 'lead:request']);
    const { conversation } = await stored(server, chat.conversationId);
    assert.ok(conversation.leadRequestedAt instanceof Date);

    await chat.say('And what is the price?');
    await chat.say('I want to buy it now');
    assert.equal(chat.requests(), 1);
    const again = await stored(server, chat.conversationId);
    assert.equal(again.conversation.leadRequestedAt?.getTime(), conversation.leadRequestedAt.getTime());
  });

  it('does not ask when a message shows no buying intent', async () => {
    const chat = await visitor();
    await chat.say('How do I reset my password?');
    await chat.say('The demolition of the old site is done');
    assert.equal(chat.requests(), 0);
    assert.equal((await stored(server, chat.conversationId)).conversation.leadRequestedAt, null);
  });

  it('counts the bot’s own trigger words and its language, and never asks for a bot without lead capture', async () => {
    const french = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      appearance: { language: 'fr' },
      leadCapture: { enabled: true, triggerWords: ['Formule Équipe'] },
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    const byTriggerWord = await visitor(french.id);
    await byTriggerWord.say('Parlez-moi de la formule equipe');
    assert.equal(byTriggerWord.requests(), 1);
    const byLanguage = await visitor(french.id);
    await byLanguage.say('Quel est le coût de la licence ?');
    assert.equal(byLanguage.requests(), 1);

    const closed = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      leadCapture: { enabled: false, triggerWords: [] },
    });
    const chat = await visitor(closed.id);
    await chat.say('I want to buy 40 seats, send me a quote');
    assert.equal(chat.requests(), 0);
    assert.equal((await stored(server, chat.conversationId)).conversation.leadRequestedAt, null);
  });

  it('never asks again once the visitor declined, and only the visitor’s own conversation can be declined', async () => {
    const chat = await visitor();
    const declined = await requestOk(chat.socket, 'lead:decline', { conversationId: chat.conversationId });
    assert.deepEqual(declined, { conversationId: chat.conversationId });
    const first = (await stored(server, chat.conversationId)).conversation.leadDeclinedAt;
    assert.ok(first instanceof Date);
    await chat.say('What does the pricing look like? I want to buy.');
    assert.equal(chat.requests(), 0);
    // Declining again keeps the first time.
    await requestOk(chat.socket, 'lead:decline', { conversationId: chat.conversationId });
    const { conversation } = await stored(server, chat.conversationId);
    assert.equal(conversation.leadDeclinedAt?.getTime(), first.getTime());
    assert.equal(conversation.leadRequestedAt, null);

    const other = await visitor();
    const refused = await request(chat.socket, 'lead:decline', { conversationId: other.conversationId });
    assert.deepEqual(refused.ok ? null : refused.error.code, 'not_found');
    const malformed = await request(chat.socket, 'lead:decline', { conversationId: 'nope' });
    assert.deepEqual(malformed.ok ? null : malformed.error.code, 'validation_failed');
    assert.equal((await stored(server, other.conversationId)).conversation.leadDeclinedAt, null);
  });

  it('does not ask a visitor who already left their details', async () => {
    const chat = await visitor();
    assert.equal((await captureOverRest(server, chat, { email: 'early@example.com' })).status, 201);
    await chat.say('Can I get a quote for 10 seats?');
    assert.equal(chat.requests(), 0);
  });

  it('does not ask a visitor with details again when nobody from the team can come', async () => {
    const noHandoff = await buildBot(server.api, owner.accessToken, {
      status: 'published',
      handoff: { enabled: false, waitSeconds: 60 },
      rateLimits: { perIpPerMinute: 1000, perMinute: 1000 },
    });
    const chat = await visitor(noHandoff.id);
    assert.equal((await captureOverRest(server, chat, { email: 'known@example.com' })).status, 201);
    await requestOk(chat.socket, 'handoff:request', { conversationId: chat.conversationId });
    await roundTrip(chat.socket, chat.conversationId);
    assert.equal(chat.requests(), 0);
    const { conversation } = await stored(server, chat.conversationId);
    assert.equal(conversation.leadRequestedAt, null);
  });

  it('asks once when two answers end at the same moment (one conditional update wins)', async () => {
    const chat = await visitor();
    const emitted: string[] = [];
    const events = { toVisitor: (id: string) => emitted.push(id) } as unknown as ChatEvents;
    const deps = { events, logger: createLogger({ level: 'silent', name: 'test' }) };
    const results = await runInTenant(owner.tenant.id, async () => {
      const em = server.platform.orm.em.fork();
      const conversation = await em.findOneOrFail(Conversation, chat.conversationId);
      return Promise.all(
        [1, 2, 3].map(() => askForLeadOnIntent(em, deps, bot, conversation, 'I want to buy this')),
      );
    });
    assert.deepEqual(results.filter(Boolean).length, 1);
    assert.deepEqual(emitted, [chat.conversationId]);
  });
});
