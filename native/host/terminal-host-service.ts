import {
  HostError,
  type CardBeginRequest,
  type CardPaymentUpdate,
  type DrawerState,
  type HostDevices,
  type HostEvent,
  type HostInfo,
  type PaymentRef,
  type PrintRequest,
  type ShellKind,
} from '../../common/host/contract';
import type { CardTerminal } from '../card/card-terminal';
import { EmulatedCardTerminal } from '../card/emulated-card-terminal';
import type { CashDrawer } from '../drawer/cash-drawer';
import { EmulatedCashDrawer } from '../drawer/emulated-cash-drawer';
import { EmulatedReceiptPrinter, type ReceiptPrinter } from '../printer/receipt-printer';

export interface TerminalHostServiceOptions {
  shell: ShellKind;
  appVersion: string;
  terminalId: string;
  /** Emulator controls are refused unless this is set (development and test builds only). */
  emulatorControls: boolean;
  card: CardTerminal;
  drawer: CashDrawer;
  printer: ReceiptPrinter;
  /** How long a device may take to acknowledge a request before it counts as not responding. */
  deviceAckTimeoutMs?: number;
}

/**
 * The host side of the terminal-host contract: owns the devices, answers calls, and fans device
 * events out to whichever shell is listening.
 */
export class TerminalHostService {
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private readonly ackTimeoutMs: number;

  constructor(private readonly o: TerminalHostServiceOptions) {
    this.ackTimeoutMs = o.deviceAckTimeoutMs ?? 5_000;
    o.card.onUpdate((update) => {
      this.emit({ type: 'card', update });
      this.emit({ type: 'devices', devices: this.devices() });
    });
    o.drawer.onChange((state) => {
      this.emit({ type: 'drawer', state });
      this.emit({ type: 'devices', devices: this.devices() });
    });
  }

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
      devices: this.devices(),
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

  drawerOpen(): Promise<DrawerState> {
    return this.withAck(this.o.drawer.open(), 'cash drawer');
  }

  printerPrint(req: PrintRequest): Promise<void> {
    return this.withAck(this.o.printer.print(req), 'receipt printer');
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
    if (!(d instanceof EmulatedCashDrawer)) throw new HostError('NOT_ALLOWED', 'The cash drawer is not emulated');
    d.close();
  }

  get emulatorControls(): boolean {
    return this.o.emulatorControls;
  }

  private emulatedCard(): EmulatedCardTerminal {
    const c = this.o.card;
    if (!(c instanceof EmulatedCardTerminal)) throw new HostError('NOT_ALLOWED', 'The card terminal is not emulated');
    return c;
  }

  private devices(): HostDevices {
    return { card: this.o.card.status(), drawer: this.o.drawer.status(), printer: this.o.printer.status() };
  }

  private emit(e: HostEvent): void {
    for (const l of this.listeners) l(e);
  }

  private withAck<T>(p: Promise<T>, device: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new HostError('DEVICE_NOT_RESPONDING', `The ${device} did not answer within ${this.ackTimeoutMs} ms`)),
        this.ackTimeoutMs,
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

export interface EmulatedServiceOptions {
  shell: ShellKind;
  appVersion: string;
  terminalId: string;
  emulatorControls: boolean;
  cardPresentTimeoutMs?: number;
  cardProcessingMs?: number;
  drawerLeftOpenAfterMs?: number;
  deviceAckTimeoutMs?: number;
  printerLogPath?: string;
}

/** The host with every device emulated: what runs when no hardware is configured. */
export function createEmulatedHostService(o: EmulatedServiceOptions): TerminalHostService {
  return new TerminalHostService({
    shell: o.shell,
    appVersion: o.appVersion,
    terminalId: o.terminalId,
    emulatorControls: o.emulatorControls,
    deviceAckTimeoutMs: o.deviceAckTimeoutMs,
    card: new EmulatedCardTerminal({
      presentTimeoutMs: o.cardPresentTimeoutMs,
      processingMs: o.cardProcessingMs,
    }),
    drawer: new EmulatedCashDrawer({ leftOpenAfterMs: o.drawerLeftOpenAfterMs }),
    printer: new EmulatedReceiptPrinter(o.printerLogPath),
  });
}
