import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { PrintDocument } from '../../common/printer/document';
import { ksx1001Bytes } from '../../common/printer/ksx1001';
import { layoutDocument } from '../../common/printer/layout';
import { charWidth } from '../../common/printer/text-width';

export type PrinterModel = NonNullable<
  ConstructorParameters<typeof ReceiptPrinterEncoder>[0]
>['printerModel'];

export interface EscPosOptions {
  /** Printer columns in font A: 42 (80 mm, 512 dots), 48 (80 mm, 576 dots), 32 (58 mm). */
  readonly columns: number;
  /** The encoder's printer model (its code-page numbering and QR support); Epson's by default. */
  readonly printerModel?: PrinterModel;
}

/** FS & / FS . : enter and leave the double-byte (KS X 1001) character mode. */
const FS_DOUBLE_BYTE_ON = [0x1c, 0x26];
const FS_DOUBLE_BYTE_OFF = [0x1c, 0x2e];
/** Full-width "?" for a wide character the printer's character set lacks: keeps the width. */
const WIDE_UNKNOWN = ksx1001Bytes(0xff1f);

function encoder(o: EscPosOptions): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: o.columns,
    printerModel: o.printerModel ?? 'epson-tm-t88vi',
    newline: '\n',
    feedBeforeCut: 4,
    errors: 'relaxed',
  });
}

/** Writes one laid-out line: narrow runs through the encoder's code page, wide runs as KS X 1001. */
function writeLine(e: ReceiptPrinterEncoder, text: string): void {
  let narrow = '';
  let wide: number[] = [];
  const flushNarrow = () => {
    if (narrow) e.text(narrow);
    narrow = '';
  };
  const flushWide = () => {
    if (wide.length) e.raw([...FS_DOUBLE_BYTE_ON, ...wide, ...FS_DOUBLE_BYTE_OFF]);
    wide = [];
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (charWidth(cp) === 1) {
      flushWide();
      narrow += ch;
    } else {
      flushNarrow();
      wide.push(...(ksx1001Bytes(cp) ?? WIDE_UNKNOWN ?? [0x3f, 0x3f]));
    }
  }
  flushNarrow();
  flushWide();
}

/**
 * A document as ESC/POS: initialize, the Windows-1252 code page for Latin text (€, umlauts, ß),
 * KS X 1001 double-byte mode for Korean, bold and double size, the printer's own QR code model 2,
 * then feed and a partial cut. Alignment is done here by padding (the layout measures wide
 * characters; the encoder would count their raw bytes as nothing).
 */
export function encodeEscPos(doc: PrintDocument, o: EscPosOptions): Uint8Array {
  const e = encoder(o).initialize().codepage('windows1252');
  for (const line of layoutDocument(doc, o.columns)) {
    if (line.kind === 'qr') {
      e.align('center').qrcode(line.data, { model: 2, size: 6, errorlevel: 'm' }).align('left');
      continue;
    }
    if (line.bold) e.bold(true);
    if (line.size === 2) e.size(2, 2);
    writeLine(e, line.text);
    if (line.size === 2) e.size(1, 1);
    if (line.bold) e.bold(false);
    e.newline();
  }
  return e.cut('partial').encode();
}

/** ESC p 0: pulse the cash drawer on the printer's kick connector (pin 2), 50 ms on, 500 ms off. */
export function drawerKickBytes(o: EscPosOptions): Uint8Array {
  return encoder(o).pulse(0, 50, 500).encode();
}

/** DLE EOT n, real-time status: 1 printer, 2 offline cause, 4 paper roll sensor. */
export const statusRequest = (n: 1 | 2 | 4): Uint8Array => new Uint8Array([0x10, 0x04, n]);
