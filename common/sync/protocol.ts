import { z } from 'zod';
import { TAX_CLASSES } from '../tax';
import { CURRENCIES, MAX_AMOUNT, type CurrencyCode } from '../money';
import {
  PASSCODE_PATTERN,
  PASSCODE_RULE,
  PBKDF2_ALG,
  PBKDF2_ITERATIONS,
  STAFF_ID_PATTERN,
  STAFF_ROLES,
} from '../staff';
import { MAX_DENOMINATION_COUNT } from '../shift/denominations';

/**
 * The terminal ↔ cloud sync protocol: one set of zod schemas both sides use, so the cloud
 * validates exactly what the terminal's types promise. Push follows Replicache (numbered
 * mutations, applied exactly once); pull is by an opaque per-store cursor.
 *
 * Envelope errors (bad JSON, wrong shapes, too many mutations) are 4xx and write nothing. A
 * single mutation whose payload fails its schema is *rejected for good* and recorded as
 * processed, so one bad sale can never block the queue behind it.
 */

export const PROTOCOL_VERSION = 1;

/** Largest push body the cloud reads; a batch of 100 large sales fits well inside. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_MUTATIONS_PER_PUSH = 200;

const currencyCodes = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

/** A NUL, or half of a UTF-16 surrogate pair on its own: PostgreSQL's text and jsonb refuse both. */
export const UNSTORABLE_TEXT =
  // eslint-disable-next-line no-control-regex -- the NUL is exactly what this must find
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bounded text the cloud can store as it is (an unstorable string would fail the push with a 500). */
export const wireText = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !UNSTORABLE_TEXT.test(s), 'contains a NUL or an unpaired surrogate');

/**
 * ISO 8601 with an offset, from 1970 on: the regex alone lets through year 0000, which
 * PostgreSQL refuses (a 500 that would block the lane's queue).
 */
const isoDate = z.iso
  .datetime({ offset: true })
  .refine((s) => Date.parse(s) >= 0, 'is before 1970');
const id = wireText(128, 1);
const staffId = z.string().regex(STAFF_ID_PATTERN, 'is a staff id');

export const wireMoney = z.strictObject({
  amount: z.number().int().min(-MAX_AMOUNT).max(MAX_AMOUNT),
  currency: z.enum(currencyCodes),
});

/** The most a heartbeat may report as waiting: far above any lane, well inside int4. */
export const MAX_QUEUE_DEPTH = 10_000_000;
/** Most lines a sale may carry (and a refund name). */
export const MAX_SALE_LINES = 1000;

export const cartLine = z.strictObject({
  lineId: id,
  productId: id,
  barcode: wireText(32),
  name: wireText(200),
  unitPrice: wireMoney,
  quantity: z.number().int().min(1).max(999),
  taxClass: z.enum(TAX_CLASSES),
  minimumAge: z.number().int().min(0).max(99),
  voided: z.boolean(),
});

export const cashTenderSchema = z.strictObject({
  kind: z.literal('cash'),
  amount: wireMoney,
  given: wireMoney,
  change: wireMoney,
});

const tender = z.discriminatedUnion('kind', [
  cashTenderSchema,
  z.strictObject({
    kind: z.literal('card'),
    amount: wireMoney,
    paymentId: id,
    authCode: wireText(32),
    brand: wireText(32),
    last4: z.string().regex(/^\d{4}$/),
  }),
  z.strictObject({
    kind: z.literal('palm'),
    amount: wireMoney,
    paymentId: id,
    customerRef: id,
    loyaltyId: wireText(128).nullable(),
    card: z.strictObject({ brand: wireText(32), last4: z.string().regex(/^\d{4}$/) }).nullable(),
    authCode: wireText(32).nullable(),
    stored: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('wallet'),
    amount: wireMoney,
    paymentId: id,
    wallet: wireText(32, 1),
    codeLast4: z.string().regex(/^\d{4}$/),
    authCode: wireText(64, 1),
  }),
]);

