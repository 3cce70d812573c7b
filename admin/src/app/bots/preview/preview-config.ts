import { appearanceSchema, botDefaults, type BotView, type PublicBotConfig } from '@chatbot/shared';
import type { BotFormModel } from '../edit/bot-form-model';

/**
 * What the live preview shows: the bot's public settings as they are being typed. A value that is not
 * valid yet (a colour half typed) shows the saved one instead, so the widget never draws a broken state.
 */
export function previewConfig(model: BotFormModel, bot: BotView | null): PublicBotConfig {
  const saved = bot?.appearance ?? botDefaults.appearance;
  const shape = appearanceSchema.shape;
  const valid = <K extends keyof typeof shape>(key: K, value: unknown): BotView['appearance'][K] =>
    (shape[key].safeParse(value).success ? value : saved[key]) as BotView['appearance'][K];
  return {
    id: bot?.id ?? '',
    name: model.name.trim() || bot?.name || 'New chatbot',
    welcomeMessage: model.welcomeMessage,
    appearance: {
      primaryColor: valid('primaryColor', model.appearance.primaryColor),
      botName: valid('botName', model.appearance.botName),
      avatarUrl: saved.avatarUrl,
      position: valid('position', model.appearance.position),
      language: valid('language', model.appearance.language),
    },
    leadCapture: { enabled: model.leadCapture.enabled },
    handoff: { enabled: model.handoff.enabled },
  };
}
