import { randomBytes } from 'node:crypto';
import { botDefaults } from '@chatbot/shared';
import type { MikroORM } from '@mikro-orm/core';
import { Chatbot, Tenant, User, runAsSystem } from '@chatbot/shared/platform';
import { hashPassword } from '../auth/passwords';
import { DEFAULT_EMBEDDING_MODEL } from '../bots/bots.service';

export const DEMO_EMAIL = 'demo@example.com';

export interface DemoLogin {
  email: string;
  password: string;
  botId: string;
}

/**
 * On the first boot of an empty platform, creates a demo tenant, its owner and one published bot, so a
 * newcomer can sign in at once. Returns the login (its password exists nowhere else) or null when the
 * platform already has tenants.
 */
export function seedDemo(orm: MikroORM): Promise<DemoLogin | null> {
  return runAsSystem('demo seed', async () => {
    const em = orm.em.fork();
    if (await em.count(Tenant)) return null;
    const password = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    return em.transactional(async (tx) => {
      const tenant = tx.create(Tenant, { name: 'Demo Company' });
      tx.create(User, { tenant, email: DEMO_EMAIL, name: 'Demo Owner', passwordHash, role: 'owner' });
      const bot = tx.create(Chatbot, {
        ...botDefaults,
        tenant,
        name: 'Demo Assistant',
        description: 'A demo bot. Upload documents to teach it about your business.',
        status: 'published',
        embeddingModel: DEFAULT_EMBEDDING_MODEL,
      });
      return { email: DEMO_EMAIL, password, botId: bot.id };
    });
  });
}
