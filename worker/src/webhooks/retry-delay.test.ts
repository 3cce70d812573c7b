import assert from 'node:assert/strict';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './retry-delay';

describe('webhook retry delays', () => {
  it('double from the base, less up to a fifth at random, and stop growing at an hour', () => {
    const at = (random: number) => (failed: number) => retryDelayMs(failed, 60_000, () => random);
    assert.deepEqual([1, 2, 3, 4].map(at(0)), [60_000, 120_000, 240_000, 480_000]);
    assert.deepEqual([1, 2, 3].map(at(0.999_999)), [48_000, 96_000, 192_000]);
    assert.equal(at(0)(7), MAX_RETRY_DELAY_MS);
    assert.equal(at(0)(30), MAX_RETRY_DELAY_MS);
    assert.equal(at(0.5)(30), 0.9 * MAX_RETRY_DELAY_MS);
  });

  it('grow from one retry to the next whatever the jitter, below the cap', () => {
    for (let failed = 1; failed < 6; failed++) {
      assert.ok(retryDelayMs(failed + 1, 1000, () => 0.999_999) > retryDelayMs(failed, 1000, () => 0));
    }
  });
});
