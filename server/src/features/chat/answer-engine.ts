import type { ChatMessage, MessageDelta, MessageState, SourceRef } from '@chatbot/shared';
import { raw, type EntityManager } from '@mikro-orm/core';
import {
  ChatModelError,
  Conversation,
  Message,
  OFFLINE_MODEL,
  createChatModel,
  llmCost,
  llmTokens,
  offlineAnswerer,
  priceUsd,
  timeToFirstToken,
  type Cache,
  type ChatCompletion,
  type ChatModel,
  type ChatTurn,
  type Logger,
  type SecretBox,
  namesSubject,
  countTokens,
} from '@chatbot/shared/platform';
import { appendMessage } from '../conversations/conversation-messages';
import type { ChatEvents } from '../conversations/chat-events';
import { presentConversation, presentMessage } from '../conversations/conversations.presenter';
import { addDailyUsage } from '../conversations/daily-usage';
import { AnswerCache } from './answer-cache';
import { botApiKey, type BotConfig } from './bot-configs';
import { budgetNotes, spentBudget } from './token-budget';
import { GrowingAnswer } from './growing-answer';
import { abstentionText } from './abstention';
import { DisclosureDetected, DisclosureGuard, disclosureRefusalText } from './disclosure-guard';
import { botSetup, buildMessages, type HistoryTurn } from './prompt';
import {
  citedSources,
  keepKnownCitations,
  type Passage,
  type Retrieval,
  type Retriever,
} from '../retrieval/retrieval';

export interface AnswerEngineDeps {
  retriever: Retriever;
  secretBox: SecretBox;
  cache: Cache;
  events: ChatEvents;
  logger: Logger;
  /** The platform's OpenAI settings: its key answers for bots without their own. */
  openai: { apiKey?: string; baseURL?: string };
  /** Longest silence of the model before the answer is cut off. */
  modelIdleTimeoutMs?: number;
}

/** Extra listeners of one answer: the public REST endpoint streams it to its own client. */
export interface AnswerListener {
  onStart?(message: ChatMessage): void;
  onDelta?(delta: MessageDelta): void;
}

export interface AnswerResult {
  message: ChatMessage;
  sources: SourceRef[];
}

/** What the visitor reads when no answer could be given at all; the reason goes to the admin. */
const stoppedReason = 'Stopped: a person from the team took the conversation over.';

export const apologyText =
  "Sorry, I can't answer right now. Please try again in a moment, or ask to talk to a person.";

/** What the visitor reads when the documents could not be searched and nothing was found without them. */
export const searchDownText =
  "Sorry, I can't look through my documents right now. Please try again in a moment, or ask to talk to a person.";

/** What the admin reads on an answer given while a search was down (Chroma or the embedding model). */
const searchDownReason =
  'The documents could not be searched in full: the vector store or the embedding model was unreachable.';

/**
 * Answers a visitor's question from the bot's documents: retrieve passages, build the prompt, stream the
 * model's answer to the conversation as it comes (saving it as it grows), then record the sources it cites
 * and what it cost. A failing model falls back to the offline answerer when the bot allows it; either way
 * the visitor gets an answer or an apology, never silence.
 */
export class AnswerEngine {
  private readonly answers: AnswerCache;
  /** The answers this node is streaming now, so a client joining mid-answer gets all that was said. */
  private readonly live = new Map<string, GrowingAnswer>();
  /** How to stop the answer being written in a conversation (a person took it over). */
  private readonly stoppers = new Map<string, AbortController>();

  constructor(private readonly deps: AnswerEngineDeps) {
    this.answers = new AnswerCache(deps.cache);
  }

