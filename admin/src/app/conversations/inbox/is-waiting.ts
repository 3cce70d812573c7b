import type { ConversationSummary } from '@chatbot/shared';

// Types only from @chatbot/shared: the shell loads this up front (handoff alerts), and a value import would
// bring every schema of the contract into the first download.

/** Waiting for a person: the bot still has it and the visitor asked for someone. */
export const isWaiting = (row: Pick<ConversationSummary, 'mode' | 'handoffRequestedAt'>) =>
  row.mode === 'bot' && row.handoffRequestedAt !== null;
