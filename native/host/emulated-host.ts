import type { LaneType, ShellKind } from '../../common/host/contract';
import { EmulatedCardTerminal } from '../card/emulated-card-terminal';
import type { HostLog } from '../logging/host-logger';
import { scannerSetupFromEnv, type ScannerSetup } from '../palm/config';
import { PalmScannerEmulator } from '../palm/emulator';
import { FileKeyPinStore, MemoryKeyPinStore } from '../palm/key-store';
import { NodeHidBackend } from '../palm/node-hid-backend';
import { PalmScanner } from '../palm/scanner';
import { printerSetupFromEnv, type PrinterSetup } from '../printer/config';
import { createPrinterAndDrawer } from '../printer/create-printer';
import { TerminalHostService, type TerminalHostServiceOptions } from './terminal-host-service';

/**
 * The host as it is assembled from configuration: every device emulated unless the environment
 * (or the options) names real ones. Kept apart from the service, which only runs devices it is
 * given.
 */
export interface EmulatedServiceOptions {
  shell: ShellKind;
  appVersion: string;
  terminalId: string;
  emulatorControls: boolean;
  laneType?: LaneType;
  cardPresentTimeoutMs?: number;
  cardProcessingMs?: number;
  drawerLeftOpenAfterMs?: number;
  deviceAckTimeoutMs?: number;
  printerLogPath?: string;
  /** The receipt printer: PRINTER in the environment (emulated by default) when left out. */
  printer?: PrinterSetup;
  /** The host's log; silent when left out. */
  log?: HostLog;
  /**
   * The palm scanner: emulated by default; PALM_SCANNER=hid (or PALM_SCANNER_IDS) in the
   * environment selects a real one over node-hid when this option is left out.
   */
  scanner?: ScannerSetup;
}

/** Builds the scanner driver (and emulator) a ScannerSetup asks for. */
export function createScanner(setup: ScannerSetup): TerminalHostServiceOptions['scanner'] {
  switch (setup.kind) {
    case 'none':
      return undefined;
    case 'hid':
      return {
        driver: new PalmScanner({
          backend: new NodeHidBackend({ ids: setup.ids }),
          keyStore: new FileKeyPinStore(setup.keyFile),
        }),
      };
    case 'emulator': {
      const emulator = PalmScannerEmulator.createNow({
        hoverMs: setup.hoverMs,
        population: { seed: setup.seed ?? 1 },
      });
      // Development and test builds trust their own emulator's key; real scanners wait for a
      // manager's approval.
      const driver = new PalmScanner({
        backend: emulator.backend,
        keyStore: new MemoryKeyPinStore(),
        autoApprove: (d) => d.kind === 'emulator' && setup.autoApprove !== false,
      });
      return { driver, emulator };
    }
  }
}

/** The host with every device emulated: what runs when no hardware is configured. */
export function createEmulatedHostService(o: EmulatedServiceOptions): TerminalHostService {
  const { printer, drawer, emulator } = createPrinterAndDrawer(
    o.printer ?? printerSetupFromEnv(process.env),
    {
      logPath: o.printerLogPath,
      drawerLeftOpenAfterMs: o.drawerLeftOpenAfterMs,
      logger: () => service.logger,
    },
  );
  const service: TerminalHostService = new TerminalHostService({
    shell: o.shell,
    appVersion: o.appVersion,
    terminalId: o.terminalId,
    emulatorControls: o.emulatorControls,
    ...(o.laneType ? { laneType: o.laneType } : {}),
    deviceAckTimeoutMs: o.deviceAckTimeoutMs,
    card: new EmulatedCardTerminal({
      presentTimeoutMs: o.cardPresentTimeoutMs,
      processingMs: o.cardProcessingMs,
    }),
    drawer,
    printer,
    ...(emulator ? { printerEmulator: emulator } : {}),
    scanner: createScanner(o.scanner ?? scannerSetupFromEnv(process.env)),
    ...(o.log ? { log: o.log } : {}),
  });
  return service;
}
