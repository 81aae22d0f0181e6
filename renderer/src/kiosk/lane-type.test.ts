import { describe, expect, it } from 'vitest';
import { isKioskLane } from './lane-type';

describe('the lane type', () => {
  it('is a kiosk when the host says so, whatever the page asks', () => {
    expect(isKioskLane('self', '?lane=attended', null)).toBe(true);
    expect(isKioskLane(null, '', 'self')).toBe(true);
  });
  it('lets a launch option turn an attended lane into a kiosk, and nothing else', () => {
    expect(isKioskLane('attended', '?lane=self', null)).toBe(true);
    expect(isKioskLane('attended', '?lane=attended', null)).toBe(false);
    expect(isKioskLane(null, '', null)).toBe(false);
  });
});
