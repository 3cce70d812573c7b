import type { MikroORM } from '@mikro-orm/core';
import { Chatbot } from '../db/entities/chatbot.entity';
import { Webhook } from '../db/entities/webhook.entity';
import { runAsSystem } from '../db/tenant-context';
import type { SecretBox } from './secret-box';

/** Every sealed column and the context its ciphertexts are bound to. */
const sealedColumns = [
  { entity: Chatbot, field: 'openaiApiKeySealed', context: (id: string) => `chatbot:${id}:openaiApiKey` },
  { entity: Webhook, field: 'secretSealed', context: (id: string) => `webhook:${id}:secret` },
] as const;

/**
 * Re-encrypts every secret sealed under an older master key version with the current one, in batches, each
 * batch in its own transaction. Safe to run again: what is already current is left alone.
 */
export async function rotateSealedSecrets(
  orm: MikroORM,
  secretBox: SecretBox,
  batchSize = 200,
): Promise<number> {
  return runAsSystem('master key rotation', async () => {
    let rotated = 0;
    for (const column of sealedColumns) {
      let offset = 0;
      for (;;) {
        const em = orm.em.fork();
        const rows = (await em.find(
          column.entity as typeof Chatbot,
          { [column.field]: { $ne: null } },
          {
            fields: ['id', column.field as 'openaiApiKeySealed'],
            orderBy: { id: 'asc' },
            limit: batchSize,
            offset,
          },
        )) as unknown as Array<{ id: string } & Record<string, string>>;
        if (!rows.length) break;
        offset += rows.length;
        await em.transactional(async (tx) => {
          for (const row of rows) {
            const sealed = row[column.field]!;
            if (!secretBox.isStale(sealed)) continue;
            const context = column.context(row.id);
            const resealed = secretBox.encrypt(secretBox.decrypt(sealed, context), context);
            await tx.nativeUpdate(
              column.entity as typeof Chatbot,
              { id: row.id },
              { [column.field]: resealed },
            );
            rotated++;
          }
        });
      }
    }
    return rotated;
  });
}
