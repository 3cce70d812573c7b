import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../server/src/testing/test-server';
import { loadEvalSet } from './eval-set';
import { evaluate, type EvalReport } from './evaluate';

/**
 * The evaluation's small form (`npm run eval -- --smoke`: 8 documents, 32 answerable questions, 6 that
 * the documents do not answer, 8 follow-ups) as a regression guard. With the offline provider the run is
 * deterministic; each bound is the value measured when it was set (in the comment) less a margin of about
 * two questions, so a change that costs answers fails here.
 */
describe('answer quality on the evaluation set (small form, offline provider)', function () {
  this.timeout(180_000);
  let server: TestServer;
  let report: EvalReport;

  before(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '100000' } });
    report = await evaluate(server, await loadEvalSet({ smoke: true }));
  });
  after(() => server?.stop());

  it('finds the right document at least as often as plain BM25 over the same chunks', () => {
    const { platform, bm25 } = report.retrieval;
    assert.ok(platform.hitAt5 >= bm25.hitAt5, `hit@5 ${platform.hitAt5} vs BM25 ${bm25.hitAt5}`);
    assert.ok(platform.hitAt1 >= bm25.hitAt1, `hit@1 ${platform.hitAt1} vs BM25 ${bm25.hitAt1}`);
    assert.ok(platform.hitAt5 >= 0.94, `hit@5 ${platform.hitAt5}`); // measured 1.000
    assert.ok(platform.hitAt1 >= 0.87, `hit@1 ${platform.hitAt1}`); // measured 0.938
  });

  it('states the answer with the right citation, and rarely refuses an answerable question', () => {
    assert.ok(report.answers.statedAndCited >= 0.5, `stated and cited ${report.answers.statedAndCited}`); // 0.563
    assert.ok(report.answers.falseRefusals <= 0.13, `false refusals ${report.answers.falseRefusals}`); // 0.063
  });

  it('says it does not know when the documents do not answer', () => {
    assert.ok(report.abstentions >= 0.66, `abstentions ${report.abstentions}`); // 0.833
  });

  it('answers follow-ups better in their conversation than asked alone', () => {
    const { inConversation, alone } = report.followUps;
    assert.ok(inConversation > alone, `in conversation ${inConversation}, alone ${alone}`); // 0.5 vs 0.375
  });
});