export const saleSchema = z.strictObject({
  id,
  receiptNo: wireText(64, 1),
  terminalId: id,
  currency: z.enum(currencyCodes),
  locale: wireText(35, 2),
  lines: z.array(cartLine).min(1).max(MAX_SALE_LINES),
  totals: z.strictObject({
    subtotal: wireMoney,
    tax: wireMoney,
    total: wireMoney,
    breakdown: z
      .array(
        z.strictObject({
          taxClass: z.enum(TAX_CLASSES),
          rateBasisPoints: z.number().int().min(0).max(10_000),
          base: wireMoney,
          tax: wireMoney,
        }),
      )
      .max(TAX_CLASSES.length),
    itemCount: z
      .number()
      .int()
      .min(0)
      .max(999 * MAX_SALE_LINES),
  }),
  tenders: z.array(tender).min(1).max(20),
  ageCheckedFor: z.number().int().min(0).max(99),
  startedAt: isoDate,
  completedAt: isoDate,
});

/**
 * The scanner's signed CAPTURE_RESULT (palm-hid §5), base64url, unchanged from the device: the
 * cloud verifies it against the store's approved key for the serial and re-matches the template
 * inside it. D = 512 gives 602 bytes (803 characters); 1 KiB leaves room, nothing more.
 */
export const signedCaptureSchema = z.strictObject({
  signed: z
    .string()
    .min(16)
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+$/, 'is base64url'),
  scannerSerial: z.string().regex(/^[\x20-\x7e]{1,16}$/, 'is a scanner serial'),
});
export type SignedCapture = z.infer<typeof signedCaptureSchema>;

export const storedPalmEvidence = z.strictObject({
  templateId: id,
  customerRef: id,
  capture: signedCaptureSchema,
  steppedUp: z.boolean(),
});

/** Every mutation kind the cloud understands, with its payload schema. */
export const MUTATION_PAYLOADS = {
  'sale.completed': saleSchema,
  /**
   * A sale taken back whole before its till's shift closes, on the lane that made it. Needs a
   * manager (`approvedBy`, an active manager of the store, checked by the cloud).
   */
  'sale.voided': z.strictObject({
    saleId: id,
    reason: wireText(500, 1),
    voidedAt: isoDate,
    approvedBy: staffId.optional(),
  }),
  /**
   * Money paid back on an earlier sale (any lane of the store may refund it). Never more than is
   * left of the sale, nor more in one tender kind than the sale took in it. With `lines`, the
   * amount must be what those lines cost under the store's tax rules (the cloud re-derives it);
   * without, it is an amount-only refund (a price adjustment).
   */
  'sale.refunded': z.strictObject({
    refundId: id,
    saleId: id,
    amount: wireMoney,
    lines: z
      .array(z.strictObject({ lineId: id, quantity: z.number().int().min(1).max(999) }))
      .min(1)
      .max(MAX_SALE_LINES)
      .optional(),
    tender: z.enum(['cash', 'card', 'palm']),
    reason: wireText(500, 1),
    refundedAt: isoDate,
    /** The manager who approved it (an active manager of the store, checked by the cloud). */
    approvedBy: staffId.optional(),
    /** The card terminal's or processor's reference for money sent back (refundId is its key). */
    processorRef: wireText(64).optional(),
  }),
  /** A till opened with a float (the lane's shift; its sales are those it completes until closed). */
  'shift.opened': z.strictObject({
    shiftId: id,
    float: wireMoney,
    openedAt: isoDate,
    openedBy: staffId.optional(),
  }),
  /** Cash put into (pay-in) or taken out of (pay-out, a manager's) an open till, with why. */
  'shift.cash': z.strictObject({
    entryId: id,
    shiftId: id,
    kind: z.enum(['pay-in', 'pay-out']),
    amount: wireMoney,
    reason: wireText(200, 1),
    at: isoDate,
    approvedBy: staffId.optional(),
  }),
  /**
   * The till closed with its drawer counted by denomination. Only the facts travel: the cloud
   * derives the counted total and the Z report (expected cash, over/short) from what it holds.
   */
  'shift.closed': z.strictObject({
    shiftId: id,
    closedAt: isoDate,
    counted: z
      .array(
        z.strictObject({
          value: z.number().int().min(1).max(MAX_AMOUNT),
          count: z.number().int().min(0).max(MAX_DENOMINATION_COUNT),
        }),
      )
      .max(50),
    approvedBy: staffId.optional(),
  }),
  /**
   * A payment taken offline (store-and-forward) that the cloud must still settle: it must match
   * a tender of a sale this lane already pushed (same kind, payment id and amount) and keep to
   * the store's offline limits as they stood at `storedAt`. A palm payment carries its evidence
   * (`palm`: the scanner's signed capture, who the lane matched, whether step-up passed), which
   * the cloud checks exactly as it checks an online payment before it charges the card on file.
   */
  'payment.stored': z.strictObject({
    paymentId: id,
    saleId: id,
    method: z.enum(['palm', 'card']),
    amount: wireMoney,
    storedAt: isoDate,
    palm: storedPalmEvidence.optional(),
  }),
  'audit.event': z.strictObject({
    kind: wireText(64, 1),
    at: isoDate,
    detail: z
      .record(
        wireText(64, 1),
        z.union([
          wireText(500),
          z.number().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
          z.boolean(),
        ]),
      )
      .refine((d) => Object.keys(d).length <= 50, 'has more than 50 entries'),
  }),
  /**
   * The lane's state. `at` is the lane's clock: one beyond the cloud's clock plus
   * MAX_CLOCK_SKEW_MS is recorded at the cloud's time instead (never refused, so one bad clock
   * cannot block a queue, and never trusted, so a dead lane cannot look alive).
   */
  heartbeat: z.strictObject({
    at: isoDate,
    queueDepth: z.number().int().min(0).max(MAX_QUEUE_DEPTH),
    oldestPendingAt: isoDate.nullable(),
    appVersion: wireText(64),
    scannerState: wireText(32),
  }),
} as const;

