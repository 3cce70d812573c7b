import { activeBotsTool } from './active-bots.tool';
import { busiestHoursTool } from './busiest-hours.tool';
import { conversationsTodayTool } from './conversations-today.tool';
import { leadsThisMonthTool } from './leads-this-month.tool';
import { openHandoffsTool } from './open-handoffs.tool';
import { tokenUsageTool } from './token-usage.tool';
import type { AssistantTool } from './tool';
import { unansweredQuestionsTool } from './unanswered-questions.tool';

export type { AssistantTool, ToolResult } from './tool';

/**
 * Every figure the assistant can look up. The order is the offline router's: the first tool whose words a
 * question holds answers it, so the more specific come first ("conversations waiting for a person" is
 * about handoffs, "tokens my bots used" about usage, not about bots).
 */
export const assistantTools: readonly AssistantTool[] = [
  openHandoffsTool,
  busiestHoursTool,
  unansweredQuestionsTool,
  tokenUsageTool,
  leadsThisMonthTool,
  conversationsTodayTool,
  activeBotsTool,
] as AssistantTool[];
