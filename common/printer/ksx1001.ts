/**
 * KS X 1001 (KS C 5601), the two-byte character set of Korean ESC/POS printers in their
 * double-byte ("Kanji") mode: every Hangul syllable in common use, Hanja, and full-width symbols.
 * The table is the platform's own EUC-KR index (the WHATWG Encoding Standard, read back through
 * TextDecoder), built once on first use: no hand-copied table to get wrong.
 */
let table: Map<number, number> | null = null;

function build(): Map<number, number> {
  // Every lead/trail pair of rows 0xA1–0xFE, one per line, decoded in one call.
  const bytes: number[] = [];
  for (let lead = 0xa1; lead <= 0xfe; lead++)
    for (let trail = 0xa1; trail <= 0xfe; trail++) bytes.push(lead, trail, 0x0a);
  const chars = new TextDecoder('euc-kr').decode(new Uint8Array(bytes)).split('\n');
  const map = new Map<number, number>();
  for (let i = 0; i < chars.length - 1; i++) {
    const ch = chars[i]!;
    const cp = ch.codePointAt(0)!;
    if (ch.length === 1 && cp !== 0xfffd && !map.has(cp))
      map.set(cp, (bytes[i * 3]! << 8) | bytes[i * 3 + 1]!);
  }
  return map;
}

/** The two bytes for a character, or null when KS X 1001 lacks it. */
export function ksx1001Bytes(codePoint: number): [number, number] | null {
  table ??= build();
  const v = table.get(codePoint);
  return v === undefined ? null : [v >> 8, v & 0xff];
}

/** Decodes two-byte KS X 1001 text (what the printer's double-byte mode received). */
export function decodeKsx1001(bytes: Uint8Array): string {
  return new TextDecoder('euc-kr').decode(bytes);
}
