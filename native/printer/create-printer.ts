import type { CashDrawer } from '../drawer/cash-drawer';
import { EmulatedCashDrawer } from '../drawer/emulated-cash-drawer';
import { PrinterCashDrawer } from '../drawer/printer-drawer';
import type { Logger } from 'pino';
import type { PrinterSetup } from './config';
import { EmulatedPrinterDriver } from './emulated-printer';
import { NetworkPrinterDriver } from './network-driver';
import { EscPosPrinter, type EscPosPrinterOptions } from './receipt-printer';
import { UsbPrinterDriver } from './usb-driver';

/**
 * The receipt printer a PrinterSetup asks for, and the cash drawer on its kick connector: the
 * emulated printer kicks the emulated drawer with the bytes it receives, a real one the real drawer.
 */
export function createPrinterAndDrawer(
  setup: PrinterSetup,
  o: { logPath?: string; drawerLeftOpenAfterMs?: number; logger?: () => Logger },
): { printer: EscPosPrinter; drawer: CashDrawer; emulator?: EmulatedPrinterDriver } {
  const escpos = {
    columns: setup.columns,
    ...(setup.model ? { printerModel: setup.model } : {}),
    ...(o.logger ? { log: printerLog(o.logger) } : {}),
  };
  if (setup.kind === 'emulator') {
    let drawer: EmulatedCashDrawer | null = null;
    const emulator = new EmulatedPrinterDriver({
      logPath: o.logPath,
      onDrawerKick: () => drawer?.kicked(),
    });
    const printer = new EscPosPrinter(emulator, escpos);
    drawer = new EmulatedCashDrawer({
      leftOpenAfterMs: o.drawerLeftOpenAfterMs,
      kick: () => printer.kickDrawer(),
    });
    return { printer, drawer, emulator };
  }
  const driver =
    setup.kind === 'network'
      ? new NetworkPrinterDriver({ host: setup.host, port: setup.port })
      : new UsbPrinterDriver(setup.ids ? { ids: setup.ids } : {});
  const printer = new EscPosPrinter(driver, escpos);
  return {
    printer,
    drawer: new PrinterCashDrawer(printer, { leftOpenAfterMs: o.drawerLeftOpenAfterMs }),
  };
}

/** The printer's warnings (a printer that never answers status) go to the host's log. */
function printerLog(logger: () => Logger): NonNullable<EscPosPrinterOptions['log']> {
  return (level, message, fields) => logger()[level]({ device: 'printer', ...fields }, message);
}
