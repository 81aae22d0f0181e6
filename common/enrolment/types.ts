import type { CaptureProblem, EnrolCapture } from './captures';

/** A capture as the lane holds it: the scanner's signed bytes travel to the cloud unchanged. */
export interface LaneCapture extends EnrolCapture {
  readonly signed: string;
  readonly scannerSerial: string;
}
import type { PhoneProblem } from './phone';

/**
 * The enrolment flow's state, events and commands (machine.ts steps it). Steps in order:
 *
 *   consent → card → phone → palms (one or both, several captures each) → saving → done
 *                                                     ↘ duplicate (update that shopper?) ↗
 *   age (an attendant's ID check) may be recorded at any step before saving; cancel anywhere
 *   before `saving` ends it with nothing written. Offline, it never leaves `consent`.
 */
export type EnrolHand = 'left' | 'right';
export type MinimumAge = 18 | 21;

export interface CardOnFileView {
  readonly brand: string;
  readonly last4: string;
}

export interface AgeVerification {
  readonly minimumAge: MinimumAge;
  /** The attendant's (or manager's) staff id and passcode: the cloud checks them, keeps who. */
  readonly staffId: string;
  readonly passcode: string;
  /** ISO time the attendant checked the ID (never the date of birth). */
  readonly verifiedAt: string;
}

export interface PalmProgress {
  readonly hand: EnrolHand;
  /** Captures that passed quality, liveness and consistency. */
  readonly good: readonly LaneCapture[];
  /** Every capture tried for this palm, good or not. */
  readonly tries: number;
}

export type EnrolStep =
  'consent' | 'card' | 'phone' | 'palms' | 'saving' | 'duplicate' | 'done' | 'failed' | 'cancelled';

/** What the cashier is told (each has an i18n key `enrol.problem.<code>`). */
export type EnrolProblem =
  | 'offline'
  | 'card-declined'
  | 'card-unavailable'
  | 'card-cancelled'
  | `phone-${PhoneProblem}`
  | `capture-${CaptureProblem}`
  | 'capture-inconsistent'
  | 'capture-device'
  | 'capture-timeout'
  | 'palm-too-many-tries'
  | 'cloud-unreachable'
  | 'cloud-refused'
  /** The cloud refused the captures (a scanner the store has not approved, a reused capture). */
  | 'captures-refused'
  /** The attendant's credential for the age check was refused: the check is dropped. */
  | 'age-refused'
  /** Updating the shopper the palm matched: the last four digits were not theirs. */
  | 'confirm-failed'
  | 'duplicate-other-palm';

export interface EnrolState {
  readonly step: EnrolStep;
  readonly online: boolean;
  /** The store's country, for phone numbers typed without a +prefix. */
  readonly country: string;
  readonly consentAt: string | null;
  /** The processor's reference from the card terminal (exchanged for a token by the cloud). */
  readonly card: (CardOnFileView & { readonly setupRef: string }) | null;
  readonly phone: { readonly e164: string; readonly last4: string } | null;
  readonly palms: readonly PalmProgress[];
  /** The palm being captured (index into palms), or null between palms. */
  readonly current: number | null;
  readonly age: AgeVerification | null;
  /** The shopper the cloud found this palm already enrolled as. */
  readonly duplicate: { readonly customerRef: string } | null;
  readonly problem: EnrolProblem | null;
  readonly result: { readonly customerRef: string; readonly updated: boolean } | null;
}

export type EnrolEvent =
  | { readonly type: 'CONNECTIVITY'; readonly online: boolean }
  | { readonly type: 'CONSENT'; readonly at: string }
  | {
      readonly type: 'CARD_READ';
      readonly setupRef: string;
      readonly brand: string;
      readonly last4: string;
    }
  | { readonly type: 'CARD_FAILED'; readonly reason: 'declined' | 'unavailable' | 'cancelled' }
  | { readonly type: 'PHONE'; readonly raw: string }
  | { readonly type: 'START_PALM'; readonly hand: EnrolHand }
  | { readonly type: 'CAPTURED'; readonly capture: LaneCapture }
  | {
      readonly type: 'CAPTURE_FAILED';
      readonly problem: 'quality' | 'liveness' | 'device' | 'timeout';
    }
  | { readonly type: 'FINISH' }
  | { readonly type: 'AGE_VERIFIED'; readonly verification: AgeVerification }
  | { readonly type: 'SAVED'; readonly customerRef: string; readonly updated: boolean }
  | { readonly type: 'ALREADY_ENROLLED'; readonly customerRef: string }
  | { readonly type: 'SAVE_FAILED'; readonly reason: SaveFailure }
  /** Update the shopper the palm matched: they confirm that record's phone last four digits. */
  | { readonly type: 'UPDATE_EXISTING'; readonly confirmLast4: string }
  /** Read the card again (after a decline, or another card). */
  | { readonly type: 'READ_CARD' }
  | { readonly type: 'CANCEL' };

/** Why the cloud did not save (common/enrolment/cloud-answer.ts maps its error codes here). */
export type SaveFailure =
  | 'unreachable'
  | 'refused'
  | 'card-declined'
  | 'card-unavailable'
  | 'captures-refused'
  | 'age-refused'
  | 'confirm-failed';

/** What the driver must do after a step (the machine does no I/O). */
export type EnrolCommand =
  | { readonly type: 'read-card' }
  | { readonly type: 'cancel-card' }
  | { readonly type: 'capture'; readonly hand: EnrolHand }
  | { readonly type: 'cancel-capture' }
  | {
      readonly type: 'save';
      readonly request: EnrolmentDraft;
      /** `ask`: a duplicate is reported; `update`: the matched shopper is updated (digits given). */
      readonly onDuplicate:
        { readonly kind: 'ask' } | { readonly kind: 'update'; readonly confirmLast4: string };
    };

/** What the lane sends the cloud (common/sync/enrolment.ts has the wire schema). */
export interface EnrolmentDraft {
  readonly consentAt: string;
  readonly cardSetupRef: string;
  readonly phone: string;
  readonly palms: readonly {
    readonly hand: EnrolHand;
    readonly captures: readonly { readonly signed: string; readonly scannerSerial: string }[];
  }[];
  readonly age: AgeVerification | null;
}
