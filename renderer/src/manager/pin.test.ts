import { describe, expect, it } from 'vitest';
import { MAX_PIN_FAILURES, PIN_LOCKOUT_MS, PinThrottle } from './pin';

describe('PIN throttle', () => {
  it('locks after five failures for 30 s, then allows again', () => {
    let now = 1_000_000;
    const throttle = new PinThrottle(() => now);
    for (let i = 0; i < MAX_PIN_FAILURES - 1; i++) throttle.record(false);
    expect(throttle.lockedFor()).toBe(0);
    expect(throttle.triesLeft()).toBe(1);
    throttle.record(false);
    expect(throttle.lockedFor()).toBe(PIN_LOCKOUT_MS);
    now += PIN_LOCKOUT_MS;
    expect(throttle.lockedFor()).toBe(0);
    expect(throttle.triesLeft()).toBe(MAX_PIN_FAILURES);
  });

  it('a right PIN resets the count', () => {
    const throttle = new PinThrottle(() => 0);
    throttle.record(false);
    throttle.record(false);
    throttle.record(true);
    expect(throttle.triesLeft()).toBe(MAX_PIN_FAILURES);
  });
});
