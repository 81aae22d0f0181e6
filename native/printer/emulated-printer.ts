import { appendFile } from 'node:fs/promises';
import { HostError, type PrintedJob, type PrinterFault } from '../../common/host/contract';
import { decodeEscPos, paperText } from '../../common/printer/escpos-decode';
import { realtimeStatusBytes, type PrinterDriver, type PrinterLink } from './printer-driver';

export interface EmulatedPrinterOptions {
  /** Appends each job's paper, as text, to this file (PRINTER_LOG). */
  logPath?: string;
  /** Called when a job carried a drawer kick (ESC p): the emulated drawer opens on the bytes. */
  onDrawerKick?: () => void;
}

/**
 * A receipt printer on the end of a wire: it receives ESC/POS bytes like a real one, answers
 * real-time status requests from its (emulated) sensors, decodes what it was sent and keeps the
 * last jobs for the emulator's paper view. Faults: out of paper, cover open, offline.
 */
export class EmulatedPrinterDriver implements PrinterDriver {
  readonly kind = 'emulator' as const;
  readonly model = 'Emulated ESC/POS printer';
  private fault: PrinterFault = 'none';
  private readonly recent: PrintedJob[] = [];
  private nextId = 1;
  private readonly jobListeners = new Set<(job: PrintedJob) => void>();

  constructor(private readonly o: EmulatedPrinterOptions = {}) {}

  setFault(fault: PrinterFault): void {
    this.fault = fault;
  }

  /** Every job as it arrives, for the emulator's paper view. */
  onJob(listener: (job: PrintedJob) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  jobs(): readonly PrintedJob[] {
    return [...this.recent];
  }

  async open(): Promise<PrinterLink> {
    if (this.fault === 'offline')
      throw new HostError('DEVICE_OFFLINE', 'The emulated receipt printer is offline');
    const received: number[] = [];
    const answers: number[] = [];
    const status = realtimeStatusBytes({
      paperOut: this.fault === 'paper-out',
      coverOpen: this.fault === 'cover-open',
    });
    return {
      write: async (bytes) => {
        for (let i = 0; i < bytes.length; i++) {
          // DLE EOT n is answered at once and never printed, as a real printer does.
          if (bytes[i] === 0x10 && bytes[i + 1] === 0x04) {
            const n = bytes[i + 2];
            answers.push(n === 1 ? status[0] : n === 2 ? status[1] : status[2]);
            i += 2;
          } else received.push(bytes[i]!);
        }
      },
      read: async (n) => (answers.length >= n ? Uint8Array.from(answers.splice(0, n)) : null),
      close: async () => {
        if (received.length > 0) await this.finish(Uint8Array.from(received));
      },
    };
  }

  private async finish(bytes: Uint8Array): Promise<void> {
    const paper = decodeEscPos(bytes);
    const lines = paperText(paper);
    const title = paper.items.some((i) => i.kind === 'cut')
      ? (lines.find((l) => l.trim() !== '')?.trim() ?? 'job')
      : 'drawer kick';
    const job: PrintedJob = {
      id: this.nextId++,
      title,
      at: new Date().toISOString(),
      escpos: Buffer.from(bytes).toString('base64'),
    };
    this.recent.push(job);
    if (this.recent.length > 20) this.recent.shift();
    if (paper.items.some((i) => i.kind === 'drawer-kick')) this.o.onDrawerKick?.();
    for (const l of this.jobListeners) l(job);
    if (this.o.logPath)
      await appendFile(
        this.o.logPath,
        `--- job ${job.id} (${job.at}) ---\n${lines.join('\n')}\n\n`,
      );
  }
}
