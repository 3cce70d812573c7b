import type { z } from 'zod';
import { assistantSocketAskSchema } from '../api/assistant.schema';
import {
  conversationRefSchema,
  joinConversationSchema,
  sendMessageSchema,
  typingSchema,
} from '../api/chat.schema';
import { leadCaptureEventSchema } from '../api/leads.schema';
import type { AdminClientToServerEvents, WidgetClientToServerEvents } from './events';

/** Each event of a map with the schema of its payload, which must parse into what the event's type says. */
type PayloadSchemas<Events> = {
  [E in keyof Events]: Events[E] extends (payload: infer P, ...rest: never[]) => void ? z.ZodType<P> : never;
};

/**
 * Every event a visitor's browser may send on `/widget`, with the schema the server validates it with.
 * The event maps are types only; this is their one runtime list (the handlers take their schemas from
 * it, and the attack-surface tests walk it), kept complete by the compiler: an event added to the type
 * and missing here, or listed here and not in the type, does not compile.
 */
export const widgetClientEvents = {
  'conversation:join': joinConversationSchema,
  'message:send': sendMessageSchema,
  typing: typingSchema,
  'handoff:request': conversationRefSchema,
  'lead:capture': leadCaptureEventSchema,
  'lead:decline': conversationRefSchema,
} as const satisfies PayloadSchemas<WidgetClientToServerEvents>;

/** Every event the dashboard may send on `/admin`, as {@link widgetClientEvents} is for `/widget`. */
export const adminClientEvents = {
  'conversation:watch': joinConversationSchema,
  'conversation:unwatch': conversationRefSchema,
  'conversation:takeover': conversationRefSchema,
  'conversation:release': conversationRefSchema,
  'conversation:close': conversationRefSchema,
  'message:send': sendMessageSchema,
  typing: typingSchema,
  'assistant:ask': assistantSocketAskSchema,
} as const satisfies PayloadSchemas<AdminClientToServerEvents>;