  /**
   * Call inside the tenant's scope. `question` is the visitor's stored message; `history` are the turns
   * before it, oldest first. Resolves with null when a person took the conversation over before the answer
   * began.
   */
  async answer(
    em: EntityManager,
    bot: BotConfig,
    conversation: Conversation,
    question: Pick<Message, 'id' | 'content'>,
    history: HistoryTurn[],
    listener: AnswerListener = {},
  ): Promise<AnswerResult | null> {
    const { events } = this.deps;
    const conversationId = conversation.id;
    const startedAt = performance.now();
    const stopper = new AbortController();
    this.stoppers.set(conversationId, stopper);
    // The bot "thinks" until its answer starts to stream (or fails to).
    let thinking = true;
    const stopThinking = () => {
      if (thinking) events.typing({ conversationId, role: 'bot', isTyping: false });
      thinking = false;
    };
    events.typing({ conversationId, role: 'bot', isTyping: true });
    try {
      const apiKey = botApiKey(this.deps.secretBox, bot, this.deps.openai.apiKey);
      const cacheKey = history.some((turn) => turn.role === 'visitor')
        ? null
        : await this.answers.key(bot, question.content);
      const cached = cacheKey ? await this.answers.get(cacheKey) : undefined;
      // A spent budget leaves the model out altogether, the question's rewrite included.
      const budget = cached ? null : await spentBudget(em, bot, conversationId);
      const model = budget
        ? offlineAnswerer
        : createChatModel({
            apiKey,
            baseURL: this.deps.openai.baseURL,
            idleTimeoutMs: this.deps.modelIdleTimeoutMs,
          });
      const retrieval = cached
        ? null
        : await this.deps.retriever.retrieve(
            bot,
            apiKey,
            question.content,
            history,
            model.provider === 'offline' ? null : model,
            stopper.signal,
          );
      // Nothing in the documents answers: the bot says so itself, without asking a model to guess. Small
      // talk goes to the model (the offline answerer has nothing to quote and says so in its own words).
      const abstains = retrieval !== null && !retrieval.answerable && !retrieval.smallTalk;
      // Unless a search failed: then the documents may well answer, and the visitor is told to try again.
      const searchDown = abstains && retrieval.impaired;

      if (stopper.signal.aborted) return null;
      const { message: stored, conversation: counted } = await appendMessage(em, {
        conversation,
        role: 'bot',
        content: '',
        state: 'streaming',
        countUsage: false,
        model: cached?.model ?? (model.provider === 'offline' || abstains ? OFFLINE_MODEL : bot.model),
      });
      const started = presentMessage(stored);
      events.messageNew(bot.tenantId, started);
      listener.onStart?.(started);

      const source = cached ? 'cache' : abstains ? 'abstention' : 'model';
      let firstToken = true;
      const stream = new GrowingAnswer(em, stored, (delta) => {
        if (firstToken) timeToFirstToken.observe({ source }, (performance.now() - startedAt) / 1000);
        firstToken = false;
        stopThinking();
        events.messageDelta(delta);
        listener.onDelta?.(delta);
      });
      this.live.set(stored.id, stream);
      let outcome: Outcome;
      try {
        if (cached) {
          stream.push(cached.content);
          outcome = { ...answered(cached.model, cached.sources), unanswered: cached.unanswered === true };
        } else if (searchDown) {
          stream.push(searchDownText);
          outcome = failed(OFFLINE_MODEL, searchDownReason);
        } else if (abstains) {
          stream.push(abstentionText(bot));
          outcome = { ...answered(OFFLINE_MODEL, []), unanswered: true };
        } else {
          const { passages, query, termWeight, rewrite } = retrieval!;
          outcome = await this.generate(bot, model, stream, {
            // The offline answerer looks for the question's own words, or a model's standalone rewrite:
            // the earlier question that retrieval searched with would draw it back to the earlier answer.
            question: rewrite ? query : question.content,
            termWeight,
            passages,
            messages: buildMessages(bot, passages, history, question.content),
            signal: stopper.signal,
          });
          outcome.content = keepKnownCitations(outcome.content ?? stream.content, passages);
          outcome.sources = citedSources(outcome.content, passages);
          // From half a search: the admin learns why, and the answer is not cached in place of a full one.
          if (retrieval!.impaired) outcome.error ??= searchDownReason;
        }
        // The admin learns why the bot answered offline; an answer with a note is not cached.
        if (budget) outcome.error ??= budgetNotes[budget];
      } catch (error) {
        // A failure of ours, not the model's: the visitor still gets an answer that ends.
        this.deps.logger.error({ err: error, botId: bot.id }, 'answering failed');
        stream.push(stream.content ? `\n\n${apologyText}` : apologyText);
        outcome = failed(bot.model, 'Internal error.');
      }
      const message = await this.finish(em, bot, counted, stored, stream, {
        outcome,
        question,
        rewrite: retrieval?.rewrite ?? null,
      }).finally(() => this.live.delete(stored.id));
      if (cacheKey && !cached && outcome.state === 'complete' && !outcome.error) {
        await this.answers.set(cacheKey, {
          content: message.content,
          sources: message.sources,
          model: outcome.model,
          ...(outcome.unanswered && { unanswered: true }),
        });
      }
      return { message, sources: message.sources };
    } finally {
      stopThinking();
      if (this.stoppers.get(conversationId) === stopper) this.stoppers.delete(conversationId);
    }
  }

