/**
 * Property tests of every request schema in shared/src/api: whatever a client sends, parsing answers (a
 * ZodError at worst, never another exception), what it accepts parses again to itself, what a well-behaved
 * client sends is accepted, and every accepted value keeps the limits of shared/src/limits.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { z } from 'zod';
import { ChatLimits, Limits } from '../limits';
import * as analytics from './analytics.schema';
import * as assistant from './assistant.schema';
import * as auth from './auth.schema';
import * as chat from './chat.schema';
import * as chatbots from './chatbots.schema';
import * as documents from './documents.schema';
import * as leads from './leads.schema';
import * as privacy from './privacy.schema';
import * as webhooks from './webhooks.schema';

/** Every *.schema.ts module here, found by listing the folder, so a new one cannot go untested. */
const modules: Record<string, Record<string, unknown>> = Object.fromEntries(
  await Promise.all(
    readdirSync(import.meta.dirname)
      .filter((file) => file.endsWith('.schema.ts'))
      .map(async (file) => [file.replace('.schema.ts', ''), await import(`./${file}`)]),
  ),
);

// Fixed seed and bounded runs: a failure reproduces, and the file stays within a few seconds.
const runs = (numRuns: number) => ({ seed: 0x5eed, numRuns });

// --- Building blocks of what a well-behaved client sends -------------------------------------------------

const whitespace = fc.stringMatching(/^[ \t\n\u00a0\u3000]{0,3}$/);

const codePoints = (text: string) => [...text].length;

/**
 * A string whose trimmed length is `min`..`max` characters (code points, as zod counts them), with
 * whitespace around it that the schema trims; `units` counts UTF-16 code units instead, for a field stored
 * in a bounded column.
 */
function trimmedText(min: number, max: number, count: (text: string) => number = codePoints) {
  return fc
    .tuple(whitespace, fc.string({ minLength: min, maxLength: max, unit: 'binary' }), whitespace)
    .filter(([, core]) => core.trim() === core && count(core) >= min && count(core) <= max)
    .map(([before, core, after]) => before + core + after);
}
const units = (text: string) => text.length;

/** A string (not trimmed by its schema) of `min`..`max` characters. */
function plainText(min: number, max: number) {
  return fc.string({ minLength: min, maxLength: max, unit: 'binary' });
}

/** Near a length limit: `limit - 2`..`limit + 2` characters, ASCII or emoji, maybe padded, accepted or not. */
function aroundLength(limit: number) {
  return fc
    .tuple(
      fc.integer({ min: Math.max(0, limit - 2), max: limit + 2 }),
      fc.constantFrom('x', '😀'),
      whitespace,
      fc.boolean(),
    )
    .map(([length, character, pad, padFirst]) => {
      const core = character.repeat(length);
      return padFirst ? pad + core : core + pad;
    });
}

const uuid = fc.uuid();
/** An http(s) URL of about `limit` characters, its path maybe in emoji. */
const urlAround = (limit: number) =>
  aroundLength(limit - 20).map((path) => `https://example.com/${path.trim()}`);
