import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseEnv } from './parse-env';
import { platformEnvSchema } from './platform-env';
import { resolveSecret } from './secrets';

describe('platform configuration', () => {
  it('applies defaults and treats empty values as unset', () => {
    const env = parseEnv(platformEnvSchema, { REDIS_URL: '', LOG_LEVEL: 'debug' });
    assert.equal(env.DATA_DIR, './data');
    assert.equal(env.REDIS_URL, undefined);
    assert.equal(env.LOG_LEVEL, 'debug');
    assert.equal(env.MASTER_KEY_VERSION, 1);
  });

  it('names every bad variable in one readable message', () => {
    assert.throws(
      () =>
        parseEnv(platformEnvSchema, {
          DATABASE_URL: 'mysql://nope',
          REDIS_URL: 'http://not-redis',
          MASTER_KEY: 'short',
          PREVIOUS_MASTER_KEYS: 'oops',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of ['DATABASE_URL', 'REDIS_URL', 'MASTER_KEY', 'PREVIOUS_MASTER_KEYS']) {
          assert.match(error.message, new RegExp(`^  ${name}: `, 'm'));
        }
        return true;
      },
    );
  });

  it('parses previous master keys by version', () => {
    const k = Buffer.alloc(32, 7).toString('base64');
    const env = parseEnv(platformEnvSchema, { PREVIOUS_MASTER_KEYS: `1:${k}, 3:${k}` });
    assert.deepEqual([...env.PREVIOUS_MASTER_KEYS!.keys()], [1, 3]);
  });

  describe('secrets', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('generates missing secrets once, keeps them private, and reuses them', () => {
      const env = { NODE_ENV: 'development', DATA_DIR: dir };
      const masterKey = resolveSecret(env, 'masterKey');
      const jwtSecret = resolveSecret(env, 'jwtSecret');
      assert.equal(Buffer.from(masterKey, 'base64').length, 32);
      assert.notEqual(masterKey, jwtSecret);
      assert.equal(statSync(join(dir, 'secrets.json')).mode & 0o777, 0o600);
      assert.equal(resolveSecret(env, 'masterKey'), masterKey);
      assert.equal(resolveSecret(env, 'jwtSecret'), jwtSecret);
    });

    it('never writes a secret that came from the environment', () => {
      const masterKey = Buffer.alloc(32, 1).toString('base64');
      assert.equal(
        resolveSecret({ NODE_ENV: 'development', DATA_DIR: dir, MASTER_KEY: masterKey }, 'masterKey'),
        masterKey,
      );
      resolveSecret({ NODE_ENV: 'development', DATA_DIR: dir, MASTER_KEY: masterKey }, 'jwtSecret');
      assert.equal(readFileSync(join(dir, 'secrets.json'), 'utf8').includes(masterKey), false);
    });

    it('requires each secret from the environment in production', () => {
      assert.throws(
        () => resolveSecret({ NODE_ENV: 'production', DATA_DIR: dir }, 'masterKey'),
        /MASTER_KEY is required/,
      );
      assert.throws(() => resolveSecret({ NODE_ENV: 'production', DATA_DIR: dir }, 'jwtSecret'), ConfigError);
    });
  });
});
