import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-body';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/** The nesting depth of a parsed JSON value, computed the slow, obvious way. */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('exceedsJsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings or after escapes', () => {
    expect(exceedsJsonDepth(bytes('[[[]]]'), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes('[[[[]]]]'), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes('{"a":{"b":[1]}}'), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes('["[[[[[[", "\\"[[[[[", "é[[[["]'), 1)).toBe(false);
    expect(exceedsJsonDepth(bytes('["\\\\",[[]]]'), 2)).toBe(true); // an escaped backslash ends no string
    expect(exceedsJsonDepth(bytes(String.raw`["\\\"[[[",[]]`), 2)).toBe(false); // \\\" is an escaped quote
    expect(exceedsJsonDepth(bytes('["never closed [[[['), 1)).toBe(false); // JSON.parse refuses it
  });

  it('agrees with the parsed value’s depth on any JSON', () => {
    fc.assert(
      fc.property(
        fc.json({ depthSize: 'large' }),
        fc.integer({ min: 0, max: 12 }),
        (text, limit) => {
          expect(exceedsJsonDepth(bytes(text), limit)).toBe(depthOf(JSON.parse(text)) > limit);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
