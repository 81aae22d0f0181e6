import type { PrintDocument } from './document';
import { alignWidth, displayWidth, printable, truncateWidth, wrapWidth } from './text-width';

/** One printed line, exactly `columns / size` printer columns wide, or a QR code, or a gap. */
export type PaperLine =
  | { readonly kind: 'line'; readonly text: string; readonly bold: boolean; readonly size: 1 | 2 }
  | { readonly kind: 'qr'; readonly data: string };

/**
 * Lays a document out for paper `columns` wide (42 on 80 mm paper in font A at 512 dots, 48 at
 * 576; 32 on 58 mm). Every text line comes out padded to the full width, so rows align however
 * the printer counts: measured in columns (text-width.ts), never in UTF-16 code units.
 */
export function layoutDocument(doc: PrintDocument, columns: number): PaperLine[] {
  const out: PaperLine[] = [];
  const push = (text: string, bold = false, size: 1 | 2 = 1) =>
    out.push({ kind: 'line', text, bold, size });
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'text': {
        const size = b.size ?? 1;
        const width = Math.floor(columns / size);
        for (const l of wrapWidth(printable(b.text), width))
          push(alignWidth(l, width, b.align ?? 'left'), b.bold ?? false, size);
        break;
      }
      case 'row': {
        const right = printable(b.right);
        const rightWidth = Math.min(displayWidth(right), columns);
        const left = truncateWidth(printable(b.left), columns - rightWidth - 1);
        push(alignWidth(left, columns - rightWidth, 'left') + right, b.bold ?? false);
        break;
      }
      case 'rule':
        push('-'.repeat(columns));
        break;
      case 'feed':
        for (let i = 0; i < b.lines; i++) push(' '.repeat(columns));
        break;
      case 'qr':
        out.push({ kind: 'qr', data: b.data });
        break;
    }
  }
  return out;
}
