import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../db/schema';
import { REJECTED_CSV_HEADER, csvCell, rejectedCsv } from './csv';

const row = (over: Partial<OutboxRow> & { receiptNo?: string } = {}): OutboxRow =>
  ({
    mutationId: 7,
    kind: 'sale.completed',
    createdAt: '2026-01-02T03:04:05.000Z',
    status: 'rejected',
    attempts: 2,
    syncedAt: '2026-01-02T03:05:00.000Z',
    rejectedReason: 'sale s-1: tenders add up to 900, the total is 1000',
    payload: {
      id: 's-1',
      receiptNo: over.receiptNo ?? 'L01-000007',
      currency: 'USD',
      totals: { total: { amount: 1000, currency: 'USD' } },
      tenders: [
        { kind: 'cash', amount: { amount: 600, currency: 'USD' } },
        { kind: 'card', amount: { amount: 300, currency: 'USD' } },
      ],
    },
    ...over,
  }) as unknown as OutboxRow;

describe('rejected CSV export', () => {
  it('writes a header and one quoted, CRLF-ended row per rejected mutation', () => {
    const csv = rejectedCsv([row()]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(REJECTED_CSV_HEADER.join(','));
    expect(lines[1]).toBe(
      '7,sale.completed,2026-01-02T03:04:05.000Z,2026-01-02T03:05:00.000Z,L01-000007,s-1,1000,USD,cash:600 card:300,"sale s-1: tenders add up to 900, the total is 1000"',
    );
    expect(lines[2]).toBe('');
  });

  it('escapes quotes and newlines and defuses spreadsheet formulas', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(-5)).toBe("'-5");
    expect(csvCell(null)).toBe('');
    expect(rejectedCsv([row({ receiptNo: '=1+1' })])).toContain(",'=1+1,");
  });
});
