import { describe, expect, it } from 'vitest';
import { saveEvent, saveFailureOf } from './cloud-answer';
import { CAPTURES_PER_PALM } from './captures';
import { canFinish, enrolStep, initialEnrolState } from './machine';
import { laneCapture } from './testing';
import type { EnrolCommand, EnrolEvent, EnrolState } from './types';

/** How the flow recovers from what the card terminal, the scanner and the cloud refuse. */
function run(events: EnrolEvent[], start = initialEnrolState({ online: true, country: 'US' })) {
  let state: EnrolState = start;
  const commands: EnrolCommand[] = [];
  for (const e of events) {
    const t = enrolStep(state, e);
    state = t.state;
    commands.push(...t.commands);
  }
  return { state, commands };
}
const AT = '2026-12-01T12:00:00.000Z';
const toPalms: EnrolEvent[] = [
  { type: 'CONSENT', at: AT },
  { type: 'CARD_READ', setupRef: 'seti_emu_1', brand: 'Visa', last4: '4242' },
  { type: 'PHONE', raw: '+1 201 555 0123' },
];
const palm = (identity: number): EnrolEvent[] => [
  { type: 'START_PALM', hand: 'left' },
  ...Array.from({ length: CAPTURES_PER_PALM }, (_, k) => ({
    type: 'CAPTURED' as const,
    capture: laneCapture(identity, { seed: k + 1 }),
  })),
];
const saving = () => run([...toPalms, ...palm(17), { type: 'FINISH' }]).state;

describe('enrolment flow: recovering from refusals', () => {
  it('the cloud declining the card goes back to the card; a new card returns to the palms', () => {
    const back = enrolStep(saving(), { type: 'SAVE_FAILED', reason: 'card-declined' }).state;
    expect(back).toMatchObject({ step: 'card', card: null, problem: 'card-declined' });
    expect(enrolStep(back, { type: 'READ_CARD' }).commands).toEqual([{ type: 'read-card' }]);
    const again = enrolStep(back, {
      type: 'CARD_READ',
      setupRef: 'seti_emu_2',
      brand: 'Mastercard',
      last4: '4444',
    }).state;
    expect(again).toMatchObject({ step: 'palms', problem: null, phone: { e164: '+12015550123' } });
    expect(canFinish(again)).toBe(true);
  });

  it('captures the cloud refuses (unapproved scanner, reused) are dropped: capture again', () => {
    const back = enrolStep(saving(), { type: 'SAVE_FAILED', reason: 'captures-refused' }).state;
    expect(back).toMatchObject({ step: 'palms', palms: [], problem: 'captures-refused' });
    expect(canFinish(back)).toBe(false);
  });

  it('a refused attendant credential drops the age check, nothing else', () => {
    const withAge = run([
      ...toPalms,
      {
        type: 'AGE_VERIFIED',
        verification: { minimumAge: 18, staffId: 'a1', passcode: '11111111', verifiedAt: AT },
      },
      ...palm(17),
      { type: 'FINISH' },
    ]).state;
    const back = enrolStep(withAge, { type: 'SAVE_FAILED', reason: 'age-refused' }).state;
    expect(back).toMatchObject({ step: 'palms', age: null, problem: 'age-refused' });
    expect(canFinish(back)).toBe(true);
  });

  it('wrong digits for the update stay on the duplicate prompt', () => {
    const dup = enrolStep(saving(), { type: 'ALREADY_ENROLLED', customerRef: 'cus_x' }).state;
    const upd = enrolStep(dup, { type: 'UPDATE_EXISTING', confirmLast4: '9999' }).state;
    const back = enrolStep(upd, { type: 'SAVE_FAILED', reason: 'confirm-failed' }).state;
    expect(back).toMatchObject({ step: 'duplicate', problem: 'confirm-failed' });
  });

  it('no hand within the timeout stops that palm with the good captures kept', () => {
    const { state } = run([
      ...toPalms,
      { type: 'START_PALM', hand: 'right' },
      { type: 'CAPTURED', capture: laneCapture(17, { seed: 1 }) },
      { type: 'CAPTURE_FAILED', problem: 'timeout' },
    ]);
    expect(state).toMatchObject({ current: null, problem: 'capture-timeout' });
    expect(state.palms[0]!.good).toHaveLength(1);
    expect(canFinish(state)).toBe(false);
  });

  it('a scanner refusal pauses the palm (the hand is still there); resuming keeps its captures', () => {
    const { state, commands } = run([
      ...toPalms,
      { type: 'START_PALM', hand: 'left' },
      { type: 'CAPTURED', capture: laneCapture(17, { seed: 1 }) },
      { type: 'CAPTURE_FAILED', problem: 'liveness' },
    ]);
    expect(state).toMatchObject({ current: null, problem: 'capture-liveness' });
    expect(state.palms[0]).toMatchObject({ tries: 2 });
    expect(commands.filter((c) => c.type === 'capture')).toHaveLength(2);
    const resumed = enrolStep(state, { type: 'START_PALM', hand: 'left' });
    expect(resumed.commands).toEqual([{ type: 'capture', hand: 'left' }]);
    expect(resumed.state.palms[0]).toMatchObject({ tries: 2 });
    expect(resumed.state.palms[0]!.good).toHaveLength(1);
  });

  it('cancel while the card terminal waits cancels the card read', () => {
    const t = enrolStep(run([{ type: 'CONSENT', at: AT }]).state, { type: 'CANCEL' });
    expect(t.state.step).toBe('cancelled');
    expect(t.commands).toEqual([{ type: 'cancel-card' }]);
  });

  it.each([
    [0, 'NETWORK', 'unreachable'],
    [503, 'UNAVAILABLE', 'unreachable'],
    [402, 'CARD_DECLINED', 'card-declined'],
    [503, 'CARD_UNAVAILABLE', 'card-unavailable'],
    [422, 'CAPTURE_INVALID', 'captures-refused'],
    [422, 'CAPTURE_REUSED', 'captures-refused'],
    [422, 'CAPTURE_QUALITY', 'captures-refused'],
    [403, 'STAFF_CREDENTIAL_INVALID', 'age-refused'],
    [403, 'CONFIRMATION_FAILED', 'confirm-failed'],
    [409, 'PALM_PAY_NOT_SET_UP', 'refused'],
    [400, 'BAD_REQUEST', 'refused'],
  ])('HTTP %i %s → %s', (status, code, reason) => {
    expect(saveFailureOf(status, code)).toBe(reason);
    expect(saveEvent({ kind: 'failed', reason: saveFailureOf(status, code), message: '' })).toEqual(
      { type: 'SAVE_FAILED', reason },
    );
  });
});
