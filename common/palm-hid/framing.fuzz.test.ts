import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counters, mutatedStreamProperty, randomStreamProperty } from '../../test/palm/fuzz-props';

// A bounded run for `npm test`; `npm run fuzz:palm-hid` runs the same properties far longer.
describe('palm-hid receiver fuzzing (bounded)', () => {
  it('random report streams never throw and never hold over 7609 bytes per channel', () => {
    fc.assert(randomStreamProperty, { numRuns: 150 });
  });
  it('mutated streams of framed messages deliver only framed messages', () => {
    fc.assert(mutatedStreamProperty, { numRuns: 150 });
    expect(counters.reports).toBeGreaterThan(1000);
  });
});
