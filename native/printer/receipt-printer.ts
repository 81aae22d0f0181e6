import { appendFile } from 'node:fs/promises';
import type { DeviceStatus, PrintRequest } from '../../common/host/contract';

export interface ReceiptPrinter {
  status(): DeviceStatus;
  print(req: PrintRequest): Promise<void>;
}

/**
 * Stands in for an ESC/POS printer: keeps the last receipts in memory and, when a path is
 * configured, appends them to a text file so a developer can read what would have printed.
 */
export class EmulatedReceiptPrinter implements ReceiptPrinter {
  readonly printed: PrintRequest[] = [];
  constructor(private readonly logPath?: string) {}

  status(): DeviceStatus {
    return { kind: 'emulator', model: 'Emulated receipt printer', state: 'ready' };
  }

  async print(req: PrintRequest): Promise<void> {
    this.printed.push(req);
    if (this.printed.length > 50) this.printed.shift();
    if (this.logPath) {
      await appendFile(
        this.logPath,
        `--- receipt ${req.receiptNo} ---\n${req.lines.join('\n')}\n\n`,
      );
    }
  }
}
