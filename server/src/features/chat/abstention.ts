import type { BotConfig } from './bot-configs';

/**
 * What the bot says when its documents do not answer: that it does not know (never a guess), and what the
 * visitor can do instead, as far as the bot allows it. The widget shows the matching buttons under it.
 */
export function abstentionText(bot: Pick<BotConfig, 'handoff' | 'leadCapture'>): string {
  const dontKnow = "I'm sorry, I don't know: the documents I have don't answer that.";
  const person = bot.handoff.enabled;
  const contact = bot.leadCapture.enabled;
  if (person && contact) {
    return `${dontKnow} Would you like to talk to a person from the team, or leave your contact details so they can get back to you?`;
  }
  if (person) return `${dontKnow} Would you like to talk to a person from the team?`;
  if (contact) return `${dontKnow} You can leave your contact details so the team can get back to you.`;
  return `${dontKnow} Could you ask it another way?`;
}
