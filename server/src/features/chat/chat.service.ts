import { randomUUID } from 'node:crypto';
import { ChatLimits, type ChatMessage, type ConversationState } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Conversation, Message, type Logger } from '@chatbot/shared/platform';
import { conflict, notFound } from '../../http/http-error';
import { appendMessage, messagesSince } from '../conversations/conversation-messages';
import type { ChatEvents } from '../conversations/chat-events';
import { presentConversation, presentMessage } from '../conversations/conversations.presenter';
import type { ConversationsService } from '../conversations/conversations.service';
import { addDailyUsage } from '../conversations/daily-usage';
import { askForLeadOnIntent } from '../leads/lead-intent';
import { claimGraceMs, failOrphan } from './orphaned-answers';
import type { AnswerEngine, AnswerListener, AnswerResult } from './answer-engine';
import type { BotConfig } from './bot-configs';
import type { HistoryTurn } from './prompt';
import type { Peers } from '../../socket/socket-server';

/** Where a conversation was started from, for the admin's context. */
export interface VisitorContext {
  ip: string | null;
  userAgent: string | null;
  referrer: string | null;
  /** A canonical BCP 47 tag (see canonicalLanguageTag), or absent when unknown. */
  language?: string | null;
}

/** Earlier messages an answer may look back on (the prompt keeps those within its token budget). */
const historyMessages = 20;

/** Words a visitor uses to ask for a person instead of the bot. */
const humanRequest =
  /\b(talk|speak|chat)\s+(to|with)\s+(a|an|the|some)?\s*(human|person|agent|operator|representative|someone|real person)\b|\b(human|live)\s+(agent|support|person|operator)\b/i;

/**
 * Whether the conversation may end with a question nobody is answering, judged from what a join loaded:
 * most joins see the bot's last answer, or a person in charge, and need not ask the database or the nodes.
 */
function mayAwaitAnswer(conversation: Conversation, loaded: Message[]): boolean {
  if (conversation.mode !== 'bot' || conversation.handoffRequestedAt) return false;
  const last = loaded.filter((message) => message.role !== 'system').at(-1);
  return loaded.length >= ChatLimits.replayMax || !last || last.role === 'visitor';
}

/** The visitor's side of a conversation: start or resume, send, ask for a person. */
export class ChatService {
  /** One answer at a time per conversation on this node, in the order the questions came. */
  private readonly answering = new Map<string, Promise<unknown>>();
  /** The visitor messages this node has taken to answer, until their answer is done. */
  private readonly questions = new Set<string>();

  constructor(
    private readonly conversations: ConversationsService,
    private readonly engine: AnswerEngine,
    private readonly events: ChatEvents,
    private readonly logger: Logger,
    private readonly peers: Peers,
  ) {}

  /** Starts a conversation with the bot, recording where the visitor came from. Call in the bot's tenant. */
  async start(em: EntityManager, bot: BotConfig, visitorId: string | null, context: VisitorContext) {
    const conversation = em.create(Conversation, {
      bot: bot.id,
      visitorId: visitorId ?? randomUUID(),
      visitorIp: context.ip,
      userAgent: context.userAgent?.slice(0, 400) ?? null,
      referrer: context.referrer?.slice(0, 2048) ?? null,
      visitorLanguage: context.language ?? null,
      // The inbox sorts by last activity: a conversation without messages yet is as recent as its start.
      lastMessageAt: new Date(),
    });
    await em.flush();
    await addDailyUsage(em, bot.id, { conversations: 1 });
    this.events.conversationUpdated(bot.tenantId, presentConversation(conversation));
    return conversation;
  }

  /** The visitor's conversation, open or not; another bot's (or tenant's) is not found. */
  async find(em: EntityManager, bot: BotConfig, conversationId: string): Promise<Conversation> {
    const conversation = await em.findOne(Conversation, { id: conversationId, bot: bot.id });
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }

  async state(em: EntityManager, conversation: Conversation): Promise<ConversationState> {
    await em.populate(conversation, ['assignedAgent']);
    return {
      conversationId: conversation.id,
      mode: conversation.mode,
      agentName: conversation.assignedAgent?.getEntity().name ?? null,
      handoffRequestedAt: conversation.handoffRequestedAt?.toISOString() ?? null,
    };
  }

