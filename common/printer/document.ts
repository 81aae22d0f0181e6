import { z } from 'zod';

/**
 * A printed document (a receipt, a Z report, a reprint), as the lane composes it: already in the
 * store's language with money formatted, but with no printer command in it. The host lays it out
 * for its printer's width and encodes ESC/POS (native/printer/escpos-encode.ts), so the renderer
 * can never send a printer raw commands, and it never needs to know which printer is attached.
 *
 * Blocks, top to bottom:
 * - `text`: a paragraph, wrapped to the paper width (measured in printer columns, where a Korean
 *   or other East Asian wide character takes two); `size: 2` prints double width and height.
 * - `row`: a label on the left and an amount on the right, padded to the full width; a long label
 *   is shortened with "…" so the amount always stays whole and aligned.
 * - `rule`: a line across the paper. `feed`: empty lines.
 * - `qr`: a QR code (the e-receipt link), printed by the printer's own QR generator.
 * The paper is cut after the last block.
 */
const text = z.string().max(400);

export const printBlockSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('text'),
    text,
    align: z.enum(['left', 'center', 'right']).optional(),
    bold: z.boolean().optional(),
    size: z.union([z.literal(1), z.literal(2)]).optional(),
  }),
  z.strictObject({
    kind: z.literal('row'),
    left: text,
    right: z.string().max(60),
    bold: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('rule') }),
  z.strictObject({ kind: z.literal('feed'), lines: z.number().int().min(1).max(10) }),
  z.strictObject({
    kind: z.literal('qr'),
    data: z
      .string()
      .min(1)
      .max(300)
      .regex(/^[\x20-\x7e]+$/, 'a QR payload is printable ASCII (a URL)'),
  }),
]);

export const printDocumentSchema = z.strictObject({
  /** What the job is, for the printer log and the emulator ("receipt 0003-000042", "Z 12"). */
  title: z.string().min(1).max(64),
  blocks: z.array(printBlockSchema).min(1).max(2000),
});

export type PrintBlock = z.infer<typeof printBlockSchema>;
export type PrintDocument = z.infer<typeof printDocumentSchema>;

/** Small builders, so a caller writes `row('Total', fmt(total), { bold: true })`. */
export const doc = {
  text: (t: string, o: Omit<Extract<PrintBlock, { kind: 'text' }>, 'kind' | 'text'> = {}) =>
    ({ kind: 'text', text: t, ...o }) as const satisfies PrintBlock,
  row: (left: string, right: string, o: { bold?: boolean } = {}) =>
    ({ kind: 'row', left, right, ...o }) as const satisfies PrintBlock,
  rule: () => ({ kind: 'rule' }) as const satisfies PrintBlock,
  feed: (lines = 1) => ({ kind: 'feed', lines }) as const satisfies PrintBlock,
  qr: (data: string) => ({ kind: 'qr', data }) as const satisfies PrintBlock,
};
