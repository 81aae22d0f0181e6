import { describe, expect, it } from 'vitest';
import { decodeEscPos, paperText } from '../../common/printer/escpos-decode';
import { createPrinterAndDrawer } from './create-printer';

const doc = {
  title: 'receipt 1',
  blocks: [
    { kind: 'text' as const, text: 'Demo Markt, Berlin' },
    { kind: 'qr' as const, data: 'http://127.0.0.1:8787/r/00ff' },
  ],
};

describe('the emulated printer and the drawer on its kick connector', () => {
  it('decodes the ESC/POS it received and keeps the job for the paper view', async () => {
    const { printer, emulator } = createPrinterAndDrawer({ kind: 'emulator', columns: 42 }, {});
    const seen: number[] = [];
    emulator!.onJob((j) => seen.push(j.id));
    await printer.print(doc);
    const [job] = emulator!.jobs();
    expect(seen).toEqual([job!.id]);
    const lines = paperText(decodeEscPos(Buffer.from(job!.escpos, 'base64')));
    expect(lines[0]!.trimEnd()).toBe('Demo Markt, Berlin');
    expect(lines).toContain('[QR http://127.0.0.1:8787/r/00ff]');
  });

  it('opens the drawer only when the kick reaches the printer', async () => {
    const { drawer, emulator } = createPrinterAndDrawer({ kind: 'emulator', columns: 42 }, {});
    emulator!.setFault('offline');
    await expect(drawer.open()).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    expect(drawer.status().drawer).toBe('closed');
    emulator!.setFault('paper-out'); // an empty roll does not stop the kick
    await expect(drawer.open()).resolves.toBe('open');
    expect(decodeEscPos(Buffer.from(emulator!.jobs().at(-1)!.escpos, 'base64')).items).toEqual([
      { kind: 'drawer-kick', pin: 2 },
    ]);
  });

  it('refuses a job while out of paper or with the cover open, and prints again once fixed', async () => {
    const { printer, emulator } = createPrinterAndDrawer({ kind: 'emulator', columns: 42 }, {});
    emulator!.setFault('paper-out');
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PAPER_OUT' });
    emulator!.setFault('cover-open');
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'COVER_OPEN' });
    expect(emulator!.jobs()).toEqual([]);
    emulator!.setFault('none');
    await printer.print(doc);
    expect(emulator!.jobs()).toHaveLength(1);
    expect(printer.status().state).toBe('ready');
  });
});
