import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIMS, referenceTopK } from '../../test/matcher/cases';
import { runMatchCommand } from './match-command';

let dir: string;
let out: string[];
let err: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'palm-match-'));
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

function random(n: number, seed: number): Int8Array {
  let s = seed;
  return Int8Array.from(
    { length: n * DIMS },
    () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 255) - 127,
  );
}

describe('palmctl match', () => {
  it('prints one JSON line per probe with raw dot-product scores', async () => {
    const g = random(10, 1);
    const p = new Int8Array([...g.subarray(3 * DIMS, 4 * DIMS), ...random(1, 2)]);
    await writeFile(join(dir, 'g.bin'), g);
    await writeFile(join(dir, 'p.bin'), p);
    const code = await runMatchCommand([
      '--gallery',
      join(dir, 'g.bin'),
      '--probes',
      join(dir, 'p.bin'),
      '--top',
      '3',
      '--variant',
      'scalar',
    ]);
    expect(code).toBe(0);
    const lines = out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(
      [0, 1].map((i) => ({
        probe: i,
        results: referenceTopK(g, p.subarray(i * DIMS, (i + 1) * DIMS), 3).map(
          ({ index, score }) => ({ index, score }),
        ),
      })),
    );
    expect(err.join('\n')).toMatch(/matcher: scalar \(requested\)/);
  });

  it('exits 3 for a variant the runtime lacks, 2 for bad input', async () => {
    await writeFile(join(dir, 'g.bin'), random(2, 1));
    await writeFile(join(dir, 'bad.bin'), new Uint8Array(100));
    const g = join(dir, 'g.bin');
    expect(await runMatchCommand(['--gallery', g, '--probes', join(dir, 'bad.bin')])).toBe(2);
    expect(err.join('\n')).toMatch(/not a multiple of 512/);
    expect(await runMatchCommand(['--gallery', g, '--probes', g, '--variant', 'avx'])).toBe(2);
    expect(await runMatchCommand(['--gallery', g, '--probes', join(dir, 'nope.bin')])).toBe(2);
    expect(await runMatchCommand(['--gallery', g])).toBe(2);
    expect(await runMatchCommand(['--gallery', g, '--probes', g, '--top', '0'])).toBe(2);
    // Node 20 has no trustworthy relaxed SIMD; on Node 22 this build exists and the run succeeds.
    const relaxed = await runMatchCommand(['--gallery', g, '--probes', g, '--variant', 'relaxed']);
    if (relaxed !== 0) {
      expect(relaxed).toBe(3);
      expect(err.join('\n')).toMatch(/"relaxed" is unsupported/);
    }
  });
});
