import { z } from 'zod';
import { CURRENCIES, MAX_AMOUNT, type CurrencyCode } from '../money';
import { printDocumentSchema } from '../printer/document';
import type {
  CardPaymentUpdate,
  CardRefundResult,
  CardSetupOutcome,
  DrawerState,
  HostDiagnostics,
  HostInfo,
  PrintedJob,
  ScannerStatus,
  VerifiedCapture,
} from './contract';
import { LIGHT_STATES, type LightTowerStatus } from '../kiosk/light';

/**
 * The host contract, declared once. Every host method: its argument schema, what it answers and
 * whether it belongs to the emulator. From this table come the TerminalHost type and proxy the
 * renderer uses (common/host/proxy.ts), the handler table the host service must fill
 * (`HostHandlers`) and the dispatch that checks each call against the schema before it reaches a
 * device, in both shells: Electron main for IPC, the browser-mode host for WebSocket frames.
 * Schemas are strict: unknown keys are refused. A method `group.name` appears on the proxy as
 * `host.group.name(args)`.
 */
const currencyCodes = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

export const moneySchema = z.strictObject({
  amount: z.number().int().min(-MAX_AMOUNT).max(MAX_AMOUNT),
  currency: z.enum(currencyCodes),
});

const paymentId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'payment ids are 8–64 URL-safe characters');
const noArgs = z.undefined();

/** A type-only marker for what a method answers (there is nothing to check at run time). */
export interface Answers<T> {
  readonly __answers?: T;
}
const answers = <T>(): Answers<T> => ({});

export const HOST_METHODS = {
  getInfo: { answers: answers<HostInfo>(), args: noArgs, emulatorOnly: false },
  /** Ask the card terminal to take a payment; resolves once the terminal has acknowledged. */
  'card.begin': {
    answers: answers<CardPaymentUpdate>(),
    args: z.strictObject({
      paymentId,
      amount: moneySchema.refine((m) => m.amount > 0, 'amount must be positive'),
    }),
    emulatorOnly: false,
  },
  /** Customer or cashier cancels; the payment ends as `cancelled` unless already final. */
  'card.cancel': {
    answers: answers<void>(),
    args: z.strictObject({ paymentId }),
    emulatorOnly: false,
  },
  /** Latest known state of a payment (lets the lane recover after a reload), or null. */
  'card.status': {
    answers: answers<CardPaymentUpdate | null>(),
    args: z.strictObject({ paymentId }),
    emulatorOnly: false,
  },
  /**
   * Money back to the card a payment was taken from (no card present). Idempotent on refundId:
   * a retry after a lost answer gets the first outcome and never sends money twice.
   */
  'card.refund': {
    answers: answers<CardRefundResult>(),
    args: z.strictObject({
      refundId: paymentId,
      paymentId: z.string().min(1).max(128),
      amount: moneySchema.refine((m) => m.amount > 0, 'amount must be positive'),
    }),
    emulatorOnly: false,
  },
  /**
   * Save the shopper's card for palm pay (enrolment): the terminal waits up to `timeoutMs` for
   * a card and answers once it is saved, declined, cancelled (`card.cancel` with the setupId, or
   * the customer's Cancel key) or timed out. Only a processor setup reference comes back.
   */
  'card.setup': {
    answers: answers<CardSetupOutcome>(),
    args: z.strictObject({
      setupId: paymentId,
      timeoutMs: z.number().int().min(1_000).max(120_000),
    }),
    emulatorOnly: false,
    // It waits on the customer for up to its own timeout, then the terminal answers.
    answerWithinMs: (a: { timeoutMs: number }) => a.timeoutMs + 5_000,
  },
  'drawer.open': { answers: answers<DrawerState>(), args: noArgs, emulatorOnly: false },
  /**
   * Prints a document (a receipt, a Z report): the host lays it out for its printer and sends
   * ESC/POS. Rejects with PAPER_OUT, COVER_OPEN, DEVICE_OFFLINE or DEVICE_NOT_RESPONDING; the
   * sale is already saved, so the lane shows the problem and offers to print again.
   */
  'printer.print': {
    answers: answers<void>(),
    args: z.strictObject({ document: printDocumentSchema }),
    emulatorOnly: false,
  },
  /** The lane light tower above a self-checkout kiosk (common/kiosk/light.ts). */
  'light.set': {
    answers: answers<LightTowerStatus>(),
    args: z.strictObject({ state: z.enum(LIGHT_STATES) }),
    emulatorOnly: false,
  },
  'light.status': { answers: answers<LightTowerStatus>(), args: noArgs, emulatorOnly: false },
  /** For a technician: versions, device states, log folder, last problems; no personal data. */
  'support.diagnostics': {
    answers: answers<HostDiagnostics>(),
    args: noArgs,
    emulatorOnly: false,
  },
  // emulator.*: present only in development and test builds, and only when devices are emulated.
  'emulator.presentCard': {
    answers: answers<void>(),
    args: z.strictObject({ pan: z.string().regex(/^\d{12,19}$/, 'a card number is 12–19 digits') }),
    emulatorOnly: true,
  },
  /** The customer presses Cancel on the card terminal's own keypad. */
  'emulator.cardCustomerCancel': { answers: answers<void>(), args: noArgs, emulatorOnly: true },
  'emulator.closeDrawer': { answers: answers<void>(), args: noArgs, emulatorOnly: true },
  /** The emulated printer runs out of paper, has its cover open, or drops off the network. */
  'emulator.setPrinterFault': {
    answers: answers<void>(),
    args: z.strictObject({ fault: z.enum(['none', 'paper-out', 'cover-open', 'offline']) }),
    emulatorOnly: true,
  },
  /** The last jobs the emulated printer received, oldest first (its paper, for the emulator view). */
  'emulator.printedJobs': {
    answers: answers<readonly PrintedJob[]>(),
    args: noArgs,
    emulatorOnly: true,
  },
  'emulator.setCardTerminalResponsive': {
    answers: answers<void>(),
    args: z.strictObject({ responsive: z.boolean() }),
    emulatorOnly: true,
  },
  /** The palm scanner (palm-hid/1): presence, firmware, key state. */
  'scanner.status': { answers: answers<ScannerStatus>(), args: noArgs, emulatorOnly: false },
  /**
   * One capture. Resolves only with a capture whose signature, nonce and counter checked out;
   * rejects with a HostError (CAPTURE_TIMEOUT, CAPTURE_CANCELLED, LIVENESS_FAILED, …).
   */
  'scanner.capture': {
    answers: answers<VerifiedCapture>(),
    args: z.strictObject({
      mode: z.enum(['identify', 'enroll']),
      timeoutMs: z.number().int().min(500).max(30_000),
    }),
    emulatorOnly: false,
    // It waits up to its own timeout for a hand, then the device answers.
    answerWithinMs: (a: { timeoutMs: number }) => a.timeoutMs + 5_000,
  },
  /** Ends the capture in progress (it rejects with CAPTURE_CANCELLED); no-op when idle. */
  'scanner.cancel': { answers: answers<void>(), args: noArgs, emulatorOnly: false },
  /** A manager approves the attestation key pinned for this scanner serial. */
  'scanner.approveKey': {
    answers: answers<ScannerStatus>(),
    args: z.strictObject({
      serial: z
        .string()
        .regex(/^[\x20-\x7e]{1,16}$/, 'a scanner serial is 1–16 printable ASCII characters'),
    }),
    emulatorOnly: false,
  },
  /** The emulated palm scanner sees a hand (it stays until the capture ends or removePalm). */
  'emulator.presentPalm': {
    answers: answers<void>(),
    args: z.strictObject({
      identity: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      quality: z.number().int().min(0).max(100),
      liveness: z.number().int().min(0).max(100),
      hand: z.enum(['left', 'right']).optional(),
      hoverMs: z.number().int().min(0).max(10_000).optional(),
    }),
    emulatorOnly: true,
  },
  'emulator.removePalm': { answers: answers<void>(), args: noArgs, emulatorOnly: true },
  'emulator.unplugScanner': { answers: answers<void>(), args: noArgs, emulatorOnly: true },
  'emulator.replugScanner': { answers: answers<void>(), args: noArgs, emulatorOnly: true },
  'emulator.setScannerFault': {
    answers: answers<void>(),
    args: z.strictObject({ fault: z.enum(['none', 'sensor']) }),
    emulatorOnly: true,
  },
} as const;

