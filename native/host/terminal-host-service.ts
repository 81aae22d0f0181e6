import {
  HostError,
  type CardBeginRequest,
  type CloudInfo,
  type CardPaymentUpdate,
  type CardRefundResult,
  type CardSetupOutcome,
  type DrawerState,
  type HostDevices,
  type HostDiagnostics,
  type HostEvent,
  type HostInfo,
  type PaymentRef,
  type PrintRequest,
  type PrintedJob,
  type PrinterFault,
  type ScannerCaptureRequest,
  type ScannerStatus,
  type ShellKind,
  type LaneType,
  type VerifiedCapture,
  type EmulatorPalm,
} from '../../common/host/contract';
import type { Money } from '../../common/money';
import type { HostHandlers } from '../../common/host/methods';
import pino, { type Logger } from 'pino';
import type { HostLog } from '../logging/host-logger';
import { hostDiagnostics, loggedHandlers } from './diagnostics';
import { isPalmHidError } from '../../common/palm-hid/errors';
import type { PalmScannerEmulator } from '../palm/emulator';
import { hostErrorCode, type PalmScanner } from '../palm/scanner';
import type { CardTerminal } from '../card/card-terminal';
import { EmulatedCardTerminal } from '../card/emulated-card-terminal';
import type { CashDrawer } from '../drawer/cash-drawer';
import { EmulatedCashDrawer } from '../drawer/emulated-cash-drawer';
import type { EmulatedPrinterDriver } from '../printer/emulated-printer';
import type { ReceiptPrinter } from '../printer/receipt-printer';
import { EmulatedLightTower, type LightTower } from '../light/light-tower';

export interface TerminalHostServiceOptions {
  shell: ShellKind;
  appVersion: string;
  terminalId: string;
  /** Emulator controls are refused unless this is set (development and test builds only). */
  emulatorControls: boolean;
  card: CardTerminal;
  drawer: CashDrawer;
  printer: ReceiptPrinter;
  /** The emulated printer's end of the wire, when the printer is emulated (emulator controls). */
  printerEmulator?: EmulatedPrinterDriver;
  /** How long a device may take to acknowledge a request before it counts as not responding. */
  deviceAckTimeoutMs?: number;
  /** The palm scanner; `emulator` is set when it is the emulated one (emulator controls). */
  scanner?: { driver: PalmScanner; emulator?: PalmScannerEmulator };
  /** The lane light tower (an emulated one when none is given). */
  light?: LightTower;
  /** `self`: a self-checkout kiosk (the renderer shows the shopper's kiosk view, never the cashier's). */
  laneType?: LaneType;
  /** The host's log (native/logging/host-logger.ts); silent when left out. */
  log?: HostLog;
}

const NO_SCANNER: ScannerStatus = {
  state: 'absent',
  kind: null,
  model: null,
  serial: null,
  firmware: null,
  keyState: null,
  keyFingerprint: null,
  publicKey: null,
  rejectedCaptures: 0,
  lastError: null,
};

/**
 * The host side of the terminal-host contract: owns the devices, answers calls, and fans device
 * events out to whichever shell is listening.
 */
export class TerminalHostService {
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private readonly ackTimeoutMs: number;
  private readonly light: LightTower;

  private log: HostLog | null;
  /** The host's logger (silent until a log is attached). */
  logger: Logger;
  private readonly startedAt = Date.now();

  constructor(private readonly o: TerminalHostServiceOptions) {
    this.ackTimeoutMs = o.deviceAckTimeoutMs ?? 5_000;
    this.light = o.light ?? new EmulatedLightTower();
    this.log = o.log ?? null;
    this.logger = o.log?.logger ?? pino({ level: 'silent' });
    this.handlers = loggedHandlers(this.table, () => this.logger);
    o.card.onUpdate((update) => {
      this.emit({ type: 'card', update });
      this.emit({ type: 'devices', devices: this.devices() });
    });
    o.drawer.onChange((state) => {
      this.emit({ type: 'drawer', state });
      this.emit({ type: 'devices', devices: this.devices() });
    });
    o.printer.onChange((status) => {
      this.logger.info({ device: 'printer', state: status.state }, 'receipt printer state');
      this.emit({ type: 'devices', devices: this.devices() });
    });
    o.printerEmulator?.onJob((job) => this.emit({ type: 'printed', job }));
    if (o.scanner) {
      o.scanner.driver.onEvent((event) => {
        if (event.kind === 'error')
          this.logger.warn({ device: 'scanner', code: event.code }, event.message);
        else if (event.kind === 'capture-rejected')
          this.logger.warn({ device: 'scanner', code: event.reason }, 'capture refused');
        this.emit({ type: 'scanner', event });
      });
      void o.scanner.driver.start();
    }
  }

