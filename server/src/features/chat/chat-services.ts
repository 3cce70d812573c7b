import type { Logger, Platform } from '@chatbot/shared/platform';
import type { ServerEnv } from '../../config/env';
import type { Peers } from '../../socket/socket-server';
import type { ChatEvents } from '../conversations/chat-events';
import { ConversationsService } from '../conversations/conversations.service';
import { LeadCapture } from '../leads/capture-lead';
import { VisitorAccess } from '../public/visitor-access';
import { VisitorLimits } from '../public/visitor-limits';
import { VisitorTokens } from '../public/visitor-tokens';
import { LexicalIndexes } from '../retrieval/lexical-indexes';
import { Retriever } from '../retrieval/retrieval';
import { AnswerEngine } from './answer-engine';
import { BotConfigs } from './bot-configs';
import { ChatService } from './chat.service';
import { expireOrphanedAnswers } from './orphaned-answers';

export type ChatServices = ReturnType<typeof createChatServices>;

/** The chat side of the server, wired once and shared by the REST routes and both socket namespaces. */
export function createChatServices(deps: {
  env: ServerEnv;
  platform: Platform;
  logger: Logger;
  events: ChatEvents;
  peers: Peers;
  jwtSecret: string;
}) {
  const { env, platform, logger, events } = deps;
  const bots = new BotConfigs(platform.orm, platform.cache);
  const openai = { apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL };
  const retriever = new Retriever({
    vectors: platform.vectors,
    lexical: new LexicalIndexes({ vectors: platform.vectors, cache: platform.cache }),
    logger,
    openai,
  });
  const engine = new AnswerEngine({
    retriever,
    secretBox: platform.secretBox,
    cache: platform.cache,
    events,
    logger,
    openai,
    modelIdleTimeoutMs: env.MODEL_IDLE_TIMEOUT_MS,
  });
  // A person taking over stops the bot's answer, wherever it is being written.
  const conversations = new ConversationsService(events, logger, platform.queue, (conversationId) => {
    engine.stop(conversationId);
    deps.peers.stopAnswer(conversationId);
  });
  const chat = new ChatService(conversations, engine, events, logger, deps.peers);
  deps.peers.serve({
    liveContents: (messageIds) => chat.claimedHere(messageIds),
    stop: (conversationId) => engine.stop(conversationId),
  });
  return {
    bots,
    retriever,
    conversations,
    events,
    access: new VisitorAccess(bots, new VisitorTokens(deps.jwtSecret, env.VISITOR_TOKEN_TTL_DAYS * 86_400)),
    limits: new VisitorLimits(platform.limiters, env.RATE_LIMIT_GLOBAL_PER_MINUTE),
    chat,
    leads: new LeadCapture(events, platform.queue),
    /** Housekeeping every node runs periodically; conditional updates let one node win each item. */
    sweep: () =>
      Promise.all([conversations.expireHandoffs(platform.orm), expireOrphanedAnswers(platform.orm, events)]),
  };
}
