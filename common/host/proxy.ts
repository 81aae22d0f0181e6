import type { HostEvent, TerminalHost } from './contract';
import type { HostMethod } from './methods';

export type HostCall = (method: HostMethod, args?: unknown) => Promise<unknown>;
export type HostSubscribe = (listener: (event: HostEvent) => void) => () => void;

/**
 * Builds the TerminalHost object from a transport's `call` and `subscribe`. Both shells' client
 * sides use it, so the renderer always receives the same shape.
 */
export function createHostProxy(call: HostCall, subscribe: HostSubscribe): TerminalHost {
  const c = <T>(method: HostMethod, args?: unknown) => call(method, args) as Promise<T>;
  return {
    getInfo: () => c('getInfo'),
    card: {
      begin: (req) => c('card.begin', req),
      cancel: (req) => c('card.cancel', req),
      status: (req) => c('card.status', req),
    },
    drawer: { open: () => c('drawer.open') },
    printer: { print: (req) => c('printer.print', req) },
    emulator: {
      presentCard: (req) => c('emulator.presentCard', req),
      cardCustomerCancel: () => c('emulator.cardCustomerCancel'),
      closeDrawer: () => c('emulator.closeDrawer'),
      setCardTerminalResponsive: (req) => c('emulator.setCardTerminalResponsive', req),
      presentPalm: (req) => c('emulator.presentPalm', req),
      removePalm: () => c('emulator.removePalm'),
      unplugScanner: () => c('emulator.unplugScanner'),
      replugScanner: () => c('emulator.replugScanner'),
      setScannerFault: (req) => c('emulator.setScannerFault', req),
    },
    scanner: {
      status: () => c('scanner.status'),
      capture: (req) => c('scanner.capture', req),
      cancel: () => c('scanner.cancel'),
      approveKey: (req) => c('scanner.approveKey', req),
    },
    onEvent: (listener: (event: HostEvent) => void) => subscribe(listener),
  };
}