  /**
   * The messages after `sinceSeq`. An answer still being streamed comes with all that was said so far,
   * asked of the node writing it (its saved text can be up to a quarter of a second behind), so a client
   * that joined its room first continues from the live deltas without a gap. An answer that no node is
   * writing any more (its node died) is closed as failed and, given the bot, answered again at once.
   */
  async replay(
    em: EntityManager,
    conversation: Conversation,
    sinceSeq?: number,
    audience: 'visitor' | 'staff' = 'visitor',
    bot?: BotConfig,
  ): Promise<ChatMessage[]> {
    const stored = await messagesSince(em, conversation.id, sinceSeq);
    const streaming = stored.filter((message) => message.state === 'streaming');
    const live = streaming.length ? await this.liveContents(streaming.map((message) => message.id)) : {};
    const unclaimed = live ? streaming.filter((message) => !(message.id in live)) : [];
    if (bot && unclaimed.length) {
      this.resumeInterrupted(em.fork(), bot, conversation, unclaimed).catch((error: unknown) =>
        this.logger.error({ err: error, conversationId: conversation.id }, 'resuming an answer failed'),
      );
    } else if (bot && !streaming.length && mayAwaitAnswer(conversation, stored)) {
      this.answerUnanswered(em.fork(), bot, conversation).catch((error: unknown) =>
        this.logger.error(
          { err: error, conversationId: conversation.id },
          'answering a left question failed',
        ),
      );
    }
    return stored.map((message) => {
      const view = presentMessage(message, undefined, audience);
      const text = live?.[message.id];
      if (text !== undefined && text.length > view.content.length) view.content = text;
      return view;
    });
  }

  /** What every node is streaming of these answers; null when a node did not say (it may hold some). */
  private async liveContents(messageIds: string[]): Promise<Record<string, string> | null> {
    const peers = await this.peers.liveContents(messageIds);
    return peers && { ...peers, ...this.claimedHere(messageIds) };
  }

  /**
   * What this node tells the others of these messages: the text so far of the answers it is streaming,
   * and an empty text for the questions it is answering (retrieving, or queued behind another answer).
   */
  claimedHere(messageIds: string[]): Record<string, string> {
    const claimed = this.engine.liveContents(messageIds);
    for (const id of messageIds) if (this.questions.has(id)) claimed[id] ??= '';
    return claimed;
  }

  /**
   * A conversation whose last message is a visitor's, in the bot's hands: its node may have died after
   * storing the question and before the answer's row existed. Unclaimed by every node twice, a grace
   * apart (the question is stored a moment before its node takes it), the question is answered here.
   */
  private async answerUnanswered(em: EntityManager, bot: BotConfig, conversation: Conversation) {
    const last = async () => {
      const [message] = await em.find(
        Message,
        { conversation: conversation.id, role: { $ne: 'system' } },
        { orderBy: { seq: 'desc' }, limit: 1 },
      );
      const current = await em.findOneOrFail(Conversation, conversation.id, { refresh: true });
      const waiting = current.mode === 'bot' && !current.handoffRequestedAt && message?.role === 'visitor';
      return waiting ? { question: message, current } : null;
    };
    const first = await last();
    if (!first || !(await this.unclaimed(first.question.id))) return;
    await new Promise((resolve) => setTimeout(resolve, claimGraceMs));
    const again = await last();
    if (again?.question.id !== first.question.id || !(await this.unclaimed(first.question.id))) return;
    // Another join on this node may have taken it during the last check.
    if (this.questions.has(again.question.id)) return;
    await this.respond(em, bot, again.current, again.question);
  }

  private async unclaimed(messageId: string): Promise<boolean> {
    const live = await this.liveContents([messageId]);
    return live !== null && !(messageId in live);
  }

