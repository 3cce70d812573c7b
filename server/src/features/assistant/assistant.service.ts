import { AssistantLimits, type AssistantStatusResponse, type AssistantToolCall } from '@chatbot/shared';
import { createEmbedder, type Logger, type Platform } from '@chatbot/shared/platform';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ServerEnv } from '../../config/env';
import { rateLimited } from '../../http/http-error';
import { citedSources, keepKnownCitations } from '../retrieval/retrieval';
import type { AssistantAnswer, OnDelta } from './answer';
import { assistantPrompt } from './assistant-prompt';
import { readDocsFiles } from './docs/docs-files';
import { DocsIndexer } from './docs/docs-indexer';
import { DocsSearch, type DocsPassage } from './docs/docs-search';
import { OfflineAssistant } from './offline-assistant';
import { OpenAIAssistant } from './openai-assistant';
import { assistantTools } from './tools';
import { ToolRunner, type Asker } from './tools/run-tool';
import { toolSpecs, type FunctionToolSpec } from './tools/tool-specs';

export type { Asker } from './tools/run-tool';

/** The model of the platform's assistant (it is the platform's, with OPENAI_API_KEY, not a bot's). */
export const assistantModel = 'gpt-4o-mini';

export interface AssistantDeps {
  env: ServerEnv;
  platform: Platform;
  logger: Logger;
}

/**
 * The admin assistant: answers the dashboard's users about how to use the platform (from its
 * documentation, indexed at start-up into a collection of its own) and about their account's figures
 * (tools that read the asking user's tenant only). With OPENAI_API_KEY a model answers, calling the tools;
 * without one, or when the model fails before saying anything, the offline assistant does.
 */
export class Assistant {
  private readonly docs: DocsIndexer;
  private readonly search: DocsSearch;
  private readonly runner: ToolRunner;
  private readonly offline: OfflineAssistant;
  private readonly model: OpenAIAssistant | null;
  private readonly specs: FunctionToolSpec[] = toolSpecs(assistantTools);
  private readonly limiter: RateLimiterAbstract;
  private readonly logger: Logger;

  constructor({ env, platform, logger }: AssistantDeps) {
    this.logger = logger;
    const embedder = createEmbedder({ apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL });
    const { vectors, cache } = platform;
    this.docs = new DocsIndexer({ vectors, cache, logger, embedder, files: () => readDocsFiles() });
    this.search = new DocsSearch({ vectors, cache, logger, embedder, ready: () => this.docs.ready() });
    this.runner = new ToolRunner({
      orm: platform.orm,
      dialect: platform.database.dialect,
      logger,
      tools: assistantTools,
    });
    this.offline = new OfflineAssistant({ tools: assistantTools, runner: this.runner });
    this.model = env.OPENAI_API_KEY
      ? new OpenAIAssistant({
          apiKey: env.OPENAI_API_KEY,
          baseURL: env.OPENAI_BASE_URL,
          model: assistantModel,
          idleTimeoutMs: env.MODEL_IDLE_TIMEOUT_MS,
        })
      : null;
    this.limiter = platform.limiters({
      keyPrefix: 'assistant-user',
      points: AssistantLimits.questionsPerMinute,
      durationSeconds: 60,
    });
  }

  /** Indexes the documentation in the background (at start-up); questions asked meanwhile wait for it. */
  start(): void {
    this.docs.start();
  }

  /** Lets go of the vector store (the indexing stops between two batches). */
  stop(): Promise<void> {
    return this.docs.stop();
  }

  status(): AssistantStatusResponse {
    return { knowledge: this.docs.status() };
  }

  /**
   * Spends one of the user's questions of the minute (socket and REST share them).
   * @throws HttpError 429 `rate_limited` with the seconds to wait.
   */
  async spend(userId: string): Promise<void> {
    try {
      await this.limiter.consume(userId);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
  }

  /** Answers one question of a signed-in user, streaming the text to `onDelta` as it is written. */
  async ask(
    asker: Asker,
    question: string,
    onDelta: OnDelta = () => {},
    signal?: AbortSignal,
  ): Promise<AssistantAnswer> {
    const docs = await this.search.search(question);
    if (this.model) {
      let said = '';
      const toolCalls: AssistantToolCall[] = [];
      try {
        const content = await this.model.answer({
          system: assistantPrompt(docs.passages, new Date()),
          question,
          tools: this.specs,
          runTool: (name, args) => this.runner.run(asker, name, args),
          onDelta: (text) => {
            said += text;
            onDelta(text);
          },
          toolCalls,
          signal,
        });
        return modelAnswer(content, docs.passages, toolCalls, 'complete');
      } catch (error) {
        if (signal?.aborted) throw error;
        this.logger.warn({ err: error }, 'the assistant model failed');
        // Once it has said something, the model's words stay; before, the offline assistant answers.
        if (said) return modelAnswer(said, docs.passages, toolCalls, 'failed');
      }
    }
    return this.offline.answer(asker, question, docs, onDelta, signal);
  }
}

/** The model's text without the citations that name no passage, and the sources it does cite. */
function modelAnswer(
  text: string,
  passages: DocsPassage[],
  toolCalls: AssistantToolCall[],
  state: AssistantAnswer['state'],
): AssistantAnswer {
  const content = keepKnownCitations(text, passages);
  return { content, sources: citedSources(content, passages), toolCalls, state };
}
