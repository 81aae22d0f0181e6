import { z } from 'zod';
import { INTERVENTION_KINDS } from './interventions';
import { LIGHT_STATES } from './light';

/**
 * What a kiosk tells its store cloud every second or two (POST /v1/kiosk/status, signed by the
 * lane like every lane request) so the attendant console can show it, and what the cloud
 * answers: the decisions attendants made at the console for this kiosk's pending interventions.
 * The kiosk's store is the one its signature belongs to; nothing in the body names a store.
 */
const text = (max: number) => z.string().max(max);
const interventionId = z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, 'an intervention id');

export const kioskInterventionWire = z.strictObject({
  id: interventionId,
  kind: z.enum(INTERVENTION_KINDS),
  severity: z.enum(['red', 'yellow']),
  raisedAt: z.iso.datetime(),
  /** What the console shows ("ID check for IPA 6 pk"). */
  what: text(200),
});

export const kioskStatusRequest = z.strictObject({
  light: z.enum(LIGHT_STATES),
  screen: z.enum(['welcome', 'shopping', 'paying', 'receipt']),
  basket: z.strictObject({
    amount: z
      .number()
      .int()
      .min(0)
      .max(10 ** 13),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  items: z.number().int().min(0).max(10_000),
  saleId: text(64),
  interventions: z.array(kioskInterventionWire).max(50),
  /** Console decisions the kiosk has applied since its last report. */
  applied: z.array(z.number().int().positive()).max(50),
});
export type KioskStatusRequest = z.infer<typeof kioskStatusRequest>;

export interface ConsoleDecision {
  readonly decisionId: number;
  readonly interventionId: string;
  readonly decision: 'approve' | 'deny';
  readonly by: {
    readonly id: string;
    readonly name: string;
    readonly role: 'manager' | 'attendant';
  };
}

export interface KioskStatusResponse {
  readonly decisions: readonly ConsoleDecision[];
}

/** A kiosk that has not reported for this long is shown as offline on the console. */
export const KIOSK_OFFLINE_AFTER_MS = 10_000;
