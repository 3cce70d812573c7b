/**
 * `npm run keys:rotate`: re-encrypts every stored secret under MASTER_KEY (version MASTER_KEY_VERSION).
 * Set the new key and version, list the old ones in PREVIOUS_MASTER_KEYS, run this, then drop the old keys.
 */
import {
  createLogger,
  createPlatform,
  parseEnv,
  platformEnvSchema,
  resolveSecret,
  rotateSealedSecrets,
} from '@chatbot/shared/platform';

const env = parseEnv(platformEnvSchema);
const logger = createLogger({ level: env.LOG_LEVEL, name: 'keys-rotate' });
const platform = await createPlatform({ env, masterKey: resolveSecret(env, 'masterKey'), logger });
try {
  const rotated = await rotateSealedSecrets(platform.orm, platform.secretBox);
  console.log(
    `re-encrypted ${rotated} secret(s) under master key version ${platform.secretBox.currentVersion}`,
  );
} finally {
  await platform.close();
}
