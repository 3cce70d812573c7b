import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { LevelWithSilent } from 'pino';
import { createLogger, currentRequestId, runInNewLogContext, runWithLogContext } from './logger';

function capture(level: LevelWithSilent = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger({ level, name: 'test' }, stream) };
}

const personal = {
  email: 'ada.lovelace+x@example.co.uk',
  phone: '+44 20 7946 0958',
  ip: '203.0.113.7',
  ipv6: '2001:db8::8a2e:370:7334',
  key: 'sk-proj-A1b2C3d4E5f6G7h8I9j0',
  bearer: 'Bearer abc.def-ghi_jkl',
};

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

  it('blanks personal data and credentials inside any text: the message, an error, nested fields', () => {
    const { lines, logger } = capture();
    const error = new Error(`upstream said ${personal.bearer} for ${personal.email}`);
    logger.warn(
      {
        err: error,
        url: `https://example.com/${personal.email}`,
        detail: {
          words: [`call ${personal.phone} or (415) 555-0100`, `from ${personal.ip} / ${personal.ipv6}`],
        },
        note: `key ${personal.key} at ::ffff:${personal.ip}`,
      },
      `failed for ${personal.email}`,
    );
    const text = JSON.stringify(lines[0]);
    for (const [what, value] of Object.entries(personal)) {
      assert.equal(text.includes(value), false, `${what} leaked: ${text}`);
    }
    assert.equal(text.includes('555-0100'), false, text);
    assert.match(String(lines[0]!.msg), /^failed for \[redacted email\]$/);
    assert.match(String(lines[0]!.note), /^key \[redacted key\] at ::ffff:\[redacted ip\]$/);
    assert.equal(lines[0]!.level, 40);
  });

  it('keeps what only looks like personal data: ids, times, versions, counts, the loopback address', () => {
    const { lines, logger } = capture();
    const kept = {
      requestId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      at: '2026-01-31T12:30:45.123Z',
      day: '2026-01-31 12:30:45',
      version: 'v1.2.3.4',
      redis: 'connect ECONNREFUSED 127.0.0.1:6379',
      loopback6: 'listening on ::1',
      short: 'order 12345678',
    };
    logger.info({ ...kept, documents: 123456789012 }, 'kept');
    assert.deepEqual(
      { ...lines[0], msg: undefined },
      { ...lines[0], ...kept, documents: 123456789012, msg: undefined },
    );
  });

  it('blanks message bodies unless the level is debug, where they are kept (still without personal data)', () => {
    const body = `Where is my parcel? Write to ${personal.email}`;
    const fields = {
      message: { text: body, tokens: 12 },
      question: body,
      answer: { content: body },
      summary: body,
    };

    // A database error quotes its statement, values included.
    const failedInsert = new Error(
      `insert into "messages" ("id", "content") values ('m1', '${body.replace(/'/g, "''")}') - SQLITE_FULL`,
    );

    const info = capture('info');
    info.logger.info(fields, 'answered');
    info.logger.error({ err: failedInsert }, 'storing failed');
    const quiet = JSON.stringify(info.lines);
    assert.equal(quiet.includes('Where is my parcel'), false, quiet);
    assert.equal((info.lines[0]!.message as { tokens: number }).tokens, 12, 'counts stay');
    assert.match(
      String((info.lines[1]!.err as { message: string }).message),
      /^insert into "messages" \("id", "content"\) values \('\[redacted\]', '\[redacted\]'\) - SQLITE_FULL$/,
    );

    const debug = capture('debug');
    debug.logger.info(fields, 'answered');
    debug.logger.error({ err: failedInsert }, 'storing failed');
    const loud = debug.lines[0]!;
    assert.match(String((debug.lines[1]!.err as { message: string }).message), /Where is my parcel/);
    assert.equal((loud.message as { text: string }).text, 'Where is my parcel? Write to [redacted email]');
    assert.equal(loud.question, 'Where is my parcel? Write to [redacted email]');
  });

  it('gives work a context of its own, without the fields of the work that started it', async () => {
    const { lines, logger } = capture();
    await runWithLogContext({ requestId: 'req-outer', user: 'u1' }, async () => {
      await runInNewLogContext({ requestId: 'job-1', attempt: 2 }, async () => {
        assert.equal(currentRequestId(), 'job-1');
        logger.info('inner');
      });
      assert.equal(currentRequestId(), 'req-outer');
    });
    assert.equal(currentRequestId(), undefined);
    assert.deepEqual([lines[0]!.requestId, lines[0]!.attempt, lines[0]!.user], ['job-1', 2, undefined]);
  });
});
