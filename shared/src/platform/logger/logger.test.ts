import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, runWithLogContext } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', name: 'test' }, stream) };
}

describe('logger', () => {
  it('redacts credentials and personal data', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer secret-token', cookie: 'sid=1' } },
        body: {
          email: 'ada@example.com',
          password: 'hunter2hunter2',
          refreshToken: 'rt',
          openaiApiKey: 'sk-x',
        },
      },
      'request',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ['secret-token', 'sid=1', 'ada@example.com', 'hunter2hunter2', '"rt"', 'sk-x']) {
      assert.equal(text.includes(secret), false, `${secret} leaked: ${text}`);
    }
  });

  it('stamps the log context on every line written inside it, and only there', async () => {
    const { lines, logger } = capture();
    await runWithLogContext({ requestId: 'req-1' }, async () => {
      logger.info('first');
      await new Promise((resolve) => setImmediate(resolve));
      logger.info({ sql: 'select 1' }, 'second');
    });
    logger.info('outside');
    assert.deepEqual(
      lines.map((line) => [line.msg, line.requestId]),
      [
        ['first', 'req-1'],
        ['second', 'req-1'],
        ['outside', undefined],
      ],
    );
  });
});
