import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedChroma } from '@chatbot/shared/platform';

/**
 * A Chroma of the suite's own, for suites that fill the assistant's collection (whose id is fixed) in a
 * way others must not meet: other vectors' sizes, or a collection that must start empty.
 */
export async function startPrivateChroma(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'assistant-chroma-'));
  const chroma = await startEmbeddedChroma({ dataDir });
  return {
    url: chroma.url,
    async stop() {
      await chroma.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
