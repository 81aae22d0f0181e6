/**
 * How deep a request body's JSON may nest. The deepest thing the protocol sends is a sale line's
 * money (5 levels); 64 leaves room for any audit detail and is far from what a recursive walk
 * over the parsed value (JSON.stringify, zod, jsonb) would choke on.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the JSON text in `bytes` nests arrays and objects deeper than `limit`. One pass over
 * the bytes before JSON.parse, so a body of 100 000 `[` is refused without building anything.
 * Brackets inside strings do not count: a string is skipped with a native indexOf to its closing
 * quote (one not preceded by an odd run of backslashes), so long strings cost next to nothing.
 * Multi-byte UTF-8 never contains these ASCII bytes, so scanning bytes is exact. Malformed JSON
 * is left for JSON.parse to refuse.
 */
export function exceedsJsonDepth(bytes: Uint8Array, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      i = closingQuote(bytes, i);
      if (i < 0) return false;
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that closes the string opened at `open`, or -1 if none does. */
function closingQuote(bytes: Uint8Array, open: number): number {
  let at = open;
  for (;;) {
    at = bytes.indexOf(QUOTE, at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
