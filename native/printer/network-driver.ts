import { Socket } from 'node:net';
import { HostError } from '../../common/host/contract';
import type { PrinterDriver, PrinterLink } from './printer-driver';

export interface NetworkPrinterOptions {
  host: string;
  /** Raw printing ("JetDirect", AppSocket): 9100 on practically every network receipt printer. */
  port?: number;
  connectTimeoutMs?: number;
}

/**
 * A network receipt printer over raw TCP: one connection per job, so a printer that was power
 * cycled between sales just works on the next one. The printer answers DLE EOT status requests
 * on the same socket.
 */
export class NetworkPrinterDriver implements PrinterDriver {
  readonly kind = 'hardware' as const;
  readonly model: string;
  private readonly port: number;

  constructor(private readonly o: NetworkPrinterOptions) {
    this.port = o.port ?? 9100;
    this.model = `Network printer ${o.host}:${this.port}`;
  }

  open(): Promise<PrinterLink> {
    const where = `${this.o.host}:${this.port}`;
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new HostError('DEVICE_OFFLINE', `The receipt printer at ${where} did not connect`));
      }, this.o.connectTimeoutMs ?? 3_000);
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new HostError(
            'DEVICE_OFFLINE',
            `The receipt printer at ${where} is unreachable (${e.code ?? e.message})`,
          ),
        );
      });
      socket.connect(this.port, this.o.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socketLink(socket, where));
      });
    });
  }
}

function socketLink(socket: Socket, where: string): PrinterLink {
  let buffered = Buffer.alloc(0);
  let waiter: (() => void) | null = null;
  let failure: Error | null = null;
  socket.setNoDelay(true);
  socket.on('data', (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    waiter?.();
  });
  const fail = (e: Error) => {
    failure = new HostError(
      'DEVICE_OFFLINE',
      `The receipt printer at ${where} dropped: ${e.message}`,
    );
    waiter?.();
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        socket.write(bytes, (e) => (e ? reject(failure ?? e) : resolve()));
      }),
    async read(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (buffered.length < n) {
        if (failure) throw failure;
        const left = deadline - Date.now();
        if (left <= 0) return null;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(t);
            resolve();
          };
        });
        waiter = null;
      }
      const out = new Uint8Array(buffered.subarray(0, n));
      buffered = buffered.subarray(n);
      return out;
    },
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        socket.end(() => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 2_000).unref();
      }),
  };
}
