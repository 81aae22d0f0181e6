import {
  CAPTURES_PER_PALM,
  CONSISTENCY_MIN,
  MAX_TRIES_PER_PALM,
  captureProblem,
  cosine,
  fuseTemplates,
  leastAgreement,
} from './captures';
import { normalisePhone } from './phone';
import type {
  EnrolCommand,
  EnrolEvent,
  EnrolHand,
  EnrolProblem,
  EnrolState,
  PalmProgress,
  SaveFailure,
} from './types';

/**
 * The enrolment flow as a pure state machine: `enrolStep(state, event)` gives the next state and
 * the commands the driver runs (read the card, capture a palm, save), so every path is tested in
 * Node without a device or a cloud. A plain reducer rather than XState: the flow is a line of
 * steps with one side branch (the duplicate prompt), no hierarchy or parallel regions to share.
 * Nothing is written anywhere until the cloud answers `save`; cancelling, a decline or the cloud
 * going away leave the lane and the cloud as they were.
 */
export function initialEnrolState(o: { online: boolean; country: string }): EnrolState {
  return {
    step: 'consent',
    online: o.online,
    country: o.country,
    consentAt: null,
    card: null,
    phone: null,
    palms: [],
    current: null,
    age: null,
    duplicate: null,
    problem: o.online ? null : 'offline',
    result: null,
  };
}

export interface EnrolTransition {
  readonly state: EnrolState;
  readonly commands: readonly EnrolCommand[];
}

const same = (state: EnrolState): EnrolTransition => ({ state, commands: [] });
const to = (state: EnrolState, ...commands: EnrolCommand[]): EnrolTransition => ({
  state,
  commands,
});
const FINAL = new Set(['done', 'cancelled', 'failed']);

/** The palms with all their captures. */
export function completePalms(s: EnrolState): PalmProgress[] {
  return s.palms.filter((p) => p.good.length >= CAPTURES_PER_PALM);
}

/** Whether the cashier may send the enrolment now. */
export function canFinish(s: EnrolState): boolean {
  return (
    s.step === 'palms' &&
    s.online &&
    s.current === null &&
    completePalms(s).length > 0 &&
    s.card !== null &&
    s.phone !== null
  );
}

function withProblem(s: EnrolState, problem: EnrolProblem | null): EnrolState {
  return { ...s, problem };
}

function setPalm(s: EnrolState, index: number, palm: PalmProgress | null): EnrolState {
  const palms = palm
    ? s.palms.map((p, i) => (i === index ? palm : p))
    : s.palms.filter((_, i) => i !== index);
  return { ...s, palms };
}

function save(s: EnrolState, onDuplicate: Extract<EnrolCommand, { type: 'save' }>['onDuplicate']) {
  return to(
    { ...s, step: 'saving', problem: null },
    {
      type: 'save',
      onDuplicate,
      request: {
        consentAt: s.consentAt!,
        cardSetupRef: s.card!.setupRef,
        phone: s.phone!.e164,
        palms: completePalms(s).map((p) => ({
          hand: p.hand,
          captures: p.good.map((c) => ({ signed: c.signed, scannerSerial: c.scannerSerial })),
        })),
        age: s.age,
      },
    },
  );
}

function onCapture(s: EnrolState, e: Extract<EnrolEvent, { type: 'CAPTURED' | 'CAPTURE_FAILED' }>) {
  if (s.step !== 'palms' || s.current === null) return same(s);
  const index = s.current;
  const palm = s.palms[index]!;
  const tries = palm.tries + 1;
  if (tries >= MAX_TRIES_PER_PALM && (e.type === 'CAPTURE_FAILED' || captureProblem(e.capture)))
    return same({ ...setPalm(s, index, null), current: null, problem: 'palm-too-many-tries' });
  if (e.type === 'CAPTURE_FAILED') {
    // The scanner refused (or no hand came): the hand that failed is still over it, so asking at
    // once would fail again. This palm pauses, its good captures and tries kept, until the
    // cashier has the shopper present it again.
    const problem: EnrolProblem =
      e.problem === 'device' ? 'capture-device' : `capture-${e.problem}`;
    return same({ ...setPalm(s, index, { ...palm, tries }), current: null, problem });
  }
  let problem: EnrolProblem | null = null;
  let good = palm.good;
  const p = captureProblem(e.capture);
  if (p) problem = `capture-${p}`;
  else if (leastAgreement([...good.map((c) => c.template), e.capture.template]) < CONSISTENCY_MIN) {
    // Not the palm the earlier captures were of: start this palm again from this capture.
    problem = 'capture-inconsistent';
    good = [e.capture];
  } else good = [...good, e.capture];
  if (good.length >= CAPTURES_PER_PALM) {
    const done: PalmProgress = { ...palm, good, tries };
    const other = completePalms(s).find((x) => x.hand !== palm.hand);
    if (
      other &&
      cosine(
        fuseTemplates(other.good.map((c) => c.template)),
        fuseTemplates(good.map((c) => c.template)),
      ) >= CONSISTENCY_MIN
    )
      // Both "palms" are one palm presented twice: keep the first.
      return same({ ...setPalm(s, index, null), current: null, problem: 'duplicate-other-palm' });
    return same({ ...setPalm(s, index, done), current: null, problem: null });
  }
  if (tries >= MAX_TRIES_PER_PALM)
    return same({ ...setPalm(s, index, null), current: null, problem: 'palm-too-many-tries' });
  // The capture came through (the hand was taken away): ask for the next one at once.
  return to(
    { ...setPalm(s, index, { ...palm, good, tries }), problem },
    { type: 'capture', hand: palm.hand },
  );
}

