import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { ConfigError } from '../config';
import type { PrinterModel } from './escpos-encode';

/** Which receipt printer the host drives (PRINTER, PRINTER_COLUMNS, PRINTER_MODEL; README). */
export type PrinterSetup =
  | { kind: 'emulator'; columns: number; model?: PrinterModel }
  | { kind: 'network'; host: string; port: number; columns: number; model?: PrinterModel }
  | {
      kind: 'usb';
      ids?: { vendorId: number; productId: number };
      columns: number;
      model?: PrinterModel;
    };

/** The widths the encoder knows: 80 mm paper is 42 (512 dots) or 48 (576 dots), 58 mm is 32. */
const COLUMNS = [32, 35, 42, 44, 48];

export function printerSetupFromEnv(env: Record<string, string | undefined>): PrinterSetup {
  const raw = env.PRINTER?.trim() ?? '';
  const columnsRaw = env.PRINTER_COLUMNS?.trim();
  const columns = columnsRaw ? Number(columnsRaw) : 42;
  if (!COLUMNS.includes(columns))
    throw new ConfigError(
      `PRINTER_COLUMNS must be one of ${COLUMNS.join(', ')} (got “${columnsRaw}”)`,
    );
  const model = (env.PRINTER_MODEL?.trim() || undefined) as PrinterModel | undefined;
  if (model && !ReceiptPrinterEncoder.printerModels.some((m) => m.id === model))
    throw new ConfigError(
      `PRINTER_MODEL “${model}” is not a model the encoder knows (e.g. epson-tm-t88vi, bixolon-srp350iii, star-tsp100iv)`,
    );
  const common = { columns, ...(model ? { model } : {}) };
  if (raw === '' || raw === 'emulator') return { kind: 'emulator', ...common };
  if (raw === 'usb') return { kind: 'usb', ...common };
  const usb = /^usb:([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(raw);
  if (usb)
    return {
      kind: 'usb',
      ids: { vendorId: parseInt(usb[1]!, 16), productId: parseInt(usb[2]!, 16) },
      ...common,
    };
  const tcp = /^(?:tcp:\/\/)?(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(raw);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : 9100;
    if (port < 1 || port > 65535)
      throw new ConfigError(`PRINTER port must be 1–65535 (got ${port})`);
    return { kind: 'network', host: tcp[1]!.replace(/^\[|\]$/g, ''), port, ...common };
  }
  throw new ConfigError(
    `PRINTER must be emulator, usb, usb:VID:PID (hex, e.g. usb:04b8:0202) or tcp://HOST[:PORT] (got “${raw}”)`,
  );
}