const label = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,9}$/);
const email = fc
  .tuple(
    fc.array(fc.stringMatching(/^[A-Za-z0-9_'+-]{1,8}$/), { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z0-9_+-]$/),
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.stringMatching(/^[A-Za-z]{2,6}$/),
  )
  .map(([words, last, labels, tld]) => `${words.join('.')}${last}@${labels.join('.')}.${tld}`);
const password = plainText(Limits.passwordMinLength, Limits.passwordMaxLength);
const name = trimmedText(1, Limits.nameMaxLength, units);
const token = plainText(20, 200);
const clientMessageId = fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/);
const messageText = trimmedText(1, ChatLimits.messageMaxLength);
const httpUrl = fc
  .tuple(fc.constantFrom('http', 'https', 'HTTPS'), fc.domain(), fc.webPath(), fc.webQueryParameters())
  .map(([scheme, host, path, query]) => `${scheme}://${host}${path}${query ? `?${query}` : ''}`);
const origin = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    fc.domain(),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    fc.boolean(),
  )
  .filter(([scheme, , port]) => port !== (scheme === 'https' ? 443 : 80))
  .map(([scheme, host, port, slash]) => `${scheme}://${host}${port ? `:${port}` : ''}${slash ? '/' : ''}`)
  .filter((value) => value.length <= 200);
const languageTag = fc.oneof(
  fc.constantFrom('en', 'en-GB', 'en-gb', 'pt-BR', 'zh-Hant-TW', 'sr-Latn-RS', 'de-CH-1996', 'es-419'),
  fc.stringMatching(/^[a-z]{2,3}(-[A-Z]{2})?$/),
);
const isoDay = fc
  .date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const isoDateTime = fc
  .tuple(
    fc.date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
    fc.constantFrom('Z', '+02:00', '-05:30'),
  )
  .map(([date, zone]) => date.toISOString().replace('Z', zone));
/** A whole number as JSON gives it, or as a query string gives it (a coerced field takes both). */
const coercedInt = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.constantFrom<number | string>(n, String(n)));
const pageQuery = {
  limit: coercedInt(1, 100),
  offset: coercedInt(0, 1_000_000),
};
const optional = <T>(record: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: (keyof T)[] = []) =>
  fc.record(record, { requiredKeys: required as never[] });

const appearance = {
  primaryColor: fc.stringMatching(/^#[0-9a-fA-F]{6}$/),
  botName: trimmedText(1, 60),
  avatarUrl: fc.option(
    httpUrl.filter((url) => url.length <= 500),
    { nil: null },
  ),
  position: fc.constantFrom('bottom-right', 'bottom-left'),
  language: fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/),
};
const rateLimits = {
  perMinute: fc.integer({ min: 1, max: 10_000 }),
  perIpPerMinute: fc.integer({ min: 1, max: 1000 }),
  tokensPerConversation: fc.integer({ min: 1000, max: 100_000_000 }),
  tokensPerDay: fc.integer({ min: 1000, max: 10_000_000_000 }),
};
const leadCapture = {
  enabled: fc.boolean(),
  triggerWords: fc.array(trimmedText(1, 60), { maxLength: Limits.leadTriggerWordsMax }),
};
const handoff = { enabled: fc.boolean(), waitSeconds: fc.integer({ min: 10, max: 3600 }) };
const retrievalSettings = {
  topK: fc.integer({ min: 1, max: 20 }),
  chunkOverlapTokens: fc.integer({ min: 0, max: 500 }),
};
/** chunkMinTokens never above chunkMaxTokens, as createBotSchema and updateBotSchema require. */
const chunkRange = fc
  .tuple(fc.integer({ min: 100, max: 2000 }), fc.integer({ min: 200, max: 4000 }))
  .filter(([min, max]) => min <= max);
const partialRetrieval = fc
  .tuple(optional(retrievalSettings), chunkRange, fc.constantFrom('both', 'min', 'max', 'none'))
  .map(([rest, [min, max], which]) => ({
    ...rest,
    ...(which === 'both' || which === 'min' ? { chunkMinTokens: min } : {}),
    ...(which === 'both' || which === 'max' ? { chunkMaxTokens: max } : {}),
  }));
