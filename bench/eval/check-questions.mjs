#!/usr/bin/env node
// Validates bench/eval/questions.json against the corpus in bench/eval/corpus/.
// Plain Node.js, no dependencies:  node bench/eval/check-questions.mjs
//
// Hard rules (exit code 1 when broken):
//   - ids unique over answerable, unanswerable and followUps
//   - every referenced document exists in corpus/
//   - every answer phrase (1 to 8 words) occurs in its document, compared
//     case-insensitively with whitespace runs collapsed to one space; for .html
//     documents against the text with tags removed and &lt; &gt; &amp; &quot; &#39;
//     decoded
//   - >= 60 answerable questions over >= 25 documents, <= 4 per document
//   - >= 22 answerable questions with namesProduct === false
//   - >= 15 unanswerable questions, >= 10 followUps
//   - smokeDocuments: 8 distinct corpus documents, at least one .html and one .txt,
//     carrying >= 20 answerable questions between them
//   - corpus: 28 to 30 documents, >= 4 .html, >= 3 .txt, a licence file per document,
//     NOTICE.md naming every document, total size of corpus/ under 1.2 MB
// Soft checks (printed as warnings only):
//   - answer phrase found only across a line break of the raw file
//   - answer phrase of a Markdown document found only inside fenced code blocks

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, 'corpus');
const licenseDir = join(corpusDir, 'licenses');
const questionsPath = join(here, 'questions.json');

const errors = [];
const warnings = [];
const fail = (msg) => errors.push(msg);
const warn = (msg) => warnings.push(msg);

const collapse = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase();

function htmlToText(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function stripFencedCode(md) {
  return md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, ' ');
}

// ---------------------------------------------------------------- corpus
const docFiles = readdirSync(corpusDir).filter((f) => {
  const p = join(corpusDir, f);
  return statSync(p).isFile() && f !== 'NOTICE.md';
});
const docSet = new Set(docFiles);

function dirSize(dir) {
  let total = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    const st = statSync(p);
    total += st.isDirectory() ? dirSize(p) : st.size;
  }
  return total;
}

const cache = new Map();
function docText(name) {
  if (!cache.has(name)) {
    const raw = readFileSync(join(corpusDir, name), 'utf8');
    const isHtml = extname(name).toLowerCase() === '.html';
    const text = isHtml ? htmlToText(raw) : raw;
    const lines = text.split('\n').map(collapse);
    const prose = extname(name).toLowerCase() === '.md' ? collapse(stripFencedCode(raw)) : null;
    cache.set(name, { raw, isHtml, full: collapse(text), lines, prose });
  }
  return cache.get(name);
}

const byExt = (ext) => docFiles.filter((f) => extname(f).toLowerCase() === ext);
const nDocs = docFiles.length;
if (nDocs < 28 || nDocs > 30) fail(`corpus has ${nDocs} documents, expected 28 to 30`);
if (byExt('.html').length < 4) fail(`corpus has ${byExt('.html').length} .html documents, expected >= 4`);
if (byExt('.txt').length < 3) fail(`corpus has ${byExt('.txt').length} .txt documents, expected >= 3`);
for (const f of docFiles) {
  if (!['.md', '.html', '.txt'].includes(extname(f).toLowerCase())) fail(`unexpected document type: ${f}`);
  if (!existsSync(join(licenseDir, `${f}.LICENSE`))) fail(`missing licence file licenses/${f}.LICENSE`);
}
const noticePath = join(corpusDir, 'NOTICE.md');
if (!existsSync(noticePath)) fail('missing corpus/NOTICE.md');
else {
  const notice = readFileSync(noticePath, 'utf8');
  for (const f of docFiles) if (!notice.includes(f)) fail(`NOTICE.md does not mention ${f}`);
}
const corpusBytes = dirSize(corpusDir);
const docBytes = docFiles.reduce((s, f) => s + statSync(join(corpusDir, f)).size, 0);
if (corpusBytes >= 1.2 * 1024 * 1024) fail(`corpus/ is ${corpusBytes} bytes, must be under 1.2 MB`);

// ---------------------------------------------------------------- questions
let q;
try {
  q = JSON.parse(readFileSync(questionsPath, 'utf8'));
} catch (e) {
  console.error(`cannot read ${questionsPath}: ${e.message}`);
  process.exit(1);
}
const answerable = Array.isArray(q.answerable) ? q.answerable : (fail('answerable must be an array'), []);
const unanswerable = Array.isArray(q.unanswerable)
  ? q.unanswerable
  : (fail('unanswerable must be an array'), []);
const followUps = Array.isArray(q.followUps) ? q.followUps : (fail('followUps must be an array'), []);
const smoke = Array.isArray(q.smokeDocuments)
  ? q.smokeDocuments
  : (fail('smokeDocuments must be an array'), []);

const ids = new Set();
function checkId(item, section) {
  if (typeof item.id !== 'string' || !item.id)
    return fail(`${section}: item without id: ${JSON.stringify(item)}`);
  if (ids.has(item.id)) fail(`duplicate id ${item.id}`);
  ids.add(item.id);
}
const nonEmpty = (v) => typeof v === 'string' && v.trim().length > 0;

