import { parseArgs } from 'node:util';
import { runSeeds, startFaultEnv, summary } from './chromium/run';

/**
 * `npm run fuzz:sync -- --runs 100 --seed 1 --sales 30 --parallel 3`: the Chromium fault suite
 * for longer than `npm run test:sync` runs it. Exits 1 when any run lost, duplicated or invented
 * a sale, or left an outbox unsynced 30 s after healing; replay one with --seed N --runs 1.
 */
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    sales: { type: 'string', default: '30' },
    parallel: { type: 'string', default: '3' },
    deadline: { type: 'string', default: '30000' },
  },
});
const num = (name: keyof typeof values, min: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number ≥ ${min} (got ${values[name]})`);
    process.exit(2);
  }
  return n;
};
const runs = num('runs', 1);
const first = num('seed', 0);
const sales = num('sales', 1);
const parallel = num('parallel', 1);
const healDeadlineMs = num('deadline', 1000);

const env = await startFaultEnv();
const started = Date.now();
try {
  console.log(
    `fuzz:sync: seeds ${first}…${first + runs - 1}, ${sales} sales each, ${parallel} pages at a time`,
  );
  const reports = await runSeeds(
    env,
    Array.from({ length: runs }, (_, i) => first + i),
    { sales, healDeadlineMs, parallel, print: (line) => console.log(line) },
  );
  console.log(summary(reports, Date.now() - started, parallel));
  process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
} finally {
  await env.close();
}
