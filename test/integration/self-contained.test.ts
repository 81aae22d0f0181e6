import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The project needs nothing beside its clone: no code, script or config reads from a sibling
 * `../shared` (where the palm-hid vectors once lived) or any other path outside the repository.
 * Prose may still name where a document came from; code may not reach for it.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs|json|sh|yml|yaml)$|(^|\/)(run|Dockerfile)$/;
// `..` segments that climb out of the repository from where the file sits, or the old
// sibling folder named outright.
const SHARED = /(\.\.\/)+shared\b|\/work\/shared\b/;

function trackedAndNewFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  // This file names what it looks for; the lock file names registry tarballs.
  const skip = ['package-lock.json', 'test/integration/self-contained.test.ts'];
  return out.split('\n').filter((f) => f && CODE.test(f) && !skip.includes(f));
}

function listed(dir: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

describe('the clone is self-contained', () => {
  it('no code, script or config in the project reads ../shared', () => {
    const files = trackedAndNewFiles();
    expect(files.length).toBeGreaterThan(100); // the walk found the project
    const offenders = files.filter((f) => {
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      return SHARED.test(text.replace(/^\s*(\/\/|\*|#).*$/gm, ''));
    });
    expect(offenders).toEqual([]);
  });

  it('the palm-hid vectors and their spec are in the repository', () => {
    expect(listed('docs/palm-hid')).toEqual(
      expect.arrayContaining(['docs/palm-hid/palm-hid-v1.md', 'docs/palm-hid/vectors.json']),
    );
  });
});
