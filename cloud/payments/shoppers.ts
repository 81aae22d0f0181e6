import type { ShardRecord } from '../../common/shard/format';
import type { Population } from '../../common/palm/population';
import type { Queryable } from '../db/types';
import { demoCard, demoPopulation, demoShopper, demoTemplateId } from '../demo-shoppers';
import type { KeyVault } from './key-vault';
import { openTemplates, sealTemplates, type SealedTemplates } from './sealed-templates';

/**
 * The cloud's shopper store (`shoppers`, migration 7): what palm pay needs to know of an
 * enrolled shopper — pseudonymous ref, card token on file, limits, age flag, loyalty id, the
 * salted hash of the phone's last four digits — and the enrolment templates, sealed
 * (sealed-templates.ts). The demo store's shoppers are derived from cloud/demo-shoppers.ts on
 * first use (one row the first time a payment names one), so start-up does no work for them.
 */
export interface CardOnFile {
  readonly token: string;
  readonly brand: string;
  readonly last4: string;
}

export interface EnrolledShopper {
  readonly storeId: string;
  readonly templateId: string;
  readonly customerRef: string;
  readonly card: CardOnFile;
  readonly loyaltyId: string | null;
  readonly ageVerified: boolean;
  readonly limits: {
    readonly currency: string;
    readonly perPayment: number;
    readonly perDay: number;
  };
  readonly phoneLast4: { readonly salt: string; readonly hash: string };
  readonly sealed: SealedTemplates;
}

/** The demo store's shoppers 0 … count−1, enrolled on demand. */
export interface DemoShopperSeed {
  readonly storeId: string;
  readonly count: number;
}

interface Row {
  store_id: string;
  template_id: string;
  customer_ref: string;
  card_token: string;
  card_brand: string;
  card_last4: string;
  loyalty_id: string | null;
  age_verified: boolean;
  currency: string;
  per_payment: number;
  per_day: number;
  phone_salt: string;
  phone_hash: string;
  templates: SealedTemplates;
}

const fromRow = (r: Row): EnrolledShopper => ({
  storeId: r.store_id,
  templateId: r.template_id,
  customerRef: r.customer_ref,
  card: { token: r.card_token, brand: r.card_brand, last4: r.card_last4 },
  loyaltyId: r.loyalty_id,
  ageVerified: r.age_verified,
  limits: { currency: r.currency, perPayment: r.per_payment, perDay: r.per_day },
  phoneLast4: { salt: r.phone_salt, hash: r.phone_hash },
  sealed: r.templates,
});

const INSERT_COLUMNS = `store_id, template_id, customer_ref, card_token, card_brand, card_last4, loyalty_id,
  age_verified, currency, per_payment, per_day, phone_salt, phone_hash, templates`;

export class ShopperStore {
  private population: Population | null = null;

  constructor(
    readonly vault: KeyVault,
    private readonly demo: DemoShopperSeed | null = null,
  ) {}