export type MutationKind = keyof typeof MUTATION_PAYLOADS;
export const MUTATION_KINDS = Object.keys(MUTATION_PAYLOADS) as MutationKind[];
export type MutationPayload<K extends MutationKind> = z.infer<(typeof MUTATION_PAYLOADS)[K]>;
export type HeartbeatPayload = MutationPayload<'heartbeat'>;

/**
 * One mutation on the wire. `kind` is any short string here on purpose: an unknown kind (a newer
 * terminal talking to an older cloud) is rejected for good per mutation, not as a 400 for the batch.
 */
export const wireMutation = z.strictObject({
  mutationId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  kind: z.string().min(1).max(64),
  payload: z.unknown(),
  createdAt: isoDate,
});
export type WireMutation = z.infer<typeof wireMutation>;

export const pushRequestSchema = z
  .strictObject({
    protocol: z.literal(PROTOCOL_VERSION),
    mutations: z.array(wireMutation).max(MAX_MUTATIONS_PER_PUSH),
    /** Latest lane state; not numbered because only the newest one matters. */
    heartbeat: MUTATION_PAYLOADS.heartbeat.optional(),
  })
  .refine(
    (r) =>
      r.mutations.every((m, i) => i === 0 || m.mutationId === r.mutations[i - 1]!.mutationId + 1),
    { message: 'mutations must be in order with contiguous ids', path: ['mutations'] },
  );
export type PushRequest = z.infer<typeof pushRequestSchema>;

export type MutationOutcome =
  | { readonly mutationId: number; readonly status: 'applied' }
  | { readonly mutationId: number; readonly status: 'rejected'; readonly reason: string };

export interface PushResponse {
  /** The terminal's last processed mutation id after this push (applied or rejected). */
  readonly lastMutationId: number;
  /** The outcome of every mutation in the request, repeats included (their first outcome). */
  readonly results: readonly MutationOutcome[];
}

/**
 * The store's 1:N decision policy (`MatchPolicy` in common/shard/policy.ts; raw PT1 dot-product
 * units): FPIR targets for accept and step-up, the least margin over the runner-up, and the
 * fitted impostor tail the thresholds for any gallery size are computed from (docs/matcher.md).
 */
export const matchPolicySchema = z
  .strictObject({
    acceptFpir: z.number().gt(0).lt(1),
    stepUpFpir: z.number().gt(0).lt(1),
    margin: z.number().min(0),
    tail: z.strictObject({
      u: z.number(),
      pu: z.number().gt(0).lt(1),
      beta: z.number().gt(0),
    }),
    // Thresholds from measured non-mated searches (common/shard/policy-measured.ts).
    measured: z
      .strictObject({
        n: z.number().int().min(1),
        searches: z.number().int().min(100),
        top: z.array(z.number().int()).min(20).max(100_000).readonly(),
      })
      .optional(),
  })
  .refine((p) => p.stepUpFpir >= p.acceptFpir, {
    message: 'stepUpFpir must be at least acceptFpir',
    path: ['stepUpFpir'],
  });

