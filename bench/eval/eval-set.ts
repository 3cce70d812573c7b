/**
 * The evaluation set: the corpus in bench/eval/corpus (real public documents, see its NOTICE.md) and the
 * questions in questions.json. Some Markdown documents are uploaded as PDF or DOCX made from them here, so
 * every extractor is on the path.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownToDocx, markdownToPdf } from './formats';

export interface AnswerableQuestion {
  id: string;
  question: string;
  /** The corpus file that answers it. */
  document: string;
  /** A short phrase of that document every right answer contains. */
  answer: string;
  namesProduct: boolean;
}

export interface UnanswerableQuestion {
  id: string;
  question: string;
}

/** A question asked after `first` in the same conversation, which it leans on ("and how do I…"). */
export interface FollowUp {
  id: string;
  first: string;
  question: string;
  document: string;
  answer: string;
}

export interface CorpusDocument {
  /** The corpus file it comes from, as questions name it. */
  source: string;
  /** The name it is uploaded under (`commander.pdf` for a PDF made of `commander.md`). */
  name: string;
  type: string;
  bytes: Buffer;
}

export interface EvalSet {
  documents: CorpusDocument[];
  answerable: AnswerableQuestion[];
  unanswerable: UnanswerableQuestion[];
  followUps: FollowUp[];
}

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, 'corpus');

const types: Record<string, string> = {
  '.md': 'text/markdown',
  '.html': 'text/html',
  '.txt': 'text/plain',
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * Loads the set; `smoke` keeps only the documents listed in `smokeDocuments` and their questions (the
 * regression test in `npm test`). Of the Markdown documents in name order, every fifth from the third is
 * uploaded as PDF and every fifth from the fifth as DOCX.
 */
export async function loadEvalSet({ smoke = false } = {}): Promise<EvalSet> {
  const file = JSON.parse(readFileSync(join(here, 'questions.json'), 'utf8')) as Omit<
    EvalSet,
    'documents'
  > & {
    smokeDocuments: string[];
  };
  const names = readdirSync(corpusDir)
    .filter((name) => name !== 'NOTICE.md' && extname(name) in types)
    .sort();
  const wanted = smoke ? names.filter((name) => file.smokeDocuments.includes(name)) : names;
  const markdown = names.filter((name) => extname(name) === '.md');
  const documents: CorpusDocument[] = [];
  for (const source of wanted) {
    const bytes = readFileSync(join(corpusDir, source));
    const position = markdown.indexOf(source);
    const base = source.slice(0, -extname(source).length);
    if (position % 5 === 2) {
      documents.push({
        source,
        name: `${base}.pdf`,
        type: types['.pdf']!,
        bytes: await markdownToPdf(bytes.toString()),
      });
    } else if (position % 5 === 4) {
      documents.push({
        source,
        name: `${base}.docx`,
        type: types['.docx']!,
        bytes: await markdownToDocx(bytes.toString()),
      });
    } else {
      documents.push({ source, name: source, type: types[extname(source)]!, bytes });
    }
  }
  const kept = new Set(wanted);
  return {
    documents,
    answerable: file.answerable.filter((q) => kept.has(q.document)),
    unanswerable: smoke ? file.unanswerable.slice(0, 6) : file.unanswerable,
    followUps: file.followUps.filter((q) => kept.has(q.document)),
  };
}