  /** Enrols (or leaves as it is) one shopper per record. */
  async enrol(
    tx: Queryable,
    storeId: string,
    shoppers: readonly { record: ShardRecord; card: CardOnFile }[],
  ): Promise<number> {
    if (shoppers.length === 0) return 0;
    const rows = await Promise.all(
      shoppers.map(async ({ record: r, card }) => ({
        store_id: storeId,
        template_id: r.templateId,
        customer_ref: r.customerRef,
        card_token: card.token,
        card_brand: card.brand,
        card_last4: card.last4,
        loyalty_id: r.loyaltyId,
        age_verified: r.ageVerified,
        currency: r.limits.currency,
        per_payment: r.limits.perPayment,
        per_day: r.limits.perDay,
        phone_salt: r.phoneLast4.salt,
        phone_hash: r.phoneLast4.hash,
        templates: await sealTemplates(this.vault, storeId, r.templateId, r.templates),
      })),
    );
    const res = await tx.query(
      `INSERT INTO shoppers (${INSERT_COLUMNS})
       SELECT ${INSERT_COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(store_id text, template_id text,
         customer_ref text, card_token text, card_brand text, card_last4 text, loyalty_id text,
         age_verified boolean, currency text, per_payment bigint, per_day bigint, phone_salt text,
         phone_hash text, templates jsonb)
       -- A deleted shopper is never enrolled again from the demo seed (migration 12's tombstones).
       WHERE NOT EXISTS (SELECT 1 FROM shopper_deletions d
                         WHERE d.store_id = x.store_id AND d.template_id = x.template_id)
       ON CONFLICT (store_id, template_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return res.affected;
  }

  /**
   * The shopper enrolled in `storeId` under `templateId`, or null. `lock` takes the row's lock
   * for the rest of the transaction, so two payments by one shopper are judged one after the
   * other (daily limits, velocity).
   */
  async find(
    tx: Queryable,
    storeId: string,
    templateId: string,
    o: { lock?: boolean } = {},
  ): Promise<EnrolledShopper | null> {
    const select = async () =>
      (
        await tx.query<Row>(
          `SELECT * FROM shoppers WHERE store_id = $1 AND template_id = $2${o.lock ? ' FOR UPDATE' : ''}`,
          [storeId, templateId],
        )
      ).rows[0];
    let row = await select();
    if (!row) {
      const index = this.demoIndex(storeId, templateId);
      if (index === null) return null;
      await this.enrol(tx, storeId, [this.demoRecord(index)]);
      row = await select();
    }
    return row ? fromRow(row) : null;
  }

  /** The shopper's templates in the clear, for one 1:1 re-match. */
  open(shopper: EnrolledShopper): Promise<Int8Array[]> {
    return openTemplates(this.vault, shopper.storeId, shopper.templateId, shopper.sealed);
  }

  /** How many templates the store's gallery holds (the N of its 1:N decisions). */
  async galleryTemplates(tx: Queryable, storeId: string): Promise<number> {
    // Kept by a trigger on shoppers (migration 16): summing the rows read every shopper's.
    const r = await tx.query<{ n: number }>(
      'SELECT templates AS n FROM store_galleries WHERE store_id = $1',
      [storeId],
    );
    const enrolled = Number(r.rows[0]?.n ?? 0);
    return this.demo?.storeId === storeId ? Math.max(enrolled, this.demo.count) : enrolled;
  }

  /**
   * Enrols every demo shopper not yet enrolled, `batch` at a time (each batch one statement),
   * for a cloud that would rather pay the cost up front than on each shopper's first payment.
   * A batch already enrolled is skipped without deriving or sealing it (a restart costs a count
   * per batch), and `signal` stops it between batches (a cloud closing while it seeds).
   */
  async seedDemo(db: Queryable, batch = 500, signal?: AbortSignal): Promise<number> {
    if (!this.demo) return 0;
    const { storeId, count } = this.demo;
    let seeded = 0;
    for (let from = 0; from < count && !signal?.aborted; from += batch) {
      const ids = Array.from({ length: Math.min(count, from + batch) - from }, (_, i) =>
        demoTemplateId(from + i),
      );
      const have = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM shoppers
         WHERE store_id = $1 AND template_id IN (SELECT jsonb_array_elements_text($2::jsonb))`,
        [storeId, JSON.stringify(ids)],
      );
      if (Number(have.rows[0]?.n ?? 0) === ids.length) continue;
      seeded += await this.enrol(
        db,
        storeId,
        ids.map((_, i) => this.demoRecord(from + i)),
      );
    }
    return seeded;
  }

  private demoIndex(storeId: string, templateId: string): number | null {
    if (!this.demo || storeId !== this.demo.storeId) return null;
    const m = /^demo-palm-(0|[1-9]\d{0,8})$/.exec(templateId);
    const n = m ? Number(m[1]) : -1;
    return n >= 0 && n < this.demo.count && demoTemplateId(n) === templateId ? n : null;
  }

  private demoRecord(index: number): { record: ShardRecord; card: CardOnFile } {
    this.population ??= demoPopulation();
    return { record: demoShopper(this.population, index), card: demoCard(index) };
  }
}
