import { HostError } from '../../common/host/contract';
import {
  checkHostArgs,
  HOST_METHODS,
  isHostMethod,
  type HostMethod,
} from '../../common/host/methods';
import type { RpcErrorBody } from '../../common/host/rpc';
import type { TerminalHostService } from './terminal-host-service';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: RpcErrorBody };

/**
 * Validate one call (method name, argument schema, emulator gate) and run it. Both shells funnel
 * every request through here, so a call refused in one is refused in the other.
 */
export async function dispatchHostCall(
  service: TerminalHostService,
  method: unknown,
  args: unknown,
): Promise<DispatchResult> {
  if (!isHostMethod(method)) {
    return {
      ok: false,
      error: {
        code: 'UNKNOWN_METHOD',
        message: `Unknown host method ${String(method).slice(0, 64)}`,
      },
    };
  }
  const checked = checkHostArgs(method, args);
  if (!checked.ok) return { ok: false, error: { code: 'BAD_REQUEST', message: checked.message } };
  if (HOST_METHODS[method].emulatorOnly && !service.emulatorControls) {
    return {
      ok: false,
      error: { code: 'NOT_ALLOWED', message: 'Emulator controls are disabled in this build' },
    };
  }
  try {
    return { ok: true, result: (await run(service, method, checked.value)) ?? null };
  } catch (e) {
    if (e instanceof HostError) return { ok: false, error: { code: e.code, message: e.message } };
    return {
      ok: false,
      error: { code: 'INTERNAL', message: e instanceof Error ? e.message : 'Internal error' },
    };
  }
}

// Arguments have been checked against HOST_METHODS' schema before this runs.
function run(s: TerminalHostService, method: HostMethod, args: unknown): Promise<unknown> {
  const a = args as never;
  switch (method) {
    case 'getInfo':
      return s.getInfo();
    case 'card.begin':
      return s.cardBegin(a);
    case 'card.cancel':
      return s.cardCancel(a);
    case 'card.status':
      return s.cardStatus(a);
    case 'drawer.open':
      return s.drawerOpen();
    case 'printer.print':
      return s.printerPrint(a);
    case 'emulator.presentCard':
      return s.emulatorPresentCard((args as { pan: string }).pan);
    case 'emulator.cardCustomerCancel':
      return s.emulatorCardCustomerCancel();
    case 'emulator.closeDrawer':
      return s.emulatorCloseDrawer();
    case 'emulator.setCardTerminalResponsive':
      return s.emulatorSetCardTerminalResponsive((args as { responsive: boolean }).responsive);
    case 'scanner.status':
      return s.scannerStatus();
    case 'scanner.capture':
      return s.scannerCapture(a);
    case 'scanner.cancel':
      return s.scannerCancel();
    case 'scanner.approveKey':
      return s.scannerApproveKey(a);
    case 'emulator.presentPalm':
      return s.emulatorPresentPalm(a);
    case 'emulator.removePalm':
      return s.emulatorRemovePalm();
    case 'emulator.unplugScanner':
      return s.emulatorUnplugScanner();
    case 'emulator.replugScanner':
      return s.emulatorReplugScanner();
    case 'emulator.setScannerFault':
      return s.emulatorSetScannerFault(a);
  }
}
