import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KIOSK_RULES as RULES,
  helpCall,
  quantityCheck,
  unknownBarcode,
  type Intervention,
} from './interventions';
import { laneLight, nextLightChangeAt } from './light';

const at = (interventions: Intervention[], now = 1_000, open = true) => ({
  open,
  interventions,
  now,
});
const flagged = quantityCheck({ lineId: 'l', name: 'n' }, 99, RULES, 1_000)!;
const blocked = unknownBarcode('1', 1_000, 1);

describe('the lane light per lane state', () => {
  it('is off when the lane is closed, whatever is pending', () => {
    expect(laneLight(at([blocked], 1_000, false), RULES)).toBe('off');
  });
  it('is green with nothing pending', () => {
    expect(laneLight(at([]), RULES)).toBe('green');
  });
  it('is yellow for a flagged intervention, red for a blocking one', () => {
    expect(laneLight(at([flagged]), RULES)).toBe('yellow');
    expect(laneLight(at([flagged, blocked]), RULES)).toBe('red');
  });
  it('flashes for a help call, and when a blocking one has waited past the escalation time', () => {
    expect(laneLight(at([helpCall(1_000, 1)]), RULES)).toBe('flashing');
    expect(laneLight(at([blocked], 1_000 + RULES.escalateAfterMs - 1), RULES)).toBe('red');
    expect(laneLight(at([blocked], 1_000 + RULES.escalateAfterMs), RULES)).toBe('flashing');
  });
  it('says when time alone will change it', () => {
    expect(nextLightChangeAt(at([blocked], 2_000), RULES)).toBe(1_000 + RULES.escalateAfterMs);
    expect(nextLightChangeAt(at([flagged]), RULES)).toBeNull();
  });
});
