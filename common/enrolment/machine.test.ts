import { describe, expect, it } from 'vitest';
import { CAPTURES_PER_PALM, MAX_TRIES_PER_PALM } from './captures';
import { canFinish, enrolStep, initialEnrolState } from './machine';
import { laneCapture } from './testing';
import type { EnrolCommand, EnrolEvent, EnrolState } from './types';

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
  { type: 'PHONE', raw: '(201) 555-0123' },
];
const palm = (identity: number, hand: 'left' | 'right', seed0 = 1): EnrolEvent[] => [
  { type: 'START_PALM', hand },
  ...Array.from({ length: CAPTURES_PER_PALM }, (_, k) => ({
    type: 'CAPTURED' as const,
    capture: laneCapture(identity, { seed: seed0 + k }),
  })),
];

describe('enrolment flow', () => {
  it('consent → card → phone → two palms → save, with one save command carrying it all', () => {
    const { state, commands } = run([
      ...toPalms,
      ...palm(17, 'left'),
      ...palm(1017, 'right'),
      { type: 'FINISH' },
    ]);
    expect(state.step).toBe('saving');
    expect(commands.map((c) => c.type)).toEqual([
      'read-card',
      ...Array(CAPTURES_PER_PALM).fill('capture'),
      ...Array(CAPTURES_PER_PALM).fill('capture'),
      'save',
    ]);
    const save = commands.at(-1) as Extract<EnrolCommand, { type: 'save' }>;
    expect(save.onDuplicate).toEqual({ kind: 'ask' });
    expect(save.request).toMatchObject({
      consentAt: AT,
      cardSetupRef: 'seti_emu_1',
      phone: '+12015550123',
      age: null,
    });
    expect(save.request.palms.map((p) => [p.hand, p.captures.length])).toEqual([
      ['left', CAPTURES_PER_PALM],
      ['right', CAPTURES_PER_PALM],
    ]);
    const done = enrolStep(state, { type: 'SAVED', customerRef: 'cus_1', updated: false });
    expect(done.state).toMatchObject({ step: 'done', result: { customerRef: 'cus_1' } });
  });

  it('offline: consent is refused with the reason and nothing is asked of any device', () => {
    const { state, commands } = run(
      [{ type: 'CONSENT', at: AT }],
      initialEnrolState({ online: false, country: 'US' }),
    );
    expect(state).toMatchObject({ step: 'consent', problem: 'offline' });
    expect(commands).toEqual([]);
  });

  it('a declined card stays on the card step with the reason, and can be read again', () => {
    const { state, commands } = run([
      { type: 'CONSENT', at: AT },
      { type: 'CARD_FAILED', reason: 'declined' },
    ]);
    expect(state).toMatchObject({ step: 'card', problem: 'card-declined', card: null });
    const again = enrolStep(state, { type: 'READ_CARD' });
    expect(again.commands).toEqual([{ type: 'read-card' }]);
    expect(commands).toEqual([{ type: 'read-card' }]);
  });

  it('a bad phone number stays on the phone step with the reason', () => {
    const { state } = run([...toPalms.slice(0, 2), { type: 'PHONE', raw: '555-0123' }]);
    expect(state).toMatchObject({ step: 'phone', problem: 'phone-invalid', phone: null });
  });

  it('low quality and failed liveness are refused, counted, and asked again', () => {
    const { state, commands } = run([
      ...toPalms,
      { type: 'START_PALM', hand: 'left' },
      { type: 'CAPTURED', capture: laneCapture(17, { quality: 40 }) },
      { type: 'CAPTURED', capture: laneCapture(17, { liveness: 10, seed: 2 }) },
    ]);
    expect(state.problem).toBe('capture-liveness');
    expect(state.palms[0]).toMatchObject({ tries: 2, good: [] });
    expect(commands.filter((c) => c.type === 'capture')).toHaveLength(3);
    expect(canFinish(state)).toBe(false);
  });

  it('gives up on a palm after too many bad tries, keeping nothing of it', () => {
    const bad = Array.from({ length: MAX_TRIES_PER_PALM }, (_, k) => ({
      type: 'CAPTURED' as const,
      capture: laneCapture(17, { quality: 30, seed: k + 1 }),
    }));
    const { state } = run([...toPalms, { type: 'START_PALM', hand: 'left' }, ...bad]);
    expect(state).toMatchObject({ problem: 'palm-too-many-tries', palms: [], current: null });
  });

  it('a capture of another palm mid-way starts that palm again', () => {
    const { state } = run([
      ...toPalms,
      { type: 'START_PALM', hand: 'left' },
      { type: 'CAPTURED', capture: laneCapture(17, { seed: 1 }) },
      { type: 'CAPTURED', capture: laneCapture(18, { seed: 2 }) },
    ]);
    expect(state.problem).toBe('capture-inconsistent');
    expect(state.palms[0]!.good).toHaveLength(1);
  });

  it('the same palm offered as both hands keeps only the first', () => {
    const { state } = run([...toPalms, ...palm(17, 'left'), ...palm(17, 'right', 10)]);
    expect(state.problem).toBe('duplicate-other-palm');
    expect(state.palms.map((p) => p.hand)).toEqual(['left']);
  });

  it('already enrolled → update that shopper only with its last four digits', () => {
    const saving = run([...toPalms, ...palm(17, 'left'), { type: 'FINISH' }]).state;
    const dup = enrolStep(saving, { type: 'ALREADY_ENROLLED', customerRef: 'cus_x' }).state;
    expect(dup).toMatchObject({ step: 'duplicate', duplicate: { customerRef: 'cus_x' } });
    expect(enrolStep(dup, { type: 'UPDATE_EXISTING', confirmLast4: '12a4' }).commands).toEqual([]);
    const upd = enrolStep(dup, { type: 'UPDATE_EXISTING', confirmLast4: '1234' });
    expect(upd.commands[0]).toMatchObject({
      type: 'save',
      onDuplicate: { kind: 'update', confirmLast4: '1234' },
    });
  });

  it('the cloud going away mid-save goes back to the palms with everything kept', () => {
    const saving = run([...toPalms, ...palm(17, 'left'), { type: 'FINISH' }]).state;
    const back = enrolStep(saving, { type: 'SAVE_FAILED', reason: 'unreachable' }).state;
    expect(back).toMatchObject({ step: 'palms', problem: 'cloud-unreachable' });
    expect(canFinish(back)).toBe(true);
    const offline = enrolStep(back, { type: 'CONNECTIVITY', online: false }).state;
    expect(enrolStep(offline, { type: 'FINISH' }).commands).toEqual([]);
  });

  it('cancel ends it anywhere before saving, stopping a capture in progress', () => {
    const mid = run([...toPalms, { type: 'START_PALM', hand: 'left' }]).state;
    const t = enrolStep(mid, { type: 'CANCEL' });
    expect(t.state.step).toBe('cancelled');
    expect(t.commands).toEqual([{ type: 'cancel-capture' }]);
    expect(enrolStep(t.state, { type: 'CONSENT', at: AT }).state.step).toBe('cancelled');
  });

  it('an attendant age check rides along on the save', () => {
    const verification = {
      minimumAge: 21 as const,
      staffId: 'a1',
      passcode: '87654321',
      verifiedAt: AT,
    };
    const { commands } = run([
      ...toPalms,
      { type: 'AGE_VERIFIED', verification },
      ...palm(17, 'left'),
      { type: 'FINISH' },
    ]);
    expect((commands.at(-1) as Extract<EnrolCommand, { type: 'save' }>).request.age).toEqual(
      verification,
    );
  });
});
