/**
 * `npm run fuzz:palm-hid [-- --runs N] [--seed S]`: the palm-hid receiver properties
 * (test/palm/fuzz-props.ts) run far longer than the bounded run in `npm test`.
 */
import fc from 'fast-check';
import { counters, mutatedStreamProperty, randomStreamProperty } from './fuzz-props';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer`);
  return n;
};
const runs = opt('runs', 5000);
const seed = opt('seed', Date.now() % 2 ** 31);

const t0 = performance.now();
console.log(`palm-hid fuzz: ${runs} runs per property, seed ${seed}`);
fc.assert(randomStreamProperty, { numRuns: runs, seed });
console.log(
  `  random streams:  ok (${counters.streams} streams, ${counters.reports} reports so far)`,
);
fc.assert(mutatedStreamProperty, { numRuns: runs, seed });
const s = (performance.now() - t0) / 1000;
console.log(`  mutated streams: ok (${counters.streams} streams in total)`);
console.log(
  `fed ${counters.reports} reports in ${s.toFixed(1)} s (${Math.round(counters.reports / s)} reports/s); no property failed`,
);
