import { idSchema } from '@chatbot/shared';
import type { EntityManager } from '@mikro-orm/core';
import { Chatbot, type Dialect } from '@chatbot/shared/platform';
import type { z } from 'zod';

/** What a tool reads with: an entity manager inside the asking user's tenant scope. */
export interface ToolContext {
  em: EntityManager;
  /** For the few aggregates that need SQL of their own (the hour of a timestamp). */
  dialect: Dialect;
  now: Date;
}

/** A figure the model may read. Results are plain JSON, sent back to the model as they are. */
export type ToolResult = Record<string, unknown>;

/**
 * One figure of the account the assistant can look up. The arguments are a zod schema (strict: an
 * argument the tool does not know, such as a tenant id, is refused); the model is offered its JSON schema,
 * and what the model sends is validated with it before `run`. Nothing a tool is given can name a tenant:
 * it runs in the asking user's scope, and a bot id is checked to be the tenant's ({@link ownBot}).
 */
export interface AssistantTool<A extends z.ZodObject = z.ZodObject> {
  /** snake_case, as OpenAI's function names. */
  name: string;
  /** For the model. */
  description: string;
  /** What it looks up, in a few words, for the answer that says what the assistant can do. */
  label: string;
  args: A;
  /** Offline: whether a question asks for this figure. */
  matches: RegExp;
  /** Offline: the arguments a question implies ("over the last 14 days"); none by default. */
  argsFrom?: (question: string, now: Date) => Partial<z.infer<A>>;
  run(context: ToolContext, args: z.infer<A>): Promise<ToolResult>;
  /** Offline: the result said in a sentence. */
  summarize(result: ToolResult): string;
}

/** Declares a tool, so that `run` and `argsFrom` know the type of its arguments. */
export const defineTool = <A extends z.ZodObject>(tool: AssistantTool<A>): AssistantTool<A> => tool;

/** A refusal the model may read (an unknown bot): the reason becomes the tool's `{ error }` result. */
export class ToolError extends Error {
  override name = 'ToolError';
}

/** The optional `botId` argument of the tools that can look at one bot. */
export const botIdArg = idSchema
  .optional()
  .describe('Only this bot of the account (its id); all bots when absent.');

/** A bot a result is about. */
export type BotRef = Pick<Chatbot, 'id' | 'name'>;

/**
 * The bot named by a tool's argument, found in the tenant's scope: another tenant's bot is not found, the
 * same as an id that exists nowhere, so the refusal tells nothing about it.
 */
export async function ownBot(em: EntityManager, botId: string | undefined): Promise<BotRef | undefined> {
  if (botId === undefined) return undefined;
  const bot = await em.findOne(Chatbot, botId, { fields: ['id', 'name'] });
  if (!bot) throw new ToolError('There is no bot with this id in this account.');
  return bot;
}

/** `{ bot: { id, name } }` for a result about one bot, nothing otherwise. */
export const botPart = (bot: BotRef | undefined) => (bot ? { bot: { id: bot.id, name: bot.name } } : {});

/** The bot a result is about, if it is about one. */
const botOf = (result: ToolResult) => result.bot as { name: string } | undefined;

/** " for Support bot" after a sentence about one bot, nothing otherwise. */
export const forBot = (result: ToolResult) => (botOf(result) ? ` for ${botOf(result)!.name}` : '');

/** "Support bot" for a result about one bot, else `all` ("your bots"). */
export const botsOf = (result: ToolResult, all: string) => botOf(result)?.name ?? all;

/** 1234 → "1,234". */
export const count = (n: unknown) => Number(n).toLocaleString('en-US');

/** "1 lead", "2 leads". */
export const plural = (n: unknown, one: string, many = `${one}s`) =>
  `${count(n)} ${Number(n) === 1 ? one : many}`;
