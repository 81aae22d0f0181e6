import { decodeKsx1001 } from './ksx1001';

/**
 * Reads ESC/POS the way a thermal printer does, for the emulated printer: what it would put on
 * paper, line by line, from the bytes alone. It knows the commands our encoder sends (and the
 * common ones around them); anything else is counted in `unknown` rather than guessed at, so a
 * test sees an encoder change the emulator cannot show.
 */
export interface PaperRun {
  readonly text: string;
  readonly bold: boolean;
  readonly underline: boolean;
  readonly invert: boolean;
  /** Character scale from GS ! (1 or 2 here; up to 8 on paper). */
  readonly scaleX: number;
  readonly scaleY: number;
  /** Printed from the double-byte (KS X 1001) set: each character takes two columns. */
  readonly doubleByte: boolean;
}

export type PaperItem =
  | {
      readonly kind: 'line';
      readonly align: 'left' | 'center' | 'right';
      readonly runs: PaperRun[];
    }
  | { readonly kind: 'qr'; readonly data: string; readonly moduleSize: number }
  | { readonly kind: 'cut' }
  | { readonly kind: 'drawer-kick'; readonly pin: 2 | 5 };

export interface Paper {
  readonly items: PaperItem[];
  /** Byte offsets of commands this reader does not know. */
  readonly unknown: number[];
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const ALIGN = ['left', 'center', 'right'] as const;

/** Windows-1252 0x80–0x9F (where it differs from Latin-1; "?" where it has no character). */
const CP1252_80 = '€?‚ƒ„…†‡ˆ‰Š‹Œ?Ž??‘’“”•–—˜™š›œ?žŸ';

/**
 * Single-byte code tables the reader knows (ESC t n): 16 is Windows-1252 (written out here: not
 * every runtime's TextDecoder has it right), 0 is PC437 (ASCII and the rule characters).
 */
function singleByteDecoder(table: number): (b: number) => string {
  if (table === 16)
    return (b) =>
      b < 0x80 ? String.fromCharCode(b) : b < 0xa0 ? CP1252_80[b - 0x80]! : String.fromCharCode(b);
  const pc437: Record<number, string> = { 0xc4: '─', 0xcd: '═' };
  return (b) => (b < 0x80 ? String.fromCharCode(b) : (pc437[b] ?? '?'));
}

export function decodeEscPos(bytes: Uint8Array): Paper {
  const items: PaperItem[] = [];
  const unknown: number[] = [];
  let runs: PaperRun[] = [];
  let text = '';
  let pending: number[] = []; // double-byte bytes not yet decoded
  let s = fresh();
  let decodeByte = singleByteDecoder(0);
  let qrData = '';
  let qrSize = 3;

  function fresh() {
    return {
      bold: false,
      underline: false,
      invert: false,
      scaleX: 1,
      scaleY: 1,
      align: 0,
      doubleByte: false,
    };
  }
  const flushRun = () => {
    if (pending.length) {
      text += decodeKsx1001(new Uint8Array(pending));
      pending = [];
    }
    if (text)
      runs.push({
        text,
        bold: s.bold,
        underline: s.underline,
        invert: s.invert,
        scaleX: s.scaleX,
        scaleY: s.scaleY,
        doubleByte: s.doubleByte,
      });
    text = '';
  };
  /** Style changes end the current run. */
  const style = (f: () => void) => {
    flushRun();
    f();
  };
  const endLine = () => {
    flushRun();
    items.push({ kind: 'line', align: ALIGN[s.align] ?? 'left', runs });
    runs = [];
  };
  const at = (i: number) => bytes[i] ?? 0;
  /** ESC c n commands that change the style of what follows. */
  const escStyle: Record<number, (n: number) => void> = {
    0x45: (n) => (s.bold = (n & 1) === 1),
    0x2d: (n) => (s.underline = n % 48 !== 0),
    0x61: (n) => (s.align = n % 48),
    0x74: (n) => (decodeByte = singleByteDecoder(n)),
  };

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      endLine();
      i += 1;
    } else if (b === 0x0d) {
      i += 1;
    } else if (b === ESC) {
      const c = at(i + 1);
      const n = at(i + 2);
      if (c === 0x40) {
        flushRun();
        s = fresh();
        decodeByte = singleByteDecoder(0);
        i += 2;
      } else if (escStyle[c]) {
        const set = escStyle[c];
        style(() => set(n));
        i += 3;
      } else if (c === 0x4d || c === 0x33 || c === 0x21 || c === 0x47 || c === 0x56) i += 3;
      else if (c === 0x32) i += 2;
      else if (c === 0x64) {
        endLine();
        for (let k = 1; k < n; k++) items.push({ kind: 'line', align: 'left', runs: [] });
        i += 3;
      } else if (c === 0x70) {
        flushRun();
        items.push({ kind: 'drawer-kick', pin: n % 48 === 1 ? 5 : 2 });
        i += 5;
      } else {
        unknown.push(i);
        i += 2;
      }
    } else if (b === GS) {
      const c = at(i + 1);
      const n = at(i + 2);
      if (c === 0x21) {
        style(() => {
          s.scaleX = ((n >> 4) & 7) + 1;
          s.scaleY = (n & 7) + 1;
        });
        i += 3;
      } else if (c === 0x42) {
        style(() => (s.invert = (n & 1) === 1));
        i += 3;
      } else if (c === 0x56) {
        flushRun();
        if (runs.length) endLine();
        items.push({ kind: 'cut' });
        i += n === 65 || n === 66 ? 4 : 3;
      } else if (c === 0x28 && n === 0x6b) {
        // GS ( k pL pH cn fn …: the QR code symbol (cn 49); other 2D symbols are skipped.
        const len = at(i + 3) | (at(i + 4) << 8);
        const cn = at(i + 5);
        const fn = at(i + 6);
        if (cn === 49 && fn === 67) qrSize = at(i + 7);
        if (cn === 49 && fn === 80)
          qrData = new TextDecoder().decode(bytes.subarray(i + 8, i + 5 + len));
        if (cn === 49 && fn === 81) {
          flushRun();
          items.push({ kind: 'qr', data: qrData, moduleSize: qrSize });
        }
        i += 5 + len;
      } else if (c === 0x4c || c === 0x57) i += 4;
      else {
        unknown.push(i);
        i += 2;
      }
    } else if (b === FS) {
      const c = at(i + 1);
      if (c === 0x26 || c === 0x2e) {
        style(() => (s.doubleByte = c === 0x26));
        i += 2;
      } else {
        unknown.push(i);
        i += 2;
      }
    } else if (b === DLE && at(i + 1) === 0x04) {
      i += 3; // a real-time status request: answered, never printed
    } else if (b < 0x20) {
      unknown.push(i);
      i += 1;
    } else if (s.doubleByte && b >= 0xa1) {
      pending.push(b, at(i + 1));
      i += 2;
    } else {
      if (pending.length) flushRun();
      text += decodeByte(b);
      i += 1;
    }
  }
  flushRun();
  if (runs.length) endLine();
  return { items, unknown };
}

/** Columns a run takes on paper (before its GS ! scale). */
export function runColumns(run: PaperRun): number {
  return [...run.text].length * (run.doubleByte ? 2 : 1);
}

/** The paper as plain text lines, for the printer log and tests. QR codes show their payload. */
export function paperText(paper: Paper): string[] {
  const lines: string[] = [];
  for (const item of paper.items) {
    if (item.kind === 'line') lines.push(item.runs.map((r) => r.text).join(''));
    else if (item.kind === 'qr') lines.push(`[QR ${item.data}]`);
    else if (item.kind === 'cut') lines.push('✂ - - - - - - - -');
    else lines.push(`[drawer kick, pin ${item.pin}]`);
  }
  return lines;
}