const botFields = {
  name,
  description: trimmedText(0, 1000),
  status: fc.constantFrom(...chatbots.BotStatuses),
  instructions: plainText(0, Limits.botInstructionsMaxLength),
  model: fc
    .tuple(whitespace, fc.stringMatching(/^[A-Za-z0-9._:/-]{1,100}$/))
    .map(([pad, model]) => pad + model),
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  openaiApiKey: fc.option(trimmedText(20, 300), { nil: null }),
  offlineFallback: fc.boolean(),
  welcomeMessage: plainText(0, 1000),
  allowedOrigins: fc.array(origin, { maxLength: Limits.allowedOriginsMax }),
  appearance: optional(appearance),
  rateLimits: optional(rateLimits),
  leadCapture: optional(leadCapture),
  handoff: optional(handoff),
  retrieval: partialRetrieval,
};
const leadDetails = {
  email,
  name: trimmedText(1, 120, units),
  phone: fc.stringMatching(/^\+?[0-9().-][0-9 ().-]{3,38}[0-9().-]$/),
  company: trimmedText(1, 120, units),
  consent: fc.boolean(),
};
const leadFilters = {
  status: fc.constantFrom(...leads.LeadStatuses),
  botId: uuid,
  from: isoDateTime,
  to: isoDateTime,
  minScore: coercedInt(0, 100),
  search: trimmedText(1, 200),
};
const webhookFields = {
  url: httpUrl.filter((url) => url.length <= 2048),
  description: trimmedText(0, 255, units),
  events: fc.array(fc.constantFrom(...webhooks.WebhookEventNames), { minLength: 1, maxLength: 8 }),
  enabled: fc.boolean(),
};
const today = () => analytics.utcDayOf();
/** A range the analytics accept: at most maxDays long, `from` not after `to`; either end may be left out. */
const dayRange = fc
  .tuple(isoDay, fc.integer({ min: 0, max: analytics.AnalyticsLimits.maxDays - 1 }), fc.nat(3))
  .map(([to, back, ends]) => {
    if (ends === 0) return { from: analytics.addUtcDays(to, -back), to };
    if (ends === 1) return { to };
    if (ends === 2) return { from: analytics.addUtcDays(today(), -back) };
    return {};
  });
/** At least one field: what update schemas require. */
const someOf = <T extends object>(record: fc.Arbitrary<T>) =>
  record.filter((value) => Object.keys(value).length > 0);

// --- Limits every accepted value keeps ---------------------------------------------------------------------

/** Characters as zod's `.max` and PostgreSQL's varchar count them: code points. */
const within = (value: unknown, max: number, min = 0, what = 'value') => {
  if (value === undefined || value === null) return;
  assert.equal(typeof value, 'string', `${what} is a string`);
  const characters = [...(value as string)].length;
  assert.ok(characters >= min && characters <= max, `${what} has ${characters} characters`);
};
/**
 * A value stored in a bounded column fits it on every database: SQL Server's nvarchar(n) holds n UTF-16
 * code units, and a character outside the Basic Multilingual Plane (an emoji) takes two.
 */
