import {
  botDefaults,
  type BotView,
  type CreateBotInput,
  createBotSchema,
  type UpdateBotInput,
} from '@chatbot/shared';
import type { FieldTree } from '@angular/forms/signals';

/**
 * The bot form's value: the bot's settings as the form edits them. Lists are text (allowed origins one a
 * line, trigger words separated by commas) and the OpenAI key is what was typed: empty leaves the stored
 * key as it is. The avatar is not here: it is uploaded on its own.
 */
export interface BotFormModel {
  name: string;
  description: string;
  instructions: string;
  model: string;
  temperature: number;
  offlineFallback: boolean;
  openaiApiKey: string;
  welcomeMessage: string;
  appearance: {
    primaryColor: string;
    botName: string;
    position: BotView['appearance']['position'];
    language: string;
  };
  leadCapture: { enabled: boolean; triggerWords: string };
  handoff: { enabled: boolean; waitSeconds: number };
  rateLimits: BotView['rateLimits'];
  allowedOrigins: string;
  retrieval: BotView['retrieval'];
}

/** The settings of a bot as the form shows them; with no bot, those a new bot starts with. */
export function fromBot(bot: BotView | null): BotFormModel {
  const source = bot ?? { ...botDefaults, name: '' };
  const { primaryColor, botName, position, language } = source.appearance;
  return {
    name: source.name,
    description: source.description,
    instructions: source.instructions,
    model: source.model,
    temperature: source.temperature,
    offlineFallback: source.offlineFallback,
    openaiApiKey: '',
    welcomeMessage: source.welcomeMessage,
    appearance: { primaryColor, botName, position, language },
    leadCapture: {
      enabled: source.leadCapture.enabled,
      triggerWords: source.leadCapture.triggerWords.join(', '),
    },
    handoff: { ...source.handoff },
    rateLimits: { ...source.rateLimits },
    allowedOrigins: source.allowedOrigins.join('\n'),
    retrieval: { ...source.retrieval },
  };
}

/** The request body the form's value stands for (every setting; the key only when one was typed). */
export function toInput(model: BotFormModel): CreateBotInput {
  const { openaiApiKey, allowedOrigins, leadCapture, ...rest } = model;
  const key = openaiApiKey.trim();
  return {
    ...rest,
    ...(key ? { openaiApiKey: key } : {}),
    allowedOrigins: splitList(allowedOrigins, /\n/),
    leadCapture: { enabled: leadCapture.enabled, triggerWords: splitList(leadCapture.triggerWords, /[,\n]/) },
  };
}

/** What changed between two values of the form, as a PATCH body: changed fields, and of nested settings the changed keys. */
export function changesBetween(before: BotFormModel, after: BotFormModel): UpdateBotInput {
  const old = toInput(before) as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(toInput(after))) {
    if (same(value, old[key])) continue;
    changes[key] = isPlainObject(value) ? changedKeys(value, old[key] as Record<string, unknown>) : value;
  }
  return changes as UpdateBotInput;
}

/** One error of a form field, in the shape signal forms and `submit()` take. */
export interface FieldProblem {
  kind: string;
  message: string;
  fieldTree: FieldTree<unknown>;
}

/**
 * The errors of the form's value against the very schema the server validates with, each on its field.
 * The same paths come back from the server (`appearance.primaryColor`, `allowedOrigins.2`), so both go
 * through {@link problemAt}.
 */
export function validateBotForm(form: FieldTree<BotFormModel>, value: BotFormModel): FieldProblem[] {
  const result = createBotSchema.safeParse(toInput(value));
  if (result.success) return [];
  return result.error.issues.map((issue) => problemAt(form, issue.path.map(String).join('.'), issue.message));
}

/**
 * An error at a dotted path, put on the deepest field of the form that holds it: an item of a list the
 * form edits as text (`allowedOrigins.2`) goes to the list's field, saying which line; an unknown path
 * to the form itself.
 */
export function problemAt(
  form: FieldTree<BotFormModel>,
  path: string,
  message: string,
  kind = 'schema',
): FieldProblem {
  let field = form as unknown as FieldTree<unknown>;
  let name = '';
  const keys = path ? path.split('.') : [];
  while (keys.length) {
    const value = field().value();
    if (!isPlainObject(value) || !(keys[0]! in value)) break;
    name = keys.shift()!;
    field = (field as unknown as Record<string, FieldTree<unknown>>)[name]!;
  }
  const item = keys.length === 1 && /^\d+$/.test(keys[0]!) ? Number(keys[0]) + 1 : null;
  const label = item === null ? null : `${listItemNames[name] ?? 'Item'} ${item}`;
  return { kind, fieldTree: field, message: label ? `${label}: ${message}` : message };
}

/** What one entry of a list the form edits as text is called, in an error about it. */
const listItemNames: Record<string, string> = { allowedOrigins: 'Origin', triggerWords: 'Trigger word' };

function splitList(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

function changedKeys(
  after: Record<string, unknown>,
  before: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(after).filter(([key, value]) => !same(value, before[key])));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
