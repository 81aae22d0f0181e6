import { normaliseBarcode } from '../../../common/barcode';
import { searchWords, type Product } from '../../../common/catalog';
import { demoCatalog } from '../../../common/demo-catalog';
import { DomainError } from '../../../common/errors';
import type { StoreProfile } from '../../../common/store-profile';
import type { TerminalDatabase } from './database';

const SEED_KEY = 'catalog-seed';

/**
 * Seeds the demo store's catalog on first run, or re-prices it when the store profile changes
 * (prices are per currency). Idempotent: a second call with the same profile writes nothing.
 */
export async function seedCatalog(db: TerminalDatabase, profile: StoreProfile): Promise<boolean> {
  const products = demoCatalog(profile).map((p) => ({ ...p, words: searchWords(p.name) }));
  return db.transaction('rw', [db.catalog, db.settings, db.audit], async () => {
    const seeded = await db.settings.get(SEED_KEY);
    if ((seeded?.value as { profileId?: string } | undefined)?.profileId === profile.id)
      return false;
    await db.catalog.clear();
    await db.catalog.bulkAdd(products);
    await db.settings.put({
      key: SEED_KEY,
      value: { profileId: profile.id, count: products.length },
    });
    await db.audit.add({
      at: new Date().toISOString(),
      kind: 'catalog.seeded',
      detail: { profileId: profile.id, count: products.length },
    });
    return true;
  });
}

/** Look a scanned code up; throws a DomainError the lane shows as is. */
export async function productByBarcode(db: TerminalDatabase, raw: string): Promise<Product> {
  const barcode = normaliseBarcode(raw);
  const row = await db.catalog.where('barcode').equals(barcode).first();
  if (!row) {
    throw new DomainError('PRODUCT_NOT_FOUND', `No product with barcode ${barcode}`, { barcode });
  }
  return row;
}

/** Products whose name words start with every typed word ("choc bar" → "Dark Chocolate Bar"). */
export async function searchProducts(
  db: TerminalDatabase,
  query: string,
  limit = 8,
): Promise<Product[]> {
  const words = searchWords(query);
  const [first, ...rest] = words;
  if (!first) return [];
  const candidates = await db.catalog
    .where('words')
    .startsWith(first)
    .distinct()
    .limit(200)
    .toArray();
  return candidates
    .filter((p) => rest.every((w) => p.words.some((pw) => pw.startsWith(w))))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
}
