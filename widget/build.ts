/**
 * Builds the widget into dist/: the chat window as an ES module named by its content hash (cached for
 * good), then the loader `chat-bot.js` as a classic script (one stable URL, short cache) that knows the
 * window's file name. A classic script is what `<script src defer>` embeds, and it may import() modules.
 */
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = `${root}dist`;
const shared = { configFile: false, root, logLevel: 'warn', build: { outDir, target: 'es2022' } } as const;

const windowBuild = (await build({
  ...shared,
  build: {
    ...shared.build,
    emptyOutDir: true,
    rollupOptions: {
      input: { 'chat-window': `${root}src/chat-window.ts` },
      preserveEntrySignatures: 'strict',
      output: { format: 'es', entryFileNames: '[name].[hash].js', chunkFileNames: '[name].[hash].js' },
    },
  },
})) as Rolldown.RolldownOutput;
const windowFile = windowBuild.output.find((file) => file.type === 'chunk' && file.isEntry)!.fileName;

await build({
  ...shared,
  define: { __CHAT_WINDOW_FILE__: JSON.stringify(windowFile) },
  build: {
    ...shared.build,
    emptyOutDir: false,
    rollupOptions: {
      input: { 'chat-bot': `${root}src/chat-bot.ts` },
      output: { format: 'iife', entryFileNames: '[name].js' },
    },
  },
});
process.stdout.write(`widget built: dist/chat-bot.js, dist/${windowFile}\n`);