export const staffVerifierSchema = z.strictObject({
  alg: z.literal(PBKDF2_ALG),
  iterations: z.number().int().min(PBKDF2_ITERATIONS).max(100_000_000),
  salt: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/),
  hash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export const staffMemberSchema = z.strictObject({
  id: z.string().regex(STAFF_ID_PATTERN),
  name: z.string().min(1).max(100),
  role: z.enum(STAFF_ROLES),
  verifier: staffVerifierSchema,
});

/** Offline payment limits (Square / Stripe Terminal style) and matcher thresholds, per store. */
export const storeSettingsSchema = z.strictObject({
  storeName: z.string().min(1).max(200),
  profileId: z.string().min(1).max(32),
  offline: z.strictObject({
    perPaymentLimit: z.number().int().min(0).max(MAX_AMOUNT),
    totalStoredCap: z.number().int().min(0).max(MAX_AMOUNT),
    maxAgeHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  }),
  matcher: z.strictObject({
    scoreThreshold: z.number().min(0).max(1),
    minMargin: z.number().min(0).max(1),
    /** What palm identification decides with; absent: the lane cannot decide, so it does not. */
    policy: matchPolicySchema.optional(),
  }),
  /**
   * The store's active staff with their PBKDF2 verifiers (common/staff.ts), so a lane checks a
   * manager's passcode offline. Maintained by the cloud from its `staff` table; never the passcodes.
   */
  staff: z.array(staffMemberSchema).max(500),
  /**
   * Where the store is, for palm pay's impossible-travel rule (the same shopper paying at two
   * stores too far apart in too little time). Absent: the rule has nothing to compare.
   */
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional(),
  /**
   * Demo store only (the admin API cannot set it): every new lane is approved as a shard
   * recipient when it provisions, and the lane says so on screen. Absent: a manager approves.
   */
  autoApproveLanes: z.boolean().optional(),
  /** The store's IANA time zone (its day for the dashboard and the Z report); absent: its profile's. */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'is not an IANA time zone this runtime knows')
    .optional(),
});

/** True for an IANA zone name Intl accepts ("Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

/** Where this lane stands as a shard recipient (pull): a manager approves it in the dashboard. */
export interface PalmPayAccess {
  readonly approved: boolean;
  /** Who approved (a staff name, "operator", or "automatic (demo store)"). */
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  /** The store approves its lanes automatically (the embedded demo store). */
  readonly automatic: boolean;
}

/** SEC1 uncompressed P-256 point in hex, as palm-hid INFO and ScannerStatus carry it. */
export const sec1P256Hex = z
  .string()
  .regex(/^04[0-9a-f]{128}$/, 'publicKey is a SEC1 uncompressed P-256 point in lower-case hex');

/**
 * `POST /v1/scanner-keys` (signed by the lane): a manager approves a palm scanner's attestation
 * key for the lane's store with their own staff id and passcode, checked by the cloud.
 */
export const scannerKeyRequestSchema = z.strictObject({
  serial: z
    .string()
    .regex(/^[\x20-\x7e]{1,16}$/, 'a scanner serial is 1–16 printable ASCII characters'),
  model: z.string().min(1).max(64),
  publicKey: sec1P256Hex,
  staffId: z
    .string()
    .regex(STAFF_ID_PATTERN, 'a staff id is 1–32 lower-case letters, digits, - or _'),
  passcode: z.string().regex(PASSCODE_PATTERN, PASSCODE_RULE),
});
export type ScannerKeyRequest = z.infer<typeof scannerKeyRequestSchema>;

export interface ScannerKeyApproval {
  readonly serial: string;
  readonly publicKey: string;
  readonly model: string;
  readonly approvedBy: { readonly id: string; readonly name: string };
  readonly approvedAt: string;
}

export const productSchema = z.strictObject({
  id,
  barcode: z.string().regex(/^\d{8}$|^\d{12,14}$/),
  name: z.string().min(1).max(200),
  price: z.number().int().min(0).max(MAX_AMOUNT),
  taxClass: z.enum(TAX_CLASSES),
  minimumAge: z.number().int().min(0).max(99),
  category: z.string().max(100),
});