const fitsColumn = (value: unknown, max: number, what: string) => {
  within(value, max, 0, what);
  if (typeof value === 'string')
    assert.ok(value.length <= max, `${what} takes ${value.length} UTF-16 units, over ${max}`);
};
const trimmed = (value: unknown, what: string) => {
  if (typeof value === 'string') assert.equal(value, value.trim(), `${what} is trimmed`);
};
const wholeIn = (value: unknown, min: number, max: number, what: string) => {
  if (value === undefined || value === null) return;
  assert.ok(Number.isInteger(value), `${what} is a whole number`);
  assert.ok((value as number) >= min && (value as number) <= max, `${what} = ${String(value)}`);
};
const emailLimits = (value: unknown) => {
  if (value === undefined) return;
  within(value, 254, 3, 'email');
  assert.equal(value, (value as string).toLowerCase(), 'email is lower case');
};
const nameLimits = (value: unknown, what = 'name') => {
  within(value, Limits.nameMaxLength, 1, what);
  fitsColumn(value, Limits.nameMaxLength, what);
  trimmed(value, what);
};
const messageLimits = (value: unknown, what = 'text') => {
  within(value, ChatLimits.messageMaxLength, 1, what);
  trimmed(value, what);
};
const pageLimits = (value: any) => {
  wholeIn(value.limit, 1, 100, 'limit');
  wholeIn(value.offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
};
const botLimits = (value: any) => {
  nameLimits(value.name);
  within(value.description, 1000, 0, 'description');
  within(value.instructions, Limits.botInstructionsMaxLength, 0, 'instructions');
  within(value.welcomeMessage, 1000, 0, 'welcomeMessage');
  if (value.allowedOrigins !== undefined) {
    assert.ok(value.allowedOrigins.length <= Limits.allowedOriginsMax, 'allowed origins');
    for (const allowed of value.allowedOrigins) assert.equal(allowed, new URL(allowed).origin);
  }
  const words = value.leadCapture?.triggerWords;
  if (words !== undefined) assert.ok(words.length <= Limits.leadTriggerWordsMax, 'trigger words');
  const range = value.retrieval;
  if (range?.chunkMinTokens !== undefined && range.chunkMaxTokens !== undefined) {
    assert.ok(range.chunkMinTokens <= range.chunkMaxTokens, 'chunk range');
  }
  if (typeof value.temperature === 'number') assert.ok(value.temperature >= 0 && value.temperature <= 2);
};
const leadLimits = (value: any) => {
  emailLimits(value.email);
  within(value.name, 120, 1, 'name');
  fitsColumn(value.name, 120, 'name');
  within(value.company, 120, 1, 'company');
  fitsColumn(value.company, 120, 'company');
  within(value.phone, 40, 5, 'phone');
};
const leadFilterLimits = (value: any) => {
  wholeIn(value.minScore, 0, 100, 'minScore');
  within(value.search, 200, 1, 'search');
  trimmed(value.search, 'search');
};
const rangeLimits = (value: any) => {
  assert.ok(value.from <= value.to, `${value.from} after ${value.to}`);
  assert.ok(analytics.utcDaysBetween(value.from, value.to) <= analytics.AnalyticsLimits.maxDays);
};

// --- The cases: one per exported schema ------------------------------------------------------------------

interface SchemaCase {
  /** What a well-behaved client may send: always accepted. */
  valid: fc.Arbitrary<unknown>;
  /** Limits of every accepted value, checked on whatever was accepted. */
  limits?: (value: any) => void;
  /** Inputs near a limit, accepted or not (the limits must hold on those accepted). */
  near?: fc.Arbitrary<unknown>;
  /** Why the output cannot be parsed again (the schema turns a query string into another type). */
  oneWay?: string;
}

const conversationRef = { conversationId: uuid };
const queryOneWay = "turns the query string's 'true' and 'false' into booleans";

const cases: Record<string, SchemaCase> = {
  'analytics.analyticsQuerySchema': {
    valid: fc
      .tuple(dayRange, fc.option(uuid, { nil: undefined }))
      .map(([range, botId]) => ({ ...range, ...(botId && { botId }) })),
    limits: rangeLimits,
    near: fc.record({ from: isoDay, to: isoDay }),
  },
  'analytics.unansweredQuestionsQuerySchema': {
    valid: fc
      .tuple(dayRange, optional({ limit: coercedInt(1, analytics.AnalyticsLimits.unansweredMax) }))
      .map(([range, rest]) => ({ ...range, ...rest })),
    limits: (value) => {
      rangeLimits(value);
      wholeIn(value.limit, 1, analytics.AnalyticsLimits.unansweredMax, 'limit');
    },
  },
  'assistant.assistantAskSchema': {
    valid: fc.record({ question: trimmedText(1, assistant.AssistantLimits.questionMaxLength) }),
    limits: (value) => within(value.question, assistant.AssistantLimits.questionMaxLength, 1),
    near: fc.record({ question: aroundLength(assistant.AssistantLimits.questionMaxLength) }),
  },
  'assistant.assistantSocketAskSchema': {
    valid: fc.record({
      question: trimmedText(1, assistant.AssistantLimits.questionMaxLength),
      clientMessageId,
    }),
    limits: (value) => within(value.question, assistant.AssistantLimits.questionMaxLength, 1),
  },
  'auth.acceptInvitationSchema': {
    valid: fc.record({ token, name, password }),
    limits: (value) => {
      nameLimits(value.name);
      within(value.password, Limits.passwordMaxLength, Limits.passwordMinLength, 'password');
    },
  },
  'auth.loginSchema': {
    valid: fc.record({ email, password: plainText(1, Limits.passwordMaxLength) }),
    limits: (value) => {
      emailLimits(value.email);
      within(value.password, Limits.passwordMaxLength, 1, 'password');
    },
    near: fc.record({ email, password: aroundLength(Limits.passwordMaxLength) }),
  },
  'auth.passwordSchema': {
    valid: password,
    limits: (value) => within(value, Limits.passwordMaxLength, Limits.passwordMinLength),
    near: fc.oneof(aroundLength(Limits.passwordMinLength), aroundLength(Limits.passwordMaxLength)),
  },
  'auth.refreshSchema': {
    valid: fc.record({ refreshToken: token }),
    limits: (v) => within(v.refreshToken, 200, 20),
  },
  'auth.registerSchema': {
    valid: fc.record({ email, password, name, companyName: name }),
    limits: (value) => {
      emailLimits(value.email);
      nameLimits(value.name);
      nameLimits(value.companyName, 'companyName');
      within(value.password, Limits.passwordMaxLength, Limits.passwordMinLength, 'password');
    },
    near: fc.record({ email, password, name: aroundLength(Limits.nameMaxLength), companyName: name }),
  },
  'chat.agentMessageSchema': {
    valid: optional({ text: messageText, clientMessageId }, ['text']),
    limits: (value) => messageLimits(value.text),
    near: fc.record({ text: aroundLength(ChatLimits.messageMaxLength) }),
  },
  'chat.botIdParamsSchema': { valid: fc.record({ botId: uuid }) },
  'chat.clientMessageIdSchema': { valid: clientMessageId, limits: (value) => within(value, 64, 8) },
  'chat.conversationIdParamsSchema': { valid: fc.record(conversationRef) },
  'chat.conversationRefSchema': { valid: fc.record(conversationRef) },
  'chat.joinConversationSchema': {
    valid: optional({ ...conversationRef, sinceSeq: fc.nat() }, ['conversationId']),
    limits: (value) => wholeIn(value.sinceSeq, 0, Number.MAX_SAFE_INTEGER, 'sinceSeq'),
  },
  'chat.languageTagSchema': {
    valid: languageTag,
    limits: (value) => {
      within(value, chat.LanguageTagMaxLength, 2);
      assert.equal(Intl.getCanonicalLocales(value)[0], value, 'canonical');
    },
    near: fc.oneof(aroundLength(chat.LanguageTagMaxLength), fc.stringMatching(/^[a-zA-Z0-9-]{1,40}$/)),
  },
  'chat.listConversationsQuerySchema': {
    valid: optional({
      ...pageQuery,
      botId: uuid,
      mode: fc.constantFrom(...chat.ConversationModes),
      waiting: fc.constantFrom('true', 'false'),
      open: fc.constantFrom('true', 'false'),
      from: isoDateTime,
      to: isoDateTime,
      activeSince: isoDateTime,
      search: trimmedText(1, 200),
    }),
    limits: (value) => {
      pageLimits(value);
      within(value.search, 200, 1, 'search');
    },
    oneWay: queryOneWay,
  },
  'chat.messageTextSchema': {
    valid: messageText,
    limits: (value) => messageLimits(value),
    near: aroundLength(ChatLimits.messageMaxLength),
  },
  'chat.publicChatSchema': {
    valid: optional({ ...conversationRef, message: messageText, clientMessageId }, [
      'conversationId',
      'message',
    ]),
    limits: (value) => messageLimits(value.message, 'message'),
  },
  'chat.sendMessageSchema': {
    valid: fc.record({ ...conversationRef, text: messageText, clientMessageId }),
    limits: (value) => messageLimits(value.text),
    near: fc.record({ ...conversationRef, text: aroundLength(ChatLimits.messageMaxLength), clientMessageId }),
  },
  'chat.startConversationSchema': {
    valid: fc.option(
      optional({ referrer: plainText(0, 2048), language: fc.oneof(languageTag, fc.jsonValue()) }),
      {
        nil: undefined,
      },
    ),
    limits: (value) => {
      within(value?.referrer, 2048, 0, 'referrer');
      within(value?.language, chat.LanguageTagMaxLength, 2, 'language');
    },
    near: fc.record({ referrer: aroundLength(2048), language: aroundLength(chat.LanguageTagMaxLength) }),
  },
  'chat.typingSchema': { valid: fc.record({ ...conversationRef, isTyping: fc.boolean() }) },
  'chatbots.appearanceSchema': {
    valid: fc.record(appearance),
    limits: (value) => {
      within(value.botName, 60, 1, 'botName');
      within(value.avatarUrl, 500, 1, 'avatarUrl');
    },
  },
  'chatbots.createBotSchema': {
    valid: optional(botFields, ['name']),
    limits: botLimits,
    near: fc.record({
      name: aroundLength(Limits.nameMaxLength),
      instructions: aroundLength(Limits.botInstructionsMaxLength),
      allowedOrigins: fc.array(origin, {
        minLength: Limits.allowedOriginsMax - 1,
        maxLength: Limits.allowedOriginsMax + 1,
      }),
      leadCapture: fc.record({
        triggerWords: fc.array(fc.constant('demo'), {
          minLength: Limits.leadTriggerWordsMax - 1,
          maxLength: Limits.leadTriggerWordsMax + 1,
        }),
      }),
    }),
  },
  'chatbots.handoffSchema': {
    valid: fc.record(handoff),
    limits: (v) => wholeIn(v.waitSeconds, 10, 3600, 'waitSeconds'),
  },
  'chatbots.leadCaptureSchema': {
    valid: fc.record(leadCapture),
    limits: (value) => botLimits({ leadCapture: value }),
  },
  'chatbots.listBotsQuerySchema': {
    valid: optional({
      ...pageQuery,
      status: fc.constantFrom(...chatbots.BotStatuses),
      search: trimmedText(0, 120),
    }),
    limits: (value) => {
      pageLimits(value);
      within(value.search, 120, 0, 'search');
    },
  },
  'chatbots.rateLimitsSchema': { valid: fc.record(rateLimits) },
  'chatbots.retrievalSchema': {
    valid: fc
      .tuple(fc.record(retrievalSettings), chunkRange)
      .map(([rest, [chunkMinTokens, chunkMaxTokens]]) => ({
        ...rest,
        chunkMinTokens,
        chunkMaxTokens,
      })),
  },
  'chatbots.updateBotSchema': { valid: someOf(optional(botFields)), limits: botLimits },
  'common.emailSchema': {
    valid: email,
    limits: emailLimits,
    near: aroundLength(254).map((s) => `${s}@example.com`),
  },
  'common.idParamsSchema': { valid: fc.record({ id: uuid }) },
  'common.idSchema': { valid: uuid },
  'common.pageQuerySchema': { valid: optional(pageQuery), limits: pageLimits },
  'documents.crawlSchema': {
    valid: optional(
      {
        mode: fc.constantFrom('sitemap', 'links'),
        maxPages: fc.integer({ min: 1, max: 100 }),
        depth: fc.integer({ min: 1, max: 3 }),
      },
      ['mode'],
    ),
    limits: (value) => {
      wholeIn(value.maxPages, 1, 100, 'maxPages');
      wholeIn(value.depth, 1, 3, 'depth');
    },
  },
  'documents.importUrlSchema': {
    valid: optional(
      {
        botId: uuid,
        url: httpUrl,
        crawl: fc.record({ mode: fc.constantFrom('sitemap' as const, 'links' as const) }),
      },
      ['botId', 'url'],
    ),
    near: fc.record({ botId: uuid, url: urlAround(2048) }),
    limits: (value) => {
      within(value.url, 2048, 1, 'url');
      fitsColumn(value.url, 2048, 'url (stored as the source URL)');
      assert.match(new URL(value.url).protocol, /^https?:$/);
    },
  },
  'documents.listDocumentsQuerySchema': {
    valid: optional(
      {
        ...pageQuery,
        botId: uuid,
        status: fc.constantFrom(...documents.DocumentStatuses),
        search: trimmedText(0, 255),
      },
      ['botId'],
    ),
    limits: (value) => {
      pageLimits(value);
      within(value.search, 255, 0, 'search');
    },
  },
  'documents.uploadDocumentsFieldsSchema': { valid: fc.record({ botId: uuid }) },
  'leads.captureLeadSchema': {
    valid: optional(leadDetails, ['email']),
    limits: leadLimits,
    near: fc.record({ email, name: aroundLength(120), company: aroundLength(120) }),
  },
  'leads.exportLeadsQuerySchema': { valid: optional(leadFilters), limits: leadFilterLimits },
  'leads.leadCaptureEventSchema': {
    valid: optional({ ...conversationRef, ...leadDetails }, ['conversationId', 'email']),
    limits: leadLimits,
  },
  'leads.leadNoteSchema': {
    valid: fc.record({ text: trimmedText(1, 4000) }),
    limits: (v) => within(v.text, 4000, 1),
  },
  'leads.listLeadsQuerySchema': {
    valid: optional({ ...pageQuery, ...leadFilters }),
    limits: (value) => {
      pageLimits(value);
      leadFilterLimits(value);
    },
  },
  'leads.updateLeadSchema': {
    valid: someOf(
      optional({
        status: fc.constantFrom(...leads.LeadStatuses),
        assigneeId: fc.option(uuid, { nil: null }),
      }),
    ),
  },
  'privacy.eraseVisitorSchema': {
    valid: fc.oneof(fc.record(conversationRef), fc.record({ email })),
    limits: (value) => emailLimits(value.email),
  },
  'privacy.retentionSettingsSchema': {
    valid: fc.record({
      retentionDays: fc.option(fc.integer({ min: 1, max: privacy.PrivacyLimits.retentionDaysMax }), {
        nil: null,
      }),
    }),
    limits: (value) =>
      wholeIn(value.retentionDays, 1, privacy.PrivacyLimits.retentionDaysMax, 'retentionDays'),
  },
  'privacy.visitorExportQuerySchema': {
    valid: fc.oneof(fc.record(conversationRef), fc.record({ email })),
    limits: (value) => {
      emailLimits(value.email);
      assert.ok(
        (value.email === undefined) !== (value.conversationId === undefined),
        'exactly one of the two',
      );
    },
  },
  'retrieval.retrievalTestSchema': {
    valid: optional({ query: messageText, limit: fc.integer({ min: 1, max: 50 }) }, ['query']),
    limits: (value) => {
      messageLimits(value.query, 'query');
      wholeIn(value.limit, 1, 50, 'limit');
    },
  },
  'users.inviteUserSchema': {
    valid: fc.record({ email, role: fc.constantFrom('admin' as const, 'agent' as const) }),
    limits: (value) => {
      emailLimits(value.email);
      assert.notEqual(value.role, 'owner', 'nobody is invited as owner');
    },
  },
  'users.updateUserSchema': { valid: fc.record({ role: fc.constantFrom(...auth.Roles) }) },
  'webhooks.createWebhookSchema': {
    valid: optional(webhookFields, ['url', 'events']),
    limits: (value) => webhookLimits(value),
    near: fc.record({
      url: urlAround(2048),
      description: aroundLength(255),
      events: fc.constant(['lead.created']),
    }),
  },
  'webhooks.listWebhookDeliveriesQuerySchema': { valid: optional(pageQuery), limits: pageLimits },
  'webhooks.listWebhooksQuerySchema': { valid: optional(pageQuery), limits: pageLimits },
  'webhooks.updateWebhookSchema': {
    valid: someOf(optional(webhookFields)),
    limits: (value) => webhookLimits(value),
  },
};

function webhookLimits(value: any) {
  fitsColumn(value.url, 2048, 'url');
  fitsColumn(value.description, 255, 'description');
  if (value.url !== undefined) assert.ok(!new URL(value.url).username && !new URL(value.url).password);
  if (value.events !== undefined)
    assert.equal(new Set(value.events).size, value.events.length, 'no duplicates');
}

// --- Hostile inputs, derived from each schema ------------------------------------------------------------

/** The fields of an object schema, through the wrappers (optional, pipes, defaults) around it. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  if (def.type === 'object') return def.shape;
  if (def.type === 'pipe') return shapeOf(def.in);
  if (['optional', 'nullable', 'default', 'catch', 'prefault'].includes(def.type))
    return shapeOf(def.innerType);
  return undefined;
}

/** What an attacker might put where a field goes: any JSON, long strings, numbers at the edges, what Express's query parser makes. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '__proto__',
    'constructor',
    'true',
    'NaN',
    '-0',
    '1e309',
    'ＡＢＣ',
    '𝒳'.repeat(3000),
    'x'.repeat(70_000),
    -1,
    -0,
    1.5,
    2 ** 53,
    Number.MAX_VALUE,
  ),
  fc.array(fc.string(), { maxLength: 3 }),
);

/** An object with the schema's own keys (nested schemas likewise), each holding a hostile value or a nested attempt. */
function shapedHostile(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const shape = shapeOf(schema);
  if (!shape || depth > 2) return hostileValue;
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [
      key,
      fc.oneof(hostileValue, shapedHostile(field, depth + 1)),
    ]),
  );
  return fc.record(fields, { requiredKeys: [] });
}

