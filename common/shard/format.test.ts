import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from './chunk';
import { recordMetaProblem, recordMetaSchema, ShardError } from './format';

const good = {
  templateId: 't1',
  customerRef: 'c1',
  templates: 1,
  ageVerified: false,
  loyaltyId: null,
  limits: { currency: 'EUR', perPayment: 0, perDay: 20_000 },
  phoneLast4: { salt: 'AAAAAAAAAAAAAAAAAAAAAA==', hash: 'q83v' },
};

// Each variant changes one thing; the hand checker must agree with the zod reference on all.
const variants: [string, unknown][] = [
  ['valid', good],
  ['valid, loyalty id and 16 templates', { ...good, loyaltyId: 'L'.repeat(128), templates: 16 }],
  ['extra field', { ...good, extra: 1 }],
  ['missing field', (({ ageVerified: _, ...r }) => r)(good)],
  ['not an object', [good]],
  ['null', null],
  ['empty templateId', { ...good, templateId: '' }],
  ['long customerRef', { ...good, customerRef: 'c'.repeat(129) }],
  ['numeric templateId', { ...good, templateId: 7 }],
  ['0 templates', { ...good, templates: 0 }],
  ['17 templates', { ...good, templates: 17 }],
  ['fractional templates', { ...good, templates: 1.5 }],
  ['string ageVerified', { ...good, ageVerified: 'yes' }],
  ['long loyaltyId', { ...good, loyaltyId: 'L'.repeat(129) }],
  ['numeric loyaltyId', { ...good, loyaltyId: 5 }],
  ['lower-case currency', { ...good, limits: { ...good.limits, currency: 'eur' } }],
  ['negative limit', { ...good, limits: { ...good.limits, perDay: -1 } }],
  ['fractional limit', { ...good, limits: { ...good.limits, perPayment: 0.5 } }],
  ['unsafe limit', { ...good, limits: { ...good.limits, perPayment: 2 ** 60 } }],
  ['extra limit field', { ...good, limits: { ...good.limits, perWeek: 1 } }],
  ['bad base64 salt', { ...good, phoneLast4: { ...good.phoneLast4, salt: 'a*b' } }],
  ['missing hash', { ...good, phoneLast4: { salt: 'AA==' } }],
];

describe('recordMetaProblem', () => {
  it.each(variants)('agrees with recordMetaSchema: %s', (_, record) => {
    const zodOk = recordMetaSchema.safeParse(record).success;
    expect(recordMetaProblem(record) === null).toBe(zodOk);
  });

  it('the cases cover both verdicts', () => {
    const verdicts = new Set(variants.map(([, r]) => recordMetaSchema.safeParse(r).success));
    expect(verdicts).toEqual(new Set([true, false]));
  });
});

describe('decodeChunk, JSON layout (PSC1)', () => {
  it('refuses a chunk whose record metadata breaks the rules, naming the record', () => {
    const bytes = encodeChunk(
      {
        kind: 'records',
        records: [
          { ...good, templates: [new Int8Array(512)] },
          {
            ...good,
            templateId: 't2',
            templates: [new Int8Array(512)],
            ageVerified: 'no' as never,
          },
        ],
      },
      'json',
    );
    expect(() => decodeChunk(bytes)).toThrow(ShardError);
    expect(() => decodeChunk(bytes)).toThrow(/record 1: ageVerified/);
  });

  it('round-trips valid records', () => {
    const t = Int8Array.from({ length: 512 }, (_, i) => (i % 255) - 127);
    const body = decodeChunk(
      encodeChunk({ kind: 'records', records: [{ ...good, templates: [t] }] }, 'json'),
    );
    expect(body.kind === 'records' && body.records[0]!.templates[0]).toEqual(t);
  });
});
