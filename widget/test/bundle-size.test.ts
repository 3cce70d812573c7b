import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { widgetDist } from '../../server/src/features/widget/widget.routes';

/** What a page downloads before anyone opens the chat, and what the whole widget may weigh (gzip). */
const LOADER_BUDGET = 10 * 1024;
const TOTAL_BUDGET = 40 * 1024;

const gzipped = (file: string) => gzipSync(readFileSync(join(widgetDist, file)), { level: 9 }).length;

describe('widget bundle budgets', () => {
  let files: string[];

  before(() => {
    files = readdirSync(widgetDist).filter((file) => file.endsWith('.js'));
    assert.ok(files.includes('chat-bot.js'), 'widget/dist has no chat-bot.js: run npm run build -w widget');
  });

  it('keeps the loader within 10 KB gzip', () => {
    const size = gzipped('chat-bot.js');
    assert.ok(size <= LOADER_BUDGET, `chat-bot.js is ${size} bytes gzip, over ${LOADER_BUDGET}`);
  });

  it('keeps every file of the widget together within 40 KB gzip', () => {
    const sizes = Object.fromEntries(files.map((file) => [file, gzipped(file)]));
    const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
    assert.ok(
      total <= TOTAL_BUDGET,
      `the widget is ${total} bytes gzip, over ${TOTAL_BUDGET}: ${JSON.stringify(sizes)}`,
    );
  });

  it('loads the window lazily: the loader imports one hashed chat-window module and nothing else', () => {
    const loader = readFileSync(join(widgetDist, 'chat-bot.js'), 'utf8');
    const windows = files.filter((file) => /^chat-window\.[\w-]+\.js$/.test(file));
    assert.equal(windows.length, 1, `expected one chat-window file, found ${windows.join(', ')}`);
    assert.ok(loader.includes(windows[0]!), 'the loader does not name the built window file');
    assert.doesNotMatch(loader, /\bLitElement\b|socket\.io/i, 'Lit or Socket.IO leaked into the loader');
  });
});