/** A valid input with one field replaced by a hostile value, or with a `__proto__` / `constructor` key of its own. */
function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, hostileValue, fc.nat(), fc.constantFrom('replace', '__proto__', 'constructor'))
    .map(([value, hostile, index, how]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return hostile;
      if (how !== 'replace') {
        // Through JSON.parse, as a request body is read: `__proto__` becomes an own key, not the prototype.
        const rest = JSON.stringify(value).slice(1);
        return JSON.parse(`{"${how}":${JSON.stringify(hostile)}${rest === '}' ? '' : ','}${rest}`);
      }
      const keys = Object.keys(value);
      if (keys.length === 0) return { [String(index)]: hostile };
      return { ...value, [keys[index % keys.length]!]: hostile };
    });
}

// --- The properties --------------------------------------------------------------------------------------

/** Parses, and fails on anything but a result or a ZodError. */
function parse(schema: z.ZodType, input: unknown) {
  let result: ReturnType<z.ZodType['safeParse']>;
  try {
    result = schema.safeParse(input);
  } catch (error) {
    assert.fail(`safeParse threw ${String(error)} for ${JSON.stringify(input)?.slice(0, 300)}`);
  }
  if (!result.success) assert.ok(result.error instanceof z.ZodError, 'a failure is a ZodError');
  return result;
}