  private async generate(
    bot: BotConfig,
    model: ChatModel,
    stream: GrowingAnswer,
    prompt: {
      question: string;
      termWeight: (term: string) => number;
      passages: Passage[];
      messages: ReturnType<typeof buildMessages>;
      signal: AbortSignal;
    },
  ): Promise<Outcome> {
    const request = {
      model: bot.model,
      temperature: bot.temperature,
      messages: prompt.messages,
      question: prompt.question,
      termWeight: prompt.termWeight,
      context: prompt.passages,
      signal: prompt.signal,
    };
    // The model's words reach the visitor through the guard, which holds back a short tail to check it.
    const guard = new DisclosureGuard([botSetup(bot)]);
    let said = '';
    const onDelta = (text: string) => {
      said += text;
      stream.push(guard.push(text));
    };
    try {
      const completion = await model.complete(request, onDelta);
      stream.push(guard.flush());
      return completed(completion, null);
    } catch (error) {
      if (error instanceof DisclosureDetected) {
        this.deps.logger.warn({ botId: bot.id }, 'an answer repeating the bot setup was refused');
        return refused(bot.model, prompt.messages, said);
      }
      stream.push(guard.flush());
      if (!(error instanceof ChatModelError)) throw error;
      if (error.reason === 'aborted') {
        // A person took over: what was said stays, and nothing is added.
        return failed(bot.model, stoppedReason);
      }
      this.deps.logger.warn({ err: error, botId: bot.id, reason: error.reason }, 'the model failed');
      // Falling back makes sense only if nothing was said yet: two answers glued together would confuse.
      if (bot.offlineFallback && model.provider !== 'offline' && stream.content === '') {
        const completion = await offlineAnswerer.complete(request, (text) => stream.push(text));
        return completed(completion, error.message);
      }
      stream.push(stream.content ? `\n\n${apologyText}` : apologyText);
      return failed(bot.model, error.message);
    }
  }

