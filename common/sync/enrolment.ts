import { z } from 'zod';
import { STAFF_ID_PATTERN } from '../staff';
import { signedCaptureSchema } from './protocol';

/**
 * Wire schemas of enrolment and deletion (cloud/routes/enrolments.ts; docs/enrolment.md).
 * `POST /v1/enrolments` (signed by a lane): consent, the card terminal's setup reference (the
 * processor turns it into a reusable token; no card number crosses here), the E.164 phone, one
 * or two palms of several signed enrolment captures each (the cloud verifies, checks and fuses
 * them itself), and an optional attendant age check.
 */
const hand = z.enum(['left', 'right']);
const isoTime = z.iso.datetime({ offset: true });

export const ENROL_CAPTURES_MIN = 2;
export const ENROL_CAPTURES_MAX = 5;

export const enrolmentRequestSchema = z.strictObject({
  /** The lane's id for this enrolment: a retry with the same id gets the first answer. */
  enrolmentId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  consentAt: isoTime,
  cardSetupRef: z.string().regex(/^[A-Za-z0-9_]{8,128}$/, 'is a card setup reference'),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'is an E.164 phone number'),
  palms: z
    .array(
      z.strictObject({
        hand,
        captures: z.array(signedCaptureSchema).min(ENROL_CAPTURES_MIN).max(ENROL_CAPTURES_MAX),
      }),
    )
    .min(1)
    .max(2)
    .refine((p) => new Set(p.map((x) => x.hand)).size === p.length, 'one entry per hand'),
  age: z
    .strictObject({
      minimumAge: z.union([z.literal(18), z.literal(21)]),
      staffId: z.string().regex(STAFF_ID_PATTERN),
      passcode: z.string().regex(/^\d{8,12}$/),
      verifiedAt: isoTime,
    })
    .nullable(),
  /** `ask`: a palm already enrolled is answered 409; `update`: update that shopper (their digits). */
  onDuplicate: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ask') }),
    z.strictObject({ kind: z.literal('update'), confirmLast4: z.string().regex(/^\d{4}$/) }),
  ]),
});
export type EnrolmentRequest = z.infer<typeof enrolmentRequestSchema>;

export interface EnrolmentAnswer {
  readonly customerRef: string;
  readonly templateId: string;
  readonly updated: boolean;
  readonly card: { readonly brand: string; readonly last4: string };
  readonly palms: number;
  /** The shard version that carries the new templates (every lane has them after one pull). */
  readonly shardVersion: number | null;
}

/** Why an enrolment was refused (each with a message for the cashier). */
export const ENROLMENT_ERRORS = [
  'ALREADY_ENROLLED',
  'CONFIRMATION_FAILED',
  'CARD_DECLINED',
  'CARD_UNAVAILABLE',
  'CAPTURE_INVALID',
  'CAPTURE_REUSED',
  'CAPTURE_QUALITY',
  'CAPTURE_LIVENESS',
  'CAPTURE_INCONSISTENT',
  'STAFF_CREDENTIAL_INVALID',
  'PALM_PAY_NOT_SET_UP',
] as const;
export type EnrolmentError = (typeof ENROLMENT_ERRORS)[number];

/**
 * `POST /v1/shoppers/deletions` (signed by a lane): the shopper presents the palm and types the
 * last four digits of their phone, or a manager acts on a request with their own credential.
 */
export const deletionRequestSchema = z.discriminatedUnion('via', [
  z.strictObject({
    via: z.literal('palm'),
    templateId: z.string().min(1).max(64),
    capture: signedCaptureSchema,
    last4: z.string().regex(/^\d{4}$/),
  }),
  z.strictObject({
    via: z.literal('manager'),
    customerRef: z.string().regex(/^cus_[a-z0-9]{8,40}$/),
    staffId: z.string().regex(STAFF_ID_PATTERN),
    passcode: z.string().regex(/^\d{8,12}$/),
  }),
]);
export type DeletionRequest = z.infer<typeof deletionRequestSchema>;

export interface DeletionAnswer {
  readonly customerRef: string;
  /** `pending`: the tombstone is out; the data goes once stored payments can have settled. */
  readonly status: 'pending' | 'completed';
  readonly completesAfter: string;
  readonly shardVersion: number | null;
}
