import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Rolldown } from 'vite';
import type * as Markdown from '../src/components/markdown';

/** A test page's window: the bundled module, and the marker a payload would flip if it ran. */
export type MarkdownTestWindow = Window & { markdown: typeof Markdown; __xss: number };

const ENTRY = fileURLToPath(new URL('../src/components/markdown.ts', import.meta.url));
const WIDGET_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** markdown.ts, bundled by Vite as a classic script that defines `window.markdown`, for a browser page. */
export async function bundleMarkdown(): Promise<string> {
  // Imported when needed, not at the top: mocha loads test files through tsx's require hook, and a
  // required (CommonJS-compiled) Vite fails its build in the native manifest plugin ("Cannot read
  // properties of undefined (reading 'type')"); a dynamic import loads the real ES module.
  const { build } = await import('vite');
  const result = (await build({
    configFile: false,
    root: WIDGET_ROOT,
    logLevel: 'silent',
    build: {
      write: false,
      emptyOutDir: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'markdown' },
      minify: false,
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((output) => output.output);
  const chunk = outputs.find((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  assert.ok(chunk, 'Vite produced no chunk for markdown.ts');
  return chunk.code;
}