function startPalm(s: EnrolState, hand: EnrolHand): EnrolTransition {
  if (s.step !== 'palms' || s.current !== null) return same(s);
  const existing = s.palms.findIndex((p) => p.hand === hand);
  const before = existing >= 0 ? s.palms[existing]! : null;
  // A paused palm resumes where it was; capturing a complete palm again replaces it.
  const next: PalmProgress =
    before && before.good.length < CAPTURES_PER_PALM ? before : { hand, good: [], tries: 0 };
  const palms =
    existing >= 0 ? s.palms.map((p, i) => (i === existing ? next : p)) : [...s.palms, next];
  const current = existing >= 0 ? existing : palms.length - 1;
  return to({ ...s, palms, current, problem: null }, { type: 'capture', hand });
}

/** Where a refused save leaves the flow: the step that needs redoing, the rest kept in memory. */
function afterSaveFailed(s: EnrolState, reason: SaveFailure): EnrolState {
  switch (reason) {
    case 'unreachable':
      return { ...s, step: 'palms', problem: 'cloud-unreachable' };
    case 'refused':
      return { ...s, step: 'palms', problem: 'cloud-refused' };
    case 'card-declined':
    case 'card-unavailable':
      // Another card (or the same once the processor answers): phone and palms are kept.
      return { ...s, step: 'card', card: null, problem: reason };
    case 'captures-refused':
      // Those captures can never enrol (unapproved scanner, or already spent): capture again.
      return { ...s, step: 'palms', palms: [], current: null, problem: reason };
    case 'age-refused':
      return { ...s, step: 'palms', age: null, problem: reason };
    case 'confirm-failed':
      return { ...s, step: 'duplicate', problem: reason };
  }
}

export function enrolStep(s: EnrolState, e: EnrolEvent): EnrolTransition {
  if (FINAL.has(s.step)) return same(s);
  switch (e.type) {
    case 'CONNECTIVITY': {
      const online = e.online;
      if (online)
        return same({ ...s, online, problem: s.problem === 'offline' ? null : s.problem });
      return same({ ...s, online, problem: 'offline' });
    }
    case 'CANCEL':
      if (s.step === 'saving') return same(s); // the cloud's answer decides; then cancel
      return to(
        { ...s, step: 'cancelled', current: null },
        ...(s.current !== null ? [{ type: 'cancel-capture' } as const] : []),
        ...(s.step === 'card' && s.card === null ? [{ type: 'cancel-card' } as const] : []),
      );
    case 'AGE_VERIFIED':
      if (s.step === 'saving') return same(s);
      return same({ ...s, age: e.verification });
    case 'CONSENT':
      if (s.step !== 'consent') return same(s);
      if (!s.online) return same(withProblem(s, 'offline'));
      return to({ ...s, step: 'card', consentAt: e.at, problem: null }, { type: 'read-card' });
    case 'READ_CARD':
      if (s.step !== 'card') return same(s);
      return to(withProblem(s, null), { type: 'read-card' });
    case 'CARD_READ':
      if (s.step !== 'card') return same(s);
      return same({
        ...s,
        // Back here after the cloud declined the card: the phone and palms are kept.
        step: s.phone ? 'palms' : 'phone',
        card: { setupRef: e.setupRef, brand: e.brand, last4: e.last4 },
        problem: null,
      });
    case 'CARD_FAILED':
      if (s.step !== 'card') return same(s);
      return same(withProblem(s, `card-${e.reason}`));
    case 'PHONE': {
      if (s.step !== 'phone') return same(s);
      const r = normalisePhone(e.raw, s.country);
      if (!r.ok) return same(withProblem(s, `phone-${r.reason}`));
      return same({ ...s, step: 'palms', phone: { e164: r.e164, last4: r.last4 }, problem: null });
    }
    case 'START_PALM':
      return startPalm(s, e.hand);
    case 'CAPTURED':
    case 'CAPTURE_FAILED':
      return onCapture(s, e);
    case 'FINISH':
      if (!s.online && s.step === 'palms') return same(withProblem(s, 'offline'));
      if (!canFinish(s)) return same(s);
      return save(s, { kind: 'ask' });
    case 'SAVED':
      if (s.step !== 'saving') return same(s);
      return same({
        ...s,
        step: 'done',
        problem: null,
        result: { customerRef: e.customerRef, updated: e.updated },
      });
    case 'ALREADY_ENROLLED':
      if (s.step !== 'saving') return same(s);
      return same({ ...s, step: 'duplicate', duplicate: { customerRef: e.customerRef } });
    case 'SAVE_FAILED':
      if (s.step !== 'saving') return same(s);
      return same(afterSaveFailed(s, e.reason));
    case 'UPDATE_EXISTING':
      if (s.step !== 'duplicate' || !/^\d{4}$/.test(e.confirmLast4)) return same(s);
      return save(s, { kind: 'update', confirmLast4: e.confirmLast4 });
  }
}