  /** Starts logging to `log` (Electron opens it once the app's user-data folder is known). */
  attachLog(log: HostLog): void {
    this.log = log;
    this.logger = log.logger;
  }

  /**
   * The emulated scanner's attestation key (serial, model, SEC1 public key in hex), for the demo
   * launcher to hand to its embedded demo cloud; null with a real scanner or none.
   */
  async emulatedScannerKey(): Promise<{
    serial: string;
    model: string;
    publicKey: string;
  } | null> {
    const e = this.o.scanner?.emulator;
    if (!e) return null;
    await e.ready;
    return { serial: e.serial, model: e.model, publicKey: e.publicKeyHex };
  }

  /** The emulated scanner's next capture carries a counter of at least `next` (demo restarts). */
  resumeEmulatedScannerCounter(next: number): void {
    this.o.scanner?.emulator?.resumeCounterAt(next);
  }

  /** Stops background work (the scanner's hot-plug polling). */
  async dispose(): Promise<void> {
    await this.o.scanner?.driver.stop();
    this.o.scanner?.emulator?.dispose();
  }

  /**
   * Set by the shell once the store cloud is known: CLOUD_URL with PROVISIONING_CODE, or the
   * embedded demo cloud with the one code it printed at start. The host never mints codes: a
   * code is a manager's (or the demo launcher's) grant, handed on as it was given.
   */
  cloud: CloudInfo | null = null;