/**
 * The template shard as published for the terminal's store: the chain from the latest full or
 * rekey snapshot on (docs/shard-format.md). Manifests come inline (signed by the cloud); chunk
 * ciphertexts are fetched one by one from `GET /v1/shard/:version/chunks/:index` (signed too).
 */
export interface ShardFeedPart {
  readonly version: number;
  readonly kind: 'full' | 'delta' | 'rekey';
  readonly signed: { readonly manifest: string; readonly signature: string };
  readonly chunkCount: number;
}

export interface ShardFeed {
  /** The cloud's ECDSA P-256 public key that signs this store's manifests (JWK). */
  readonly verifyKey: JsonWebKeyLike | null;
  readonly parts: readonly ShardFeedPart[];
}

/** The JWK fields this protocol carries (structural, so common/ needs no DOM types). */
export interface JsonWebKeyLike {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

export const ecP256PublicJwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(40).max(64),
  y: z.string().min(40).max(64),
  ext: z.boolean().optional(),
  key_ops: z.array(z.string()).optional(),
});

export const shardKeyRequestSchema = z.strictObject({ publicKey: ecP256PublicJwk });

export interface PullResponse {
  readonly cursor: string;
  /** True when more changes wait: pull again at once with the new cursor. */
  readonly more: boolean;
  readonly catalog: {
    readonly upserts: readonly z.infer<typeof productSchema>[];
    readonly deletes: readonly string[];
  };
  /** Present when the store's settings changed since the cursor. */
  readonly settings: StoreSettings | null;
  /** Null for a lane a manager has not approved as a shard recipient (see `palmPay`). */
  readonly shard: ShardFeed | null;
  /** This lane's shard-recipient approval. */
  readonly palmPay?: PalmPayAccess;
}

export const provisionRequestSchema = z.strictObject({
  code: z
    .string()
    .regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'a code looks like ABCD-EFGH-JKLM'),
  /** The lane's own id (HostInfo.terminalId); every sale it sends carries it. */
  deviceId: id,
  laneCode: z.string().min(1).max(16),
  appVersion: z.string().max(64),
  /**
   * The first mutation id this lane will push. 1 for a new lane; higher when a lane that already
   * synced is provisioned again (a new key after a cloud reset), so its numbering carries on.
   */
  nextMutationId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1),
  publicKey: ecP256PublicJwk,
});
export type ProvisionRequest = z.infer<typeof provisionRequestSchema>;

export interface ProvisionResponse {
  readonly terminalId: string;
  readonly storeId: string;
  readonly storeName: string;
}

/** Error bodies: a stable code for programs, a message for people. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly serverTime?: string;
  /** On MUTATION_GAP: the last mutation id the cloud has processed for this terminal. */
  readonly lastMutationId?: number;
  /** On ALREADY_ENROLLED: the pseudonymous ref of the shopper this palm is enrolled as. */
  readonly customerRef?: string | null;
}

/**
 * Every answer of the cloud carries its clock (ms since 1970) in this header, exposed to the
 * page by CORS, so a lane estimates its clock's offset from any answer and signs with it.
 */
export const SERVER_TIME_HEADER = 'x-palm-time';

/**
 * Request signing. Each authenticated request carries these headers; the signature is ECDSA
 * P-256 / SHA-256 (IEEE P1363 r‖s, Web Crypto's format) over `canonicalRequest(...)`.
 */
export const AUTH_HEADERS = {
  terminal: 'x-palm-terminal',
  timestamp: 'x-palm-timestamp',
  nonce: 'x-palm-nonce',
  signature: 'x-palm-signature',
} as const;

/** How far a request's timestamp may be from the cloud's clock, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function canonicalRequest(parts: {
  method: string;
  pathAndQuery: string;
  timestamp: string;
  nonce: string;
  bodySha256Hex: string;
}): string {
  return [
    'PALM-SYNC-V1',
    parts.method.toUpperCase(),
    parts.pathAndQuery,
    parts.timestamp,
    parts.nonce,
    parts.bodySha256Hex,
  ].join('\n');
}

/** A short message naming the first schema problem, for 400 bodies and rejection reasons. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
