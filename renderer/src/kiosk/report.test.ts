import { describe, expect, it } from 'vitest';
import { newSession, raise, unknownBarcode } from '../../../common/kiosk/interventions';
import { kioskStatusRequest } from '../../../common/kiosk/wire';
import { decisionsFor, kioskReport, localId, screenOf, wireId } from './report';

const session = raise(newSession('sale-abc'), unknownBarcode('123', 1_000, 1));
const by = { id: 'a1', name: 'Alex Kim', role: 'attendant' } as const;

describe('the kiosk report', () => {
  it('is what the cloud accepts, with ids that name the sale', () => {
    const r = kioskReport({
      session,
      light: 'red',
      phase: 'scanning',
      basket: { amount: 500, currency: 'USD' },
      items: 1,
      applied: [3],
      describe: (i) => `what ${i.kind}`,
    });
    expect(kioskStatusRequest.parse(r)).toEqual(r);
    expect(r.interventions[0]!.id).toBe('sale-abc:unknown-1');
    expect(localId('sale-abc', r.interventions[0]!.id)).toBe('unknown-1');
    expect(localId('sale-other', r.interventions[0]!.id)).toBeNull();
  });
  it('applies a console decision only to this sale’s pending interventions', () => {
    const d = (interventionId: string) => ({
      decisionId: 1,
      interventionId,
      decision: 'approve' as const,
      by,
    });
    expect(decisionsFor(session, [d(wireId('sale-abc', 'unknown-1'))])[0]!.id).toBe('unknown-1');
    expect(decisionsFor(session, [d(wireId('sale-old', 'unknown-1'))])[0]!.id).toBeNull();
    expect(decisionsFor(session, [d(wireId('sale-abc', 'help-9'))])[0]!.id).toBeNull();
  });
  it('names the screen', () => {
    expect(screenOf('scanning', 0)).toBe('welcome');
    expect(screenOf('age-check', 2)).toBe('shopping');
    expect(screenOf('card', 2)).toBe('paying');
    expect(screenOf('receipt', 2)).toBe('receipt');
  });
});
