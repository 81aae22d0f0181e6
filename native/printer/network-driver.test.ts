import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HostError } from '../../common/host/contract';
import { decodeEscPos, paperText } from '../../common/printer/escpos-decode';
import { NetworkPrinterDriver } from './network-driver';
import { realtimeStatusBytes, type PrinterRealtimeStatus } from './printer-driver';
import { EscPosPrinter } from './receipt-printer';

/**
 * A network receipt printer on a local port: it answers DLE EOT status requests from its
 * sensors and keeps everything else it receives, as a TM-T88 on 9100 would.
 */
async function fakePrinter(sensors: Partial<PrinterRealtimeStatus> | 'silent' = {}) {
  const jobs: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const job: number[] = [];
    socket.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) {
        if (d[i] === 0x10 && d[i + 1] === 0x04) {
          const n = d[i + 2]!;
          if (sensors !== 'silent') {
            const s = realtimeStatusBytes(sensors);
            socket.write(Buffer.from([n === 1 ? s[0] : n === 2 ? s[1] : s[2]]));
          }
          i += 2;
        } else job.push(d[i]!);
      }
    });
    socket.on('end', () => {
      if (job.length) jobs.push(Buffer.from(job));
      socket.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    jobs,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const receipt = {
  title: 'receipt 7',
  blocks: [
    { kind: 'text' as const, text: '데모 마켓, 서울', align: 'center' as const },
    { kind: 'row' as const, left: '합계', right: '₩3,500', bold: true },
  ],
};

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe('network printer (raw TCP 9100)', () => {
  it('prints a receipt: the printer receives exactly the encoded ESC/POS', async () => {
    const p = await fakePrinter();
    cleanup = p.close;
    const printer = new EscPosPrinter(
      new NetworkPrinterDriver({ host: '127.0.0.1', port: p.port }),
      {
        columns: 42,
      },
    );
    await printer.print(receipt);
    await expect.poll(() => p.jobs.length).toBe(1);
    const lines = paperText(decodeEscPos(p.jobs[0]!));
    expect(lines[1]).toBe('합계' + ' '.repeat(42 - 4 - 7) + '￦3,500');
    expect(printer.status()).toMatchObject({ kind: 'hardware', state: 'ready' });
  });

  it('refuses to print into an empty roll and says so; nothing reaches the paper', async () => {
    const p = await fakePrinter({ paperOut: true });
    cleanup = p.close;
    const printer = new EscPosPrinter(
      new NetworkPrinterDriver({ host: '127.0.0.1', port: p.port }),
      {
        columns: 42,
      },
    );
    await expect(printer.print(receipt)).rejects.toMatchObject({ code: 'PAPER_OUT' });
    expect(printer.status().state).toBe('fault');
    expect(printer.lastError()?.code).toBe('PAPER_OUT');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.jobs).toEqual([]);
  });

  it('reports an open cover', async () => {
    const p = await fakePrinter({ coverOpen: true });
    cleanup = p.close;
    const printer = new EscPosPrinter(
      new NetworkPrinterDriver({ host: '127.0.0.1', port: p.port }),
      {
        columns: 42,
      },
    );
    await expect(printer.print(receipt)).rejects.toMatchObject({ code: 'COVER_OPEN' });
  });

  it('an unreachable printer is offline, and the next job works once it is back', async () => {
    const p = await fakePrinter();
    const port = p.port;
    await p.close();
    const printer = new EscPosPrinter(new NetworkPrinterDriver({ host: '127.0.0.1', port }), {
      columns: 42,
    });
    const err = await printer.print(receipt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'DEVICE_OFFLINE' });
    expect(printer.status().state).toBe('offline');
  });

  it('prints anyway on a printer that never answers status requests', async () => {
    const p = await fakePrinter('silent');
    cleanup = p.close;
    const warnings: string[] = [];
    const printer = new EscPosPrinter(
      new NetworkPrinterDriver({ host: '127.0.0.1', port: p.port }),
      {
        columns: 42,
        statusTimeoutMs: 100,
        log: (_l, m) => warnings.push(m),
      },
    );
    await printer.print(receipt);
    await expect.poll(() => p.jobs.length).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it('kicks the cash drawer through the printer', async () => {
    const p = await fakePrinter();
    cleanup = p.close;
    const printer = new EscPosPrinter(
      new NetworkPrinterDriver({ host: '127.0.0.1', port: p.port }),
      {
        columns: 42,
      },
    );
    await printer.kickDrawer();
    await expect.poll(() => p.jobs.length).toBe(1);
    expect(p.jobs[0]!.toString('hex')).toBe('1b700019fa');
  });
});
