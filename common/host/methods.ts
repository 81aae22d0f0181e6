import { z } from 'zod';
import { CURRENCIES, MAX_AMOUNT, type CurrencyCode } from '../money';

/**
 * Every host method, its argument schema and whether it belongs to the emulator. Both shells
 * validate each call against this table before it reaches a device: Electron main for IPC, the
 * browser-mode host for WebSocket frames. Schemas are strict: unknown keys are refused.
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

export const HOST_METHODS = {
  getInfo: { args: noArgs, emulatorOnly: false },
  'card.begin': {
    args: z.strictObject({
      paymentId,
      amount: moneySchema.refine((m) => m.amount > 0, 'amount must be positive'),
    }),
    emulatorOnly: false,
  },
  'card.cancel': { args: z.strictObject({ paymentId }), emulatorOnly: false },
  'card.status': { args: z.strictObject({ paymentId }), emulatorOnly: false },
  'drawer.open': { args: noArgs, emulatorOnly: false },
  'printer.print': {
    args: z.strictObject({
      receiptNo: z.string().min(1).max(64),
      lines: z.array(z.string().max(200)).max(2000),
    }),
    emulatorOnly: false,
  },
  'emulator.presentCard': {
    args: z.strictObject({ pan: z.string().regex(/^\d{12,19}$/, 'a card number is 12–19 digits') }),
    emulatorOnly: true,
  },
  'emulator.cardCustomerCancel': { args: noArgs, emulatorOnly: true },
  'emulator.closeDrawer': { args: noArgs, emulatorOnly: true },
  'emulator.setCardTerminalResponsive': {
    args: z.strictObject({ responsive: z.boolean() }),
    emulatorOnly: true,
  },
  'scanner.status': { args: noArgs, emulatorOnly: false },
  'scanner.capture': {
    args: z.strictObject({
      mode: z.enum(['identify', 'enroll']),
      timeoutMs: z.number().int().min(500).max(30_000),
    }),
    emulatorOnly: false,
    // It waits up to its own timeout for a hand, then the device answers.
    answerWithinMs: (a: { timeoutMs: number }) => a.timeoutMs + 5_000,
  },
  'scanner.cancel': { args: noArgs, emulatorOnly: false },
  'scanner.approveKey': {
    args: z.strictObject({
      serial: z
        .string()
        .regex(/^[\x20-\x7e]{1,16}$/, 'a scanner serial is 1–16 printable ASCII characters'),
    }),
    emulatorOnly: false,
  },
  'emulator.presentPalm': {
    args: z.strictObject({
      identity: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      quality: z.number().int().min(0).max(100),
      liveness: z.number().int().min(0).max(100),
      hand: z.enum(['left', 'right']).optional(),
      hoverMs: z.number().int().min(0).max(10_000).optional(),
    }),
    emulatorOnly: true,
  },
  'emulator.removePalm': { args: noArgs, emulatorOnly: true },
  'emulator.unplugScanner': { args: noArgs, emulatorOnly: true },
  'emulator.replugScanner': { args: noArgs, emulatorOnly: true },
  'emulator.setScannerFault': {
    args: z.strictObject({ fault: z.enum(['none', 'sensor']) }),
    emulatorOnly: true,
  },
} as const;

export type HostMethod = keyof typeof HOST_METHODS;
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
