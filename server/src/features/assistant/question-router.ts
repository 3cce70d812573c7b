import type { AssistantTool } from './tools';

/**
 * A question about how to do something: the documentation answers it first, even when it names a figure
 * ("how do I see my leads?" is not "how many leads"). "How many" and "how much" are not how-to questions.
 */
const howTo =
  /^\s*(?:how (?:do|can|should|would|could) (?:i|we|you|one)\b|how to\b|where (?:do|can|should|is|are) |can (?:i|we) |is (?:it|there) (?:possible|a way)|explain\b|what happens (?:when|if)\b|why (?:do|does|is|are|did)\b)/i;

/** What the offline assistant makes of a question. */
export interface Route {
  howTo: boolean;
  /** The figure it asks for, with the arguments its words imply. */
  tool?: { tool: AssistantTool; args: Record<string, unknown> };
}

/**
 * Routes a question by its words, for the offline assistant, which understands nothing: the first tool
 * (in the order of `tools`) whose words the question holds, and whether it is a how-to question.
 */
export function routeQuestion(question: string, tools: readonly AssistantTool[], now: Date): Route {
  const tool = tools.find((candidate) => candidate.matches.test(question));
  return {
    howTo: howTo.test(question),
    ...(tool ? { tool: { tool, args: tool.argsFrom?.(question, now) ?? {} } } : {}),
  };
}
