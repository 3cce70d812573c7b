import type { AssistantToolCall } from '@chatbot/shared';
import { createOpenAIClient } from '@chatbot/shared/platform';
import type OpenAI from 'openai';
import type { OnDelta } from './answer';
import type { FunctionToolSpec } from './tools/tool-specs';

/** Rounds of tool calls before the model must answer with what it has. */
const maxToolRounds = 3;
/** Calls of one round carried out at most; a model asking for more gets the first ones. */
const maxCallsPerRound = 8;

export interface OpenAIAssistantOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Longest silence of the model, before its first chunk or between two, in milliseconds. */
  idleTimeoutMs: number;
}

/** One question for the model. */
export interface ModelQuestion {
  system: string;
  question: string;
  tools: FunctionToolSpec[];
  /** Carries out one call of the model; never throws (a refusal is an `{ error }` result). */
  runTool: (name: string, args: string) => Promise<AssistantToolCall>;
  onDelta: OnDelta;
  /** Each call carried out, as it is: the caller keeps them even if the model fails afterwards. */
  toolCalls: AssistantToolCall[];
  signal?: AbortSignal;
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * The assistant's model: OpenAI's chat completions with function calling, through the official SDK, every
 * round streamed. While the model asks for tools (at most three rounds), their results go back to it as
 * `tool` messages; then it must answer (`tool_choice: 'none'`). Its text streams to `onDelta` as it comes,
 * in whichever round it comes. The SDK retries 429 and 5xx; a silence of `idleTimeoutMs` cuts it off.
 */
export class OpenAIAssistant {
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAIAssistantOptions) {
    this.client = createOpenAIClient({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: 2,
      timeoutMs: options.idleTimeoutMs,
    });
  }

  /** The answer's whole text; rejects with the SDK's error (or an idle timeout) if the model fails. */
  async answer(input: ModelQuestion): Promise<string> {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: input.system },
      { role: 'user', content: input.question },
    ];
    let content = '';
    for (let round = 0; ; round++) {
      const offerTools = round < maxToolRounds;
      const turn = await this.turn(messages, input, offerTools);
      content += turn.text;
      const calls = turn.calls.slice(0, maxCallsPerRound);
      if (!offerTools || calls.length === 0) return content;
      messages.push({
        role: 'assistant',
        content: turn.text || null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of calls) {
        const done = await input.runTool(call.name, call.arguments);
        input.toolCalls.push(done);
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(done.result) });
      }
    }
  }

  /** One streamed completion: its text (sent on as it comes) and the calls it asks for. */
  private async turn(
    messages: OpenAI.Chat.ChatCompletionMessageParam[],
    input: ModelQuestion,
    offerTools: boolean,
  ): Promise<{ text: string; calls: PendingCall[] }> {
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new Error('the model went silent')), this.options.idleTimeoutMs);
    };
    const signal = input.signal ? AbortSignal.any([input.signal, idle.signal]) : idle.signal;
    let text = '';
    const calls: PendingCall[] = [];
    let finished = false;
    touch();
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.options.model,
          messages,
          stream: true,
          temperature: 0.2,
          tools: input.tools,
          tool_choice: offerTools ? 'auto' : 'none',
        },
        { signal },
      );
      for await (const chunk of stream) {
        touch();
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta.content) {
          text += choice.delta.content;
          input.onDelta(choice.delta.content);
        }
        for (const piece of choice.delta.tool_calls ?? []) {
          const call = (calls[piece.index] ??= { id: '', name: '', arguments: '' });
          if (piece.id) call.id = piece.id;
          call.name += piece.function?.name ?? '';
          call.arguments += piece.function?.arguments ?? '';
        }
        if (choice.finish_reason) finished = true;
      }
    } finally {
      clearTimeout(timer);
    }
    // The SDK ends a stream quietly when its request is aborted, as if the answer were complete.
    signal.throwIfAborted();
    if (!finished) throw new Error('The model stopped in the middle of its answer.');
    return { text, calls: calls.filter((call) => call.id && call.name) };
  }
}
