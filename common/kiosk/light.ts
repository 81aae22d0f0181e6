import type { Intervention, KioskRules } from './interventions';

/** What a lane light tower shows (one lamp per colour, and flashing). */
export const LIGHT_STATES = ['off', 'green', 'yellow', 'red', 'flashing'] as const;
export type LightState = (typeof LIGHT_STATES)[number];

export interface LaneLightInput {
  /** The kiosk is open for shoppers (false: closed, out of service, or its page is gone). */
  readonly open: boolean;
  readonly interventions: readonly Intervention[];
  readonly now: number;
}

/**
 * The light follows the lane: off when closed; flashing when someone called for help or a red
 * intervention has waited past the escalation time (come now); red while a shopper is blocked;
 * yellow while something is flagged for before the end; green when the lane is free or selling
 * with nothing to see.
 */
export function laneLight(
  l: LaneLightInput,
  rules: Pick<KioskRules, 'escalateAfterMs'>,
): LightState {
  if (!l.open) return 'off';
  const red = l.interventions.filter((i) => i.severity === 'red');
  if (l.interventions.some((i) => i.kind === 'help')) return 'flashing';
  if (red.some((i) => l.now - i.raisedAt >= rules.escalateAfterMs)) return 'flashing';
  if (red.length > 0) return 'red';
  if (l.interventions.length > 0) return 'yellow';
  return 'green';
}

/** When the light next changes by time alone (an escalation), or null. */
export function nextLightChangeAt(
  l: LaneLightInput,
  rules: Pick<KioskRules, 'escalateAfterMs'>,
): number | null {
  const times = l.interventions
    .filter((i) => i.severity === 'red' && l.now - i.raisedAt < rules.escalateAfterMs)
    .map((i) => i.raisedAt + rules.escalateAfterMs);
  return times.length > 0 ? Math.min(...times) : null;
}

/** What the host says of its light tower. */
export interface LightTowerStatus {
  readonly state: LightState;
  /** `emulator`, or the real tower's kind (e.g. `serial`). */
  readonly kind: string;
  /** ISO time the tower last changed. */
  readonly changedAt: string;
}
