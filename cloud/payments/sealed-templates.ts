import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyVault, WrappedKey } from './key-vault';

/**
 * Envelope encryption of a shopper's enrolment templates: a fresh 256-bit data key per shopper
 * encrypts the templates (AES-256-GCM), and the vault wraps the data key. Both are bound to the
 * row (`store|templateId`), so a sealed value copied onto another shopper's row does not open.
 * Deleting a shopper's wrapped key is enough to make the templates unreadable (crypto-shredding).
 */
export interface SealedTemplates {
  readonly v: 1;
  readonly dataKey: WrappedKey;
  /** base64 of IV ‖ ciphertext ‖ tag over the templates, one after another. */
  readonly sealed: string;
  readonly dims: number;
  readonly count: number;
}

const context = (storeId: string, templateId: string) => `shopper|${storeId}|${templateId}`;

export async function sealTemplates(
  vault: KeyVault,
  storeId: string,
  templateId: string,
  templates: readonly Int8Array[],
): Promise<SealedTemplates> {
  const dims = templates[0]?.length ?? 0;
  if (dims === 0 || templates.some((t) => t.length !== dims))
    throw new RangeError('a shopper needs one or more templates of one length');
  const ctx = context(storeId, templateId);
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', dataKey, iv);
  c.setAAD(Buffer.from(ctx, 'utf8'));
  const plain = Buffer.concat(templates.map((t) => Buffer.from(t.buffer, t.byteOffset, t.length)));
  const body = Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
  plain.fill(0);
  const wrapped = await vault.wrap(dataKey, ctx);
  dataKey.fill(0);
  return { v: 1, dataKey: wrapped, sealed: body.toString('base64'), dims, count: templates.length };
}

/** The templates back (for one 1:1 re-match; the caller drops them straight after). */
export async function openTemplates(
  vault: KeyVault,
  storeId: string,
  templateId: string,
  s: SealedTemplates,
): Promise<Int8Array[]> {
  const ctx = context(storeId, templateId);
  const dataKey = await vault.unwrap(s.dataKey, ctx);
  const all = Buffer.from(s.sealed, 'base64');
  const d = createDecipheriv('aes-256-gcm', dataKey, all.subarray(0, 12));
  d.setAAD(Buffer.from(ctx, 'utf8'));
  d.setAuthTag(all.subarray(all.length - 16));
  const plain = Buffer.concat([d.update(all.subarray(12, all.length - 16)), d.final()]);
  dataKey.fill(0);
  if (plain.length !== s.dims * s.count)
    throw new RangeError('sealed templates have the wrong size');
  return Array.from(
    { length: s.count },
    (_, i) => new Int8Array(plain.buffer, plain.byteOffset + i * s.dims, s.dims),
  );
}
