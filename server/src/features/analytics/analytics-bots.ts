import type { EntityManager } from '@mikro-orm/core';
import { Chatbot, currentTenantId } from '@chatbot/shared/platform';
import { notFound } from '../../http/http-error';

export interface BotName {
  id: string;
  name: string;
}

/**
 * The bots an analytics query covers: the one it names, or every bot of the tenant. A bot of another
 * tenant is not found, exactly like one that does not exist.
 */
export async function botsCovered(em: EntityManager, botId?: string): Promise<BotName[]> {
  const bots = await em.find(
    Chatbot,
    { tenant: currentTenantId(), ...(botId ? { id: botId } : {}) },
    { fields: ['id', 'name'], orderBy: { name: 'asc', id: 'asc' } },
  );
  if (botId && !bots.length) throw notFound('Chatbot');
  return bots.map((bot) => ({ id: bot.id, name: bot.name }));
}
