import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file of the platform's documentation, by its path in the repository (`docs/api.md`). */
export interface DocsFile {
  path: string;
  text: string;
}

/** The repository's root, where README.md and docs/ are. */
export const repositoryRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

/**
 * The documentation the assistant learns: README.md and every docs/*.md, in a stable order. A deployment
 * that left them out gets an assistant that knows no documentation (the figures still work).
 */
export async function readDocsFiles(root = repositoryRoot): Promise<DocsFile[]> {
  const docs = await readdir(join(root, 'docs')).catch(() => [] as string[]);
  const paths = [
    'README.md',
    ...docs
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ];
  const files = await Promise.all(
    paths.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8').catch(() => null) })),
  );
  return files.filter((file): file is DocsFile => file.text !== null && file.text.trim() !== '');
}