function checkAnswer(item) {
  if (!nonEmpty(item.document)) return fail(`${item.id}: missing document`);
  if (!docSet.has(item.document)) return fail(`${item.id}: document ${item.document} not in corpus/`);
  if (!nonEmpty(item.answer)) return fail(`${item.id}: missing answer`);
  const words = item.answer.trim().split(/\s+/).length;
  if (words < 1 || words > 8) fail(`${item.id}: answer has ${words} words, expected 1 to 8`);
  const d = docText(item.document);
  const needle = collapse(item.answer);
  if (!d.full.includes(needle)) {
    return fail(`${item.id}: answer "${item.answer}" not found in ${item.document}`);
  }
  if (!d.lines.some((l) => l.includes(needle))) {
    warn(`${item.id}: answer "${item.answer}" spans a line break in ${item.document}`);
  }
  if (d.prose !== null && !d.prose.includes(needle)) {
    warn(`${item.id}: answer "${item.answer}" occurs only inside code blocks of ${item.document}`);
  }
}

const perDoc = new Map();
let namesProductFalse = 0;
let namesProductTrue = 0;
for (const a of answerable) {
  checkId(a, 'answerable');
  if (!nonEmpty(a.question)) fail(`${a.id}: missing question`);
  if (typeof a.namesProduct !== 'boolean') fail(`${a.id}: namesProduct must be true or false`);
  else if (a.namesProduct) namesProductTrue++;
  else namesProductFalse++;
  checkAnswer(a);
  perDoc.set(a.document, (perDoc.get(a.document) || 0) + 1);
}
for (const u of unanswerable) {
  checkId(u, 'unanswerable');
  if (!nonEmpty(u.question)) fail(`${u.id}: missing question`);
}
for (const f of followUps) {
  checkId(f, 'followUps');
  if (!nonEmpty(f.first)) fail(`${f.id}: missing first question`);
  if (!nonEmpty(f.question)) fail(`${f.id}: missing follow-up question`);
  checkAnswer(f);
}

const allQuestions = [...answerable, ...unanswerable, ...followUps].map((x) => collapse(x.question || ''));
const seenQ = new Set();
for (const s of allQuestions) {
  if (seenQ.has(s)) fail(`duplicate question text: ${s}`);
  seenQ.add(s);
}

for (const [doc, n] of perDoc) if (n > 4) fail(`${doc} has ${n} answerable questions, at most 4 allowed`);
if (answerable.length < 60) fail(`${answerable.length} answerable questions, expected >= 60`);
if (perDoc.size < 25) fail(`answerable questions cover ${perDoc.size} documents, expected >= 25`);
if (namesProductFalse < 22)
  fail(`${namesProductFalse} answerable questions with namesProduct false, expected >= 22`);
if (unanswerable.length < 15) fail(`${unanswerable.length} unanswerable questions, expected >= 15`);
if (followUps.length < 10) fail(`${followUps.length} followUps, expected >= 10`);

const smokeSet = new Set(smoke);
if (smoke.length !== 8 || smokeSet.size !== 8)
  fail(`smokeDocuments must list 8 distinct documents (has ${smoke.length}, ${smokeSet.size} distinct)`);
for (const s of smoke) if (!docSet.has(s)) fail(`smoke document ${s} not in corpus/`);
if (!smoke.some((s) => s.endsWith('.html'))) fail('smokeDocuments needs at least one .html document');
if (!smoke.some((s) => s.endsWith('.txt'))) fail('smokeDocuments needs at least one .txt document');
const smokeQuestions = answerable.filter((a) => smokeSet.has(a.document)).length;
if (smokeQuestions < 20) fail(`smoke documents carry ${smokeQuestions} answerable questions, expected >= 20`);

// ---------------------------------------------------------------- report
const fmt = (ext) => answerable.filter((a) => extname(a.document) === ext).length;
console.log('corpus');
console.log(
  `  documents:            ${nDocs} (md ${byExt('.md').length}, html ${byExt('.html').length}, txt ${byExt('.txt').length})`,
);
console.log(
  `  size:                 ${docBytes} bytes of documents, ${corpusBytes} bytes with licences and NOTICE`,
);
console.log('questions');
console.log(
  `  answerable:           ${answerable.length} over ${perDoc.size} documents (max ${Math.max(0, ...perDoc.values())} per document)`,
);
console.log(`    by format:          md ${fmt('.md')}, html ${fmt('.html')}, txt ${fmt('.txt')}`);
console.log(`    namesProduct false: ${namesProductFalse}`);
console.log(`    namesProduct true:  ${namesProductTrue}`);
console.log(`  unanswerable:         ${unanswerable.length}`);
console.log(`  followUps:            ${followUps.length}`);
console.log(`  smokeDocuments:       ${smoke.length} carrying ${smokeQuestions} answerable questions`);
const without = docFiles.filter((f) => !perDoc.has(f));
if (without.length) console.log(`  documents without answerable questions: ${without.join(', ')}`);

if (warnings.length) {
  console.log(`\n${warnings.length} warning(s):`);
  for (const w of warnings) console.log(`  - ${w}`);
}
if (errors.length) {
  console.log(`\n${errors.length} error(s):`);
  for (const e of errors) console.log(`  - ${e}`);
  console.log('\nFAILED');
  process.exit(1);
}
console.log('\nOK');
