/**
 * Measures the synthetic population's score distributions (docs/population.md quotes them) and
 * the cost of generating enrolment templates. Run: npx tsx test/palm/population-stats.ts [--n N]
 */
import {
  createPopulation,
  pt1Similarity,
  type PopulationParams,
} from '../../common/palm/population';

const args = process.argv.slice(2);
const nArg = args.indexOf('--n');
const N = nArg >= 0 ? Number(args[nArg + 1]) : 2000;
const genRun = args.includes('--million') ? 1_000_000 : 100_000;
const params: PopulationParams = { seed: 20261122 };

const pop = createPopulation(params);
console.log('params', JSON.stringify(pop.params));
const enrolled = Array.from({ length: N }, (_, i) => pop.enrollTemplate(i));

function stats(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(n - 1, Math.floor(p * n))]!;
  return {
    n,
    mean: +mean.toFixed(4),
    sd: +sd.toFixed(4),
    p01: +q(0.01).toFixed(4),
    p50: +q(0.5).toFixed(4),
    p99: +q(0.99).toFixed(4),
    p999: +q(0.999).toFixed(4),
    max: +s[n - 1]!.toFixed(4),
  };
}

for (const quality of [95, 90, 80, 70, 60, 50, 40, 30, 20]) {
  const gen: number[] = [];
  const imp: number[] = [];
  const impSame: number[] = [];
  for (let i = 0; i < N; i++) {
    const probe = pop.capture(i, quality, 7);
    gen.push(pt1Similarity(probe, enrolled[i]!));
    for (let k = 1; k <= 10; k++) {
      const j = (i + k * 97) % N;
      const s = pt1Similarity(probe, enrolled[j]!);
      imp.push(s);
      if (pop.cluster(i) === pop.cluster(j)) impSame.push(s);
    }
  }
  const g = stats(gen);
  const im = stats(imp);
  const thr = im.p999;
  const fnmr = gen.filter((x) => x < thr).length / gen.length;
  console.log(
    JSON.stringify({
      quality,
      genuine: g,
      impostor: im,
      impostorSameCluster: stats(impSame),
      fnmrAtImpostorP999: +fnmr.toFixed(4),
    }),
  );
}

const t0 = performance.now();
const out = new Int8Array(512);
let chk = 0;
for (let i = 0; i < genRun; i++) chk += pop.enrollTemplate(i, out)[0]!;
const ms = performance.now() - t0;
console.log(
  `enrollTemplate × ${genRun}: ${ms.toFixed(0)} ms (${((ms / genRun) * 1000).toFixed(2)} µs each; 1M ≈ ${(((ms / genRun) * 1e6) / 1000).toFixed(1)} s) chk=${chk}`,
);
