import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostLog, type HostLog } from '../logging/host-logger';
import { dispatchHostCall } from './dispatch';
import { type TerminalHostService } from './terminal-host-service';
import { createEmulatedHostService } from './emulated-host';

/**
 * The diagnostics a technician is sent, after the host has handled a card, a palm capture and
 * a receipt full of one shopper's data: none of it may be in the export.
 */
let dir: string;
let log: HostLog;
let service: TerminalHostService;
afterAll(async () => {
  await service?.dispose();
  await log?.close();
  await rm(dir, { recursive: true, force: true });
});

const PAN = '4000000000000002';
const LOYALTY = 'LOY-778899';
const SHOPPER = 'Ana Example';
const CODE = 'K7QM-2D9X-PLW4';

describe('support.diagnostics', () => {
  it('has versions, devices, queue-free host facts and the last problems, and no personal data', async () => {
    dir = await mkdtemp(join(tmpdir(), 'diag-'));
    log = await createHostLog({ dir, level: 'debug' });
    service = createEmulatedHostService({
      shell: 'browser',
      appVersion: '9.9.9',
      terminalId: 'lane-7',
      emulatorControls: true,
      cardProcessingMs: 10,
      log,
      printer: { kind: 'emulator', columns: 42 },
      scanner: { kind: 'emulator', seed: 3, hoverMs: 10 },
    });
    service.cloud = { url: 'http://127.0.0.1:8787/base', provisioningCode: CODE };
    const call = (m: string, a?: unknown) => dispatchHostCall(service, m, a);

    // A card payment, a palm capture and a receipt with the shopper's data.
    expect(
      await call('card.begin', {
        paymentId: 'pay-diag-0001',
        amount: { amount: 500, currency: 'USD' },
      }),
    ).toMatchObject({ ok: true });
    expect(await call('emulator.presentCard', { pan: PAN })).toMatchObject({ ok: true });
    const capture = call('scanner.capture', { mode: 'identify', timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 300));
    await call('emulator.presentPalm', { identity: 17, quality: 90, liveness: 95 });
    const captured = (await capture) as {
      ok: boolean;
      result?: { template: number[]; signed: string };
    };
    const receipt = {
      document: {
        title: 'receipt 1',
        blocks: [
          { kind: 'text', text: `${SHOPPER} · ${LOYALTY}` },
          { kind: 'row', left: `Visa ${PAN}`, right: '$5.00' },
        ],
      },
    };
    expect(await call('printer.print', receipt)).toMatchObject({ ok: true });
    await call('emulator.setPrinterFault', { fault: 'paper-out' });
    expect(await call('printer.print', receipt)).toMatchObject({
      ok: false,
      error: { code: 'PAPER_OUT' },
    });

    const r = await call('support.diagnostics');
    expect(r.ok).toBe(true);
    const d = (r as { result: Record<string, unknown> }).result;
    const json = JSON.stringify(d);
    expect(d).toMatchObject({
      appVersion: '9.9.9',
      terminalId: 'lane-7',
      runtime: { node: process.versions.node },
      devices: { printer: { state: 'fault' }, card: { kind: 'emulator' } },
      printerLastError: { code: 'PAPER_OUT' },
      cloudOrigin: 'http://127.0.0.1:8787',
      logs: { dir: expect.any(String) },
    });
    expect(json).toContain('"code":"PAPER_OUT"');
    for (const secret of [PAN, '4000 0000', LOYALTY, SHOPPER, CODE, 'pay-diag-0001'])
      expect(json, secret).not.toContain(secret);
    if (captured.ok && captured.result) {
      expect(json).not.toContain(captured.result.signed.slice(0, 40));
      expect(json).not.toContain(captured.result.template.slice(0, 8).join(','));
    }
    expect(json).not.toContain('publicKey');
    expect(json).not.toContain(process.env.HOME ?? '/nonexistent-home');
  });
});
