import { expect } from 'chai';
import { MAX_TIMER_DELAY_MS, addDurations } from '../../src/signals/index.js';

// A timer whose delay is derived from two valid ones (a statement timeout plus a margin).
describe('addDurations()', () => {
  it('when the sum is a delay Node honours, then it is the sum', () => {
    expect(addDurations(5000, 500)).to.equal(5500);
  });

  it('when the sum is past the longest timer, then it is the longest timer, not a delay Node would turn into 1 ms', () => {
    expect(addDurations(MAX_TIMER_DELAY_MS, 500)).to.equal(MAX_TIMER_DELAY_MS);
    expect(addDurations(MAX_TIMER_DELAY_MS - 1, 1)).to.equal(MAX_TIMER_DELAY_MS);
  });
});
