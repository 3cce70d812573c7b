import type { EvalReport } from './evaluate';

const pct = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(7);

/** The figures as a table (the one quoted in notes), then with `verbose` every miss and the confidences. */
export function printReport(report: EvalReport, { verbose = false } = {}): void {
  const { counts, retrieval, answers } = report;
  const rows: [string, string][] = [
    ['documents / chunks', `${counts.documents} / ${counts.chunks}`],
    [
      'questions (answerable / unanswerable / follow-ups)',
      `${counts.answerable} / ${counts.unanswerable} / ${counts.followUps}`,
    ],
    [
      'hit@1 platform (hybrid) | BM25 baseline',
      `${pct(retrieval.platform.hitAt1)} | ${pct(retrieval.bm25.hitAt1)}`,
    ],
    [
      'hit@5 platform (hybrid) | BM25 baseline',
      `${pct(retrieval.platform.hitAt5)} | ${pct(retrieval.bm25.hitAt5)}`,
    ],
    ['answer phrase in the 5 passages retrieved (the ceiling)', pct(retrieval.phraseRetrieved)],
    ['answer states the phrase', pct(answers.stated)],
    ['answer states the phrase and cites the document', pct(answers.statedAndCited)],
    ['false refusals (answerable, bot said it does not know)', pct(answers.falseRefusals)],
    ['abstentions on unanswerable questions', pct(report.abstentions)],
    [
      'follow-ups right in conversation | asked alone',
      `${pct(report.followUps.inConversation)} | ${pct(report.followUps.alone)}`,
    ],
    [
      'answer latency p50 / p95',
      `${report.latencyMs.p50.toFixed(0)} ms / ${report.latencyMs.p95.toFixed(0)} ms`,
    ],
    ['indexing of the corpus', `${report.indexingSeconds.toFixed(1)} s`],
  ];
  const calibrated = calibrate(report.confidences);
  rows.push([
    'threshold keeping false refusals <= 5% | abstentions there',
    `${calibrated.threshold.toFixed(2)} | ${pct(calibrated.abstentions).trim()}`,
  ]);
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
  if (!verbose) return;
  console.log('\nmisses:');
  for (const miss of report.misses) {
    console.log(`- ${miss.id} ${miss.refused ? '(refused) ' : ''}${miss.question}`);
    console.log(
      `    expected "${miss.expected ?? '(no answer)'}"; cited ${miss.cited.join(', ') || 'nothing'}`,
    );
    console.log(`    answer: ${miss.answer.slice(0, 300).replace(/\s+/g, ' ')}`);
  }
  const sorted = (values: number[]) =>
    values
      .map((v) => v.toFixed(2))
      .sort()
      .join(' ');
  console.log(`\nconfidence, answerable:   ${sorted(report.confidences.answerable)}`);
  console.log(`confidence, unanswerable: ${sorted(report.confidences.unanswerable)}`);
}

/**
 * The highest confidence threshold under which at most 5% of the answerable questions fall (what
 * `minConfidence` is set from), and the share of unanswerable questions it would abstain on.
 */
export function calibrate({ answerable, unanswerable }: EvalReport['confidences']) {
  const sorted = [...answerable].sort((a, b) => a - b);
  const allowed = Math.floor(sorted.length * 0.05);
  // Round down to two decimals, as the constant is written, so the allowed questions stay below it.
  const threshold = Math.floor((sorted[allowed] ?? 0) * 100) / 100;
  return {
    threshold,
    abstentions: unanswerable.filter((c) => c < threshold).length / (unanswerable.length || 1),
  };
}