/** An accepted value parses again to itself (unless the schema is one-way), and keeps the limits. */
function checkAccepted(name: string, schemaCase: SchemaCase, schema: z.ZodType, value: unknown) {
  schemaCase.limits?.(value);
  if (schemaCase.oneWay) return;
  const again = parse(schema, value);
  assert.ok(again.success, `${name}: its own output is refused: ${again.error?.message}`);
  assert.deepEqual(again.data, value, `${name}: parsing its output changes it`);
}

const exported = Object.entries(modules).flatMap(([module, exports]) =>
  Object.entries(exports)
    .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType)
    .map(([name, schema]) => [`${module}.${name}`, schema] as const),
);

describe('request schemas (property-based)', () => {
  it('has a case for every exported schema, and no case without one', () => {
    assert.deepEqual(Object.keys(cases).sort(), exported.map(([name]) => name).sort());
  });

  it('answers any JSON with a result or a ZodError, never another exception', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        for (const [name, schema] of exported) {
          const result = parse(schema, input);
          if (result.success) checkAccepted(name, cases[name]!, schema, result.data);
        }
      }),
      runs(300),
    );
  });

  for (const [name, schema] of exported) {
    const schemaCase = cases[name]!;
    describe(name, () => {
      it('accepts what a well-behaved client sends, parses its output to itself, and keeps the limits', () => {
        fc.assert(
          fc.property(schemaCase.valid, (input) => {
            const result = parse(schema, input);
            assert.ok(
              result.success,
              `refused ${JSON.stringify(input)?.slice(0, 300)}: ${result.error?.message}`,
            );
            checkAccepted(name, schemaCase, schema, result.data);
          }),
          runs(60),
        );
      });

      it('answers hostile and near-limit inputs without throwing; whatever it accepts keeps the limits', () => {
        const inputs = fc.oneof(
          shapedHostile(schema),
          mutated(schemaCase.valid),
          ...(schemaCase.near ? [schemaCase.near] : []),
        );
        fc.assert(
          fc.property(inputs, (input) => {
            const result = parse(schema, input);
            if (result.success) checkAccepted(name, schemaCase, schema, result.data);
          }),
          runs(120),
        );
      });
    });
  }
});
