/**
 * `npm run eval [-- --smoke] [-- --verbose]`: answer quality on the evaluation set, with the offline
 * provider, in a fresh embedded platform. Prints the figures beside plain BM25, and with --verbose every
 * miss and the confidence distribution (what the abstention threshold is calibrated from).
 */
import { startTestServer } from '../../server/src/testing/test-server';
import { loadEvalSet } from './eval-set';
import { evaluate } from './evaluate';
import { printReport } from './report';

const smoke = process.argv.includes('--smoke');
const verbose = process.argv.includes('--verbose');
const set = await loadEvalSet({ smoke });
const server = await startTestServer({ env: { RATE_LIMIT_GLOBAL_PER_MINUTE: '100000' } });
try {
  printReport(await evaluate(server, set), { verbose });
} finally {
  await server.stop();
}
