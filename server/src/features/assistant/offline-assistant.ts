import { OFFLINE_MODEL, namesSubject, offlineAnswerer } from '@chatbot/shared/platform';
import { citedSources, keepKnownCitations } from '../retrieval/retrieval';
import { streamText, type AssistantAnswer, type OnDelta } from './answer';
import type { DocsRetrieval } from './docs/docs-search';
import { routeQuestion } from './question-router';
import type { AssistantTool } from './tools';
import type { Asker, ToolRunner } from './tools/run-tool';

/** What the offline assistant needs. */
export interface OfflineAssistantDeps {
  tools: readonly AssistantTool[];
  runner: ToolRunner;
}

/**
 * Answers without a model: a question naming a figure runs the tool its words match and says the result in
 * a sentence; a how-to question (or one no tool matches) is answered by quoting the documentation, as the
 * chat's offline answerer quotes a bot's documents, with citations; anything else (small talk included)
 * gets what the assistant can and cannot do.
 */
export class OfflineAssistant {
  constructor(private readonly deps: OfflineAssistantDeps) {}

  async answer(
    asker: Asker,
    question: string,
    docs: DocsRetrieval,
    onDelta: OnDelta,
    signal?: AbortSignal,
  ): Promise<AssistantAnswer> {
    const route = routeQuestion(question, this.deps.tools, new Date());
    // "Hello" finds the documentation's own examples of small talk: it is not a question about it.
    const fromDocs = docs.answerable && namesSubject(question);
    if (fromDocs && (route.howTo || !route.tool)) return this.fromDocs(question, docs, onDelta, signal);
    if (route.tool) {
      const { tool, args } = route.tool;
      const call = await this.deps.runner.run(asker, tool.name, args);
      const error = call.result.error;
      const content =
        typeof error === 'string' ? `I could not look that up: ${error}` : tool.summarize(call.result);
      await streamText(content, onDelta, signal);
      return { content, sources: [], toolCalls: [call], state: 'complete' };
    }
    const content = this.capabilities();
    await streamText(content, onDelta, signal);
    return { content, sources: [], toolCalls: [], state: 'complete' };
  }

  private async fromDocs(
    question: string,
    docs: DocsRetrieval,
    onDelta: OnDelta,
    signal?: AbortSignal,
  ): Promise<AssistantAnswer> {
    const completion = await offlineAnswerer.complete(
      {
        model: OFFLINE_MODEL,
        temperature: 0,
        messages: [],
        question,
        context: docs.passages,
        termWeight: docs.termWeight,
        signal,
      },
      onDelta,
    );
    const content = keepKnownCitations(completion.content, docs.passages);
    return { content, sources: citedSources(content, docs.passages), toolCalls: [], state: 'complete' };
  }

  /** What it can do, for a question it could not place. */
  private capabilities(): string {
    const labels = this.deps.tools.map((tool) => tool.label);
    return (
      "I couldn't match that question to what I know. I can explain how to use the platform, from its " +
      'documentation (ask, for example, "how do I upload a document?"), and look up these figures of your ' +
      `account: ${labels.slice(0, -1).join('; ')}; and ${labels.at(-1)}. ` +
      "I can't change anything, and I only see your own account."
    );
  }
}
