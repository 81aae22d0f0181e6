import { describe, expect, it } from 'vitest';
import { alignWidth, displayWidth, printable, truncateWidth, wrapWidth } from './text-width';

describe('printer columns', () => {
  it('counts a Hangul syllable as two columns and Latin as one', () => {
    expect(displayWidth('합계')).toBe(4);
    expect(displayWidth('SUMME')).toBe(5);
    expect(displayWidth('Rückgeld')).toBe(8);
    // UTF-16 length would say 2 for both; the printer prints 4 and 2.
    expect('합계'.length).toBe(2);
  });

  it('pads to the exact width in columns, not code units', () => {
    const row = alignWidth('거스름돈', 12, 'left');
    expect(displayWidth(row)).toBe(12);
    expect(row).toBe('거스름돈    ');
    expect(alignWidth('합계', 8, 'center')).toBe('  합계  ');
  });

  it('shortens with an ellipsis without splitting a wide character', () => {
    const s = truncateWidth('부가세 포함 10%', 6);
    expect(displayWidth(s)).toBeLessThanOrEqual(6);
    expect(s).toBe('부가…');
  });

  it('wraps Korean text inside words and Latin text at spaces', () => {
    expect(wrapWidth('이용해 주셔서 감사합니다', 10)).toEqual(['이용해', '주셔서', '감사합니다']);
    expect(wrapWidth('Thank you for shopping', 10)).toEqual(['Thank you', 'for', 'shopping']);
    for (const l of wrapWidth('가나다라마바사아자차카타파하', 5))
      expect(displayWidth(l)).toBeLessThanOrEqual(5);
  });

  it('makes text printable: NFC, no control characters, the full-width won sign', () => {
    expect(printable('a\u0308\tb\u001b')).toBe('ä b ');
    expect(printable('₩3,500')).toBe('￦3,500');
    expect(displayWidth(printable('₩3,500'))).toBe(7);
  });
});