  /**
   * Answers stored as `streaming` that no node claimed: asked again a moment later (an answer's row is
   * stored just before its writer registers it), those still unclaimed lost their node. Each is closed as
   * failed with what was said, and the question of the last is answered again when nothing came after it:
   * the visitor whose node died mid-answer still gets the answer.
   */
  private async resumeInterrupted(
    em: EntityManager,
    bot: BotConfig,
    conversation: Conversation,
    candidates: Message[],
  ): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, claimGraceMs));
    const live = await this.liveContents(candidates.map((message) => message.id));
    if (!live) return;
    for (const orphan of candidates) {
      if (orphan.id in live || !(await failOrphan(em, this.events, orphan))) continue;
      const [question, later, current] = await Promise.all([
        em.findOne(Message, { conversation: conversation.id, seq: orphan.seq - 1, role: 'visitor' }),
        em.count(Message, { conversation: conversation.id, seq: { $gt: orphan.seq } }),
        // As it is now: an agent may have taken it over meanwhile, and then the bot keeps quiet.
        em.findOneOrFail(Conversation, conversation.id),
      ]);
      if (question && later === 0) await this.respond(em, bot, current, question);
    }
  }

  /**
   * Stores the visitor's message and, when the bot has the conversation, starts its answer (or the handoff
   * the visitor asked for). Resolves once the message is stored; `answer` settles when the reply is done.
   * A message sent again (same clientMessageId) is acknowledged again and answered only once.
   */
  async send(
    em: EntityManager,
    bot: BotConfig,
    conversation: Conversation,
    input: { text: string; clientMessageId?: string },
    listener?: AnswerListener,
  ): Promise<{ message: ChatMessage; answer: Promise<AnswerResult | null> }> {
    if (conversation.mode === 'closed') throw conflict('This conversation has ended; start a new one.');
    const stored = await appendMessage(em, {
      conversation,
      role: 'visitor',
      content: input.text,
      clientMessageId: input.clientMessageId,
    });
    const view = presentMessage(stored.message);
    if (!stored.created) return { message: view, answer: Promise.resolve(null) };
    this.events.messageNew(bot.tenantId, view);
    this.events.conversationUpdated(bot.tenantId, presentConversation(stored.conversation));
    return { message: view, answer: this.respond(em, bot, stored.conversation, stored.message, listener) };
  }

  /**
   * Waits (up to `timeoutMs`) for the answers being written on this node, so a shutdown cuts none off;
   * answers that start meanwhile (visitors stay connected while the node drains) are waited for too.
   */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.answering.size && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.answering.values()]),
        new Promise((resolve) => (timer = setTimeout(resolve, deadline - Date.now()))),
      ]);
      clearTimeout(timer);
    }
  }

  requestHandoff(em: EntityManager, bot: BotConfig, conversation: Conversation): Promise<void> {
    return this.conversations.requestHandoff(em, conversation, bot);
  }

  /** `stored` is the conversation as the question's transaction left it. */
  private respond(
    em: EntityManager,
    bot: BotConfig,
    stored: Conversation,
    question: Message,
    listener?: AnswerListener,
  ): Promise<AnswerResult | null> {
    const previous = this.answering.get(stored.id);
    this.questions.add(question.id);
    const next = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        // Behind another answer, the conversation may have changed meanwhile (taken over, say).
        const conversation = previous ? await em.fork().findOneOrFail(Conversation, stored.id) : stored;
        // A person has the conversation, or the visitor waits for one: the bot keeps quiet.
        if (conversation.mode !== 'bot' || conversation.handoffRequestedAt) return null;
        if (humanRequest.test(question.content)) {
          await this.conversations.requestHandoff(em, conversation, bot);
          return null;
        }
        const answer = await this.engine.answer(
          em,
          bot,
          conversation,
          question,
          await this.history(em, conversation, question.seq),
          listener,
        );
        // Once the answer is done, a visitor who shows buying intent is asked for contact details.
        if (answer) {
          await askForLeadOnIntent(
            em,
            { events: this.events, logger: this.logger },
            bot,
            conversation,
            question.content,
          );
        }
        return answer;
      });
    this.answering.set(stored.id, next);
    void next
      .catch((error: unknown) =>
        this.logger.error({ err: error, conversationId: stored.id }, 'answering failed'),
      )
      .finally(() => {
        this.questions.delete(question.id);
        if (this.answering.get(stored.id) === next) this.answering.delete(stored.id);
      });
    return next;
  }

  private async history(em: EntityManager, conversation: Conversation, beforeSeq: number) {
    const earlier = await em.fork().find(
      Message,
      {
        conversation: conversation.id,
        seq: { $lt: beforeSeq },
        role: { $ne: 'system' },
        state: 'complete',
      },
      { orderBy: { seq: 'desc' }, limit: historyMessages, fields: ['role', 'content', 'seq'] },
    );
    return earlier
      .reverse()
      .map((message) => ({ role: message.role, content: message.content }) as HistoryTurn);
  }
}