  /**
   * Writes the finished answer and its cost (with that of rewriting the question), marks an unanswered
   * question, and tells everyone the answer is done.
   */
  private async finish(
    em: EntityManager,
    bot: BotConfig,
    conversation: Conversation,
    stored: Message,
    stream: GrowingAnswer,
    {
      outcome,
      question,
      rewrite,
    }: { outcome: Outcome; question: Pick<Message, 'id' | 'content'>; rewrite: Retrieval['rewrite'] },
  ): Promise<ChatMessage> {
    await stream.settle();
    const content = outcome.content ?? stream.content;
    const spent = [
      ...(outcome.usage ? [{ model: outcome.model, usage: outcome.usage }] : []),
      ...(rewrite ? [rewrite] : []),
    ];
    const promptTokens = spent.reduce((sum, { usage }) => sum + usage.promptTokens, 0);
    const completionTokens = spent.reduce((sum, { usage }) => sum + usage.completionTokens, 0);
    const costUsd = spent.reduce((sum, { model, usage }) => sum + priceUsd(model, usage), 0);
    llmTokens.inc({ bot_id: bot.id, kind: 'prompt' }, promptTokens);
    llmTokens.inc({ bot_id: bot.id, kind: 'completion' }, completionTokens);
    llmCost.inc({ bot_id: bot.id }, costUsd);
    const fork = em.fork();
    await fork.nativeUpdate(
      Message,
      { id: stored.id },
      {
        content,
        state: outcome.state,
        sources: outcome.sources,
        model: outcome.model,
        tokensIn: promptTokens,
        tokensOut: completionTokens,
        costUsd,
        error: outcome.error,
        unanswered: outcome.unanswered,
        updatedAt: new Date(),
      },
    );
    // A greeting or a bare "and that?" is not a gap in the knowledge base: only real questions are listed.
    const unansweredQuestion = outcome.unanswered && namesSubject(question.content);
    if (unansweredQuestion) await fork.nativeUpdate(Message, { id: question.id }, { unanswered: true });
    if (promptTokens || completionTokens) {
      await fork.nativeUpdate(
        Conversation,
        { id: conversation.id },
        {
          tokensIn: raw('tokens_in + ?', [promptTokens]),
          tokensOut: raw('tokens_out + ?', [completionTokens]),
          costUsd: raw('cost_usd + ?', [costUsd]),
        },
      );
    }
    // The answer counts in the day's messages now, with what it cost, in one increment.
    await addDailyUsage(em, bot.id, {
      messages: 1,
      tokensIn: promptTokens,
      tokensOut: completionTokens,
      costUsd,
      unanswered: unansweredQuestion ? 1 : 0,
    });
    Object.assign(stored, {
      content,
      state: outcome.state,
      sources: outcome.sources,
      unanswered: outcome.unanswered,
    });
    // The inbox row as the answer's own transaction read it, plus what the answer just added.
    this.deps.events.conversationUpdated(
      bot.tenantId,
      presentConversation(conversation, {
        tokensIn: conversation.tokensIn + promptTokens,
        tokensOut: conversation.tokensOut + completionTokens,
        costUsd: conversation.costUsd + costUsd,
      }),
    );
    this.deps.events.messageDone(bot.tenantId, {
      conversationId: conversation.id,
      messageId: stored.id,
      content,
      state: outcome.state,
      sources: outcome.sources,
      usage: { promptTokens, completionTokens, costUsd },
      ...(outcome.unanswered && { unanswered: true as const }),
    });
    return presentMessage(stored);
  }

  /** Stops the answer this node is writing in the conversation, if any. */
  stop(conversationId: string): void {
    this.stoppers.get(conversationId)?.abort();
  }

  /** The text so far of the answers among `messageIds` that this node is streaming. */
  liveContents(messageIds: string[]): Record<string, string> {
    const contents: Record<string, string> = {};
    for (const id of messageIds) {
      const stream = this.live.get(id);
      if (stream) contents[id] = stream.content;
    }
    return contents;
  }
}

interface Outcome {
  state: MessageState;
  model: string;
  /** The answer as stored, when it differs from what was streamed (citations of no passage removed). */
  content?: string;
  sources: SourceRef[];
  usage: { promptTokens: number; completionTokens: number } | null;
  /** For the admin: why the configured model did not answer. */
  error: string | null;
  /** The bot said the documents do not answer. */
  unanswered: boolean;
}

function completed(completion: ChatCompletion, error: string | null): Outcome {
  return { ...answered(completion.model, []), usage: completion.usage, error };
}

function answered(model: string, sources: SourceRef[]): Outcome {
  return { state: 'complete', model, sources, usage: null, error: null, unanswered: false };
}

/**
 * The refusal that replaces an answer repeating the bot's setup. The model was stopped before it reported
 * its usage: the tokens are estimated, so the budgets still count them.
 */
function refused(model: string, messages: ChatTurn[], said: string): Outcome {
  const promptTokens = messages.reduce((sum, message) => sum + 4 + countTokens(message.content), 0);
  return {
    state: 'complete',
    model,
    content: disclosureRefusalText,
    sources: [],
    usage: { promptTokens, completionTokens: countTokens(said) },
    error: "Refused: the answer repeated the bot's instructions or rules.",
    unanswered: false,
  };
}

function failed(model: string, error: string): Outcome {
  return { state: 'failed', model, sources: [], usage: null, error, unanswered: false };
}