export type HostMethod = keyof typeof HOST_METHODS;
type Entry<M extends HostMethod> = (typeof HOST_METHODS)[M];
/** What a handler receives: the arguments after the schema has checked them. */
export type HostArgs<M extends HostMethod> = z.output<Entry<M>['args']>;
/** What a method answers. */
export type HostAnswer<M extends HostMethod> =
  Entry<M>['answers'] extends Answers<infer T> ? T : never;

/** The host service fills this table; a method missing from it is a type error. */
export type HostHandlers = {
  readonly [M in HostMethod]: (args: HostArgs<M>) => Promise<HostAnswer<M>>;
};

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type ClientCall<M extends HostMethod> =
  z.input<Entry<M>['args']> extends undefined
    ? () => Promise<HostAnswer<M>>
    : (req: DeepReadonly<z.input<Entry<M>['args']>>) => Promise<HostAnswer<M>>;
type GroupOf<M> = M extends `${infer G}.${string}` ? G : never;

/** The renderer's view of the table: `getInfo()`, `card.begin(req)`, `scanner.capture(req)`, … */
export type HostMethodsApi = {
  [M in HostMethod as M extends `${string}.${string}` ? never : M]: ClientCall<M>;
} & {
  [G in GroupOf<HostMethod>]: {
    [M in HostMethod as M extends `${G}.${infer N}` ? N : never]: ClientCall<M>;
  };
};
export const HOST_METHOD_NAMES = Object.keys(HOST_METHODS) as HostMethod[];

export function isHostMethod(name: unknown): name is HostMethod {
  return typeof name === 'string' && Object.hasOwn(HOST_METHODS, name);
}

export type ArgCheck = { ok: true; value: unknown } | { ok: false; message: string };

export function checkHostArgs(method: HostMethod, args: unknown): ArgCheck {
  const parsed = HOST_METHODS[method].args.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `${method}: ${where}${issue?.message ?? 'invalid arguments'}` };
}

/**
 * How long a transport should wait for a method's answer: its base allowance, or longer for a
 * method whose table entry says it waits on the customer (`answerWithinMs`).
 */
export function hostCallTimeoutMs(method: HostMethod, args: unknown, baseMs: number): number {
  const entry = HOST_METHODS[method] as {
    args: z.ZodType;
    answerWithinMs?: (a: never) => number;
  };
  if (!entry.answerWithinMs) return baseMs;
  const parsed = entry.args.safeParse(args);
  return parsed.success ? Math.max(baseMs, entry.answerWithinMs(parsed.data as never)) : baseMs;
}