  onEvent(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getInfo(): Promise<HostInfo> {
    return {
      shell: this.o.shell,
      appVersion: this.o.appVersion,
      terminalId: this.o.terminalId,
      emulatorControls: this.o.emulatorControls,
      laneType: this.o.laneType ?? 'attended',
      devices: this.devices(),
      cloud: this.cloud && { url: this.cloud.url, provisioningCode: this.cloud.provisioningCode },
    };
  }

  cardBegin(req: CardBeginRequest): Promise<CardPaymentUpdate> {
    return this.withAck(this.o.card.begin(req.paymentId, req.amount), 'card terminal');
  }

  cardCancel(req: PaymentRef): Promise<void> {
    return this.withAck(this.o.card.cancel(req.paymentId), 'card terminal');
  }

  async cardStatus(req: PaymentRef): Promise<CardPaymentUpdate | null> {
    return this.o.card.payment(req.paymentId);
  }

  cardRefund(req: {
    refundId: string;
    paymentId: string;
    amount: Money;
  }): Promise<CardRefundResult> {
    return this.withAck(
      this.o.card.refund(req.refundId, req.paymentId, req.amount),
      'card terminal',
    );
  }

  /** Waits on the customer for up to timeoutMs; a terminal silent past that is not responding. */
  cardSetup(req: { setupId: string; timeoutMs: number }): Promise<CardSetupOutcome> {
    return this.withAck(
      this.o.card.setup(req.setupId, req.timeoutMs),
      'card terminal',
      req.timeoutMs + this.ackTimeoutMs,
    );
  }

  drawerOpen(): Promise<DrawerState> {
    return this.withAck(this.o.drawer.open(), 'cash drawer');
  }

  printerPrint(req: PrintRequest): Promise<void> {
    return this.withAck(this.o.printer.print(req.document), 'receipt printer');
  }

  async emulatorSetPrinterFault(fault: PrinterFault): Promise<void> {
    this.emulatedPrinter().setFault(fault);
  }

  async emulatorPrintedJobs(): Promise<readonly PrintedJob[]> {
    return this.emulatedPrinter().jobs();
  }

  async emulatorPresentCard(pan: string): Promise<void> {
    this.emulatedCard().presentCard(pan);
  }

  async emulatorCardCustomerCancel(): Promise<void> {
    this.emulatedCard().customerCancel();
  }

  async emulatorSetCardTerminalResponsive(responsive: boolean): Promise<void> {
    this.emulatedCard().setResponsive(responsive);
  }

  async emulatorCloseDrawer(): Promise<void> {
    const d = this.o.drawer;
    if (!(d instanceof EmulatedCashDrawer))
      throw new HostError('NOT_ALLOWED', 'The cash drawer is not emulated');
    d.close();
  }

  async scannerStatus(): Promise<ScannerStatus> {
    return this.o.scanner?.driver.status() ?? NO_SCANNER;
  }

  scannerCapture(req: ScannerCaptureRequest): Promise<VerifiedCapture> {
    return this.scanner((d) => d.capture(req));
  }

  scannerCancel(): Promise<void> {
    return this.scanner((d) => d.cancel());
  }

  scannerApproveKey(req: { serial: string }): Promise<ScannerStatus> {
    return this.scanner((d) => d.approveKey(req.serial));
  }

  async emulatorPresentPalm(req: EmulatorPalm): Promise<void> {
    this.emulatedScanner().presentPalm(req);
  }

  async emulatorRemovePalm(): Promise<void> {
    this.emulatedScanner().removePalm();
  }

  async emulatorUnplugScanner(): Promise<void> {
    this.emulatedScanner().unplug();
  }

  async emulatorReplugScanner(): Promise<void> {
    this.emulatedScanner().replug();
  }

  async emulatorSetScannerFault(req: { fault: 'none' | 'sensor' }): Promise<void> {
    this.emulatedScanner().setFault(req.fault);
  }

  /** For a technician (support.diagnostics); hostDiagnostics says what is in it and what not. */
  async supportDiagnostics(): Promise<HostDiagnostics> {
    return hostDiagnostics({
      info: await this.getInfo(),
      scanner: await this.scannerStatus(),
      printerLastError: this.o.printer.lastError(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      log: this.log,
    });
  }

  /**
   * What runs each method of the host contract (common/host/methods.ts), each call logged by
   * name and outcome (never its arguments). The dispatch looks calls up here after checking
   * their arguments; a method missing here is a type error.
   */
  readonly handlers: HostHandlers;
  private readonly table: HostHandlers = {
    'support.diagnostics': () => this.supportDiagnostics(),
    getInfo: () => this.getInfo(),
    'card.begin': (a) => this.cardBegin(a),
    'card.cancel': (a) => this.cardCancel(a),
    'card.status': (a) => this.cardStatus(a),
    'card.refund': (a) => this.cardRefund(a),
    'card.setup': (a) => this.cardSetup(a),
    'drawer.open': () => this.drawerOpen(),
    'printer.print': (a) => this.printerPrint(a),
    'light.set': async (a) => {
      await this.withAck(this.light.set(a.state), 'light tower');
      return this.light.status();
    },
    'light.status': async () => this.light.status(),
    'emulator.presentCard': (a) => this.emulatorPresentCard(a.pan),
    'emulator.cardCustomerCancel': () => this.emulatorCardCustomerCancel(),
    'emulator.closeDrawer': () => this.emulatorCloseDrawer(),
    'emulator.setPrinterFault': (a) => this.emulatorSetPrinterFault(a.fault),
    'emulator.printedJobs': () => this.emulatorPrintedJobs(),
    'emulator.setCardTerminalResponsive': (a) =>
      this.emulatorSetCardTerminalResponsive(a.responsive),
    'scanner.status': () => this.scannerStatus(),
    'scanner.capture': (a) => this.scannerCapture(a),
    'scanner.cancel': () => this.scannerCancel(),
    'scanner.approveKey': (a) => this.scannerApproveKey(a),
    'emulator.presentPalm': (a) => this.emulatorPresentPalm(a),
    'emulator.removePalm': () => this.emulatorRemovePalm(),
    'emulator.unplugScanner': () => this.emulatorUnplugScanner(),
    'emulator.replugScanner': () => this.emulatorReplugScanner(),
    'emulator.setScannerFault': (a) => this.emulatorSetScannerFault(a),
  };

  /** The printer as the status bar names it (logged at start). */
  get printerModel(): string {
    return this.o.printer.status().model;
  }

  get emulatorControls(): boolean {
    return this.o.emulatorControls;
  }

  private emulatedCard(): EmulatedCardTerminal {
    const c = this.o.card;
    if (!(c instanceof EmulatedCardTerminal))
      throw new HostError('NOT_ALLOWED', 'The card terminal is not emulated');
    return c;
  }

  private emulatedPrinter(): EmulatedPrinterDriver {
    const p = this.o.printerEmulator;
    if (!p) throw new HostError('NOT_ALLOWED', 'The receipt printer is not emulated');
    return p;
  }

  private emulatedScanner(): PalmScannerEmulator {
    const e = this.o.scanner?.emulator;
    if (!e) throw new HostError('NOT_ALLOWED', 'The palm scanner is not emulated');
    return e;
  }

  /** Runs a scanner call, turning palm-hid errors into the contract's HostError codes. */
  private async scanner<T>(f: (d: PalmScanner) => Promise<T>): Promise<T> {
    const d = this.o.scanner?.driver;
    if (!d) throw new HostError('DEVICE_OFFLINE', 'This terminal has no palm scanner configured');
    try {
      return await f(d);
    } catch (e) {
      if (isPalmHidError(e)) throw new HostError(hostErrorCode(e.code), e.message);
      throw e;
    }
  }

  private devices(): HostDevices {
    return {
      card: this.o.card.status(),
      drawer: this.o.drawer.status(),
      printer: this.o.printer.status(),
    };
  }

  private emit(e: HostEvent): void {
    for (const l of this.listeners) l(e);
  }

  private withAck<T>(p: Promise<T>, device: string, withinMs = this.ackTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new HostError(
              'DEVICE_NOT_RESPONDING',
              `The ${device} did not answer within ${withinMs} ms`,
            ),
          ),
        withinMs,
      );
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}
