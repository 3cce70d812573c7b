/** Limits shared by the server, the widget and the dashboard, so a client can check before it sends. */
export const Limits = {
  /** Largest JSON request body the API accepts. */
  jsonBodyBytes: 1024 * 1024,
  /** Largest uploaded document. */
  uploadBytes: 25 * 1024 * 1024,
  passwordMinLength: 10,
  passwordMaxLength: 200,
  nameMaxLength: 120,
  botInstructionsMaxLength: 8000,
  allowedOriginsMax: 50,
  leadTriggerWordsMax: 50,
} as const;

/** The floor rates of the platform (requests a minute), defaults for each bot. */
export const DefaultRateLimits = {
  globalPerMinute: 1000,
  botPerMinute: 100,
  ipPerMinute: 20,
} as const;

/**
 * What each bot may spend on its model by default, in tokens (prompt and completion together), so that
 * no conversation and no day is unbounded (OWASP LLM10). Past a budget the bot answers offline.
 */
export const DefaultTokenBudgets = {
  /** About forty questions with five passages of context each. */
  perConversation: 200_000,
  perDay: 5_000_000,
} as const;

/** Limits of the chat. */
export const ChatLimits = {
  /** Longest message a visitor or an agent may send, in characters. */
  messageMaxLength: 4000,
  /** Messages a join or a watch replays at most; older ones come from the REST API. */
  replayMax: 500,
} as const;
