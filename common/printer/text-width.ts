import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Printer columns. A thermal printer's font A prints an ASCII or Latin character in one column
 * and a Korean (or other East Asian wide) character in two — exactly as UAX #11 measures them, with
 * ambiguous characters narrow (they print from the one-byte code page). Layout measures with this,
 * so a Korean item name and its amount line up with the rows around it.
 */
export function charWidth(codePoint: number): 1 | 2 {
  return eastAsianWidth(codePoint, { ambiguousAsWide: false });
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Text as the printer can take it: composed (NFC, so "ä" is one character), control characters
 * as spaces, and the half-width won sign (U+20A9, which Intl prints for KRW) as the full-width one
 * Korean printers carry in KS X 1001.
 */
export function printable(s: string): string {
  return (
    s
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .replace(/\u20a9/g, '\uffe6')
  );
}

/** The longest prefix of `s` that fits `width` columns (never splitting a wide character). */
export function fitWidth(s: string, width: number): string {
  let w = 0;
  let out = '';
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** `s` shortened with "…" to fit `width` columns, or unchanged when it fits. */
export function truncateWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  return fitWidth(s, width - 1) + '…';
}

/** Wraps at spaces where it can, else inside a word (Korean and long codes), to `width` columns. */
export function wrapWidth(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(/(\s+)/)) {
    if (word === '') continue;
    const candidate = line + word;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = /^\s+$/.test(word) ? '' : word;
    while (displayWidth(line) > width) {
      const head = fitWidth(line, width);
      lines.push(head);
      line = line.slice(head.length);
    }
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** `s` padded with spaces to exactly `width` columns, placed left, centred or right. */
export function alignWidth(s: string, width: number, align: 'left' | 'center' | 'right'): string {
  const gap = Math.max(0, width - displayWidth(s));
  const before = align === 'left' ? 0 : align === 'right' ? gap : Math.floor(gap / 2);
  return ' '.repeat(before) + s + ' '.repeat(gap - before);
}
