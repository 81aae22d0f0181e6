import { afterEach, describe, expect, it } from 'vitest';
import type { ScannerEvent, ScannerStatus } from '../../common/host/contract';
import { fromHex } from '../../common/palm-hid/bytes';
import { CMD, ERROR_CODES, type DeviceErrorName } from '../../common/palm-hid/constants';
import { isPalmHidError } from '../../common/palm-hid/errors';
import { frameMessage } from '../../common/palm-hid/framing';
import { decodeCaptureResult, encodeCaptureRequest } from '../../common/palm-hid/messages';
import { verifyCapture } from '../../common/palm-hid/verify';
import { fromBase64url } from '../../common/base64url';
import { createPopulation } from '../../common/palm/population';
import { PalmScannerEmulator, type PalmScannerEmulatorOptions } from './emulator';
import { MemoryKeyPinStore } from './key-store';
import { hostErrorCode, PalmScanner, type PalmScannerOptions } from './scanner';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  o: {
    emulator?: PalmScannerEmulatorOptions;
    scanner?: Partial<PalmScannerOptions>;
    autoApprove?: boolean;
  } = {},
) {
  const emulator = await PalmScannerEmulator.create({
    hoverMs: 300,
    population: { seed: 5 },
    ...o.emulator,
  });
  const keyStore = o.scanner?.keyStore ?? new MemoryKeyPinStore();
  const scanner = new PalmScanner({
    backend: emulator.backend,
    keyStore,
    pollMs: 100,
    autoApprove: () => o.autoApprove ?? true,
    ...o.scanner,
  });
  const events: ScannerEvent[] = [];
  scanner.onEvent((e) => events.push(e));
  cleanups.push(
    () => emulator.dispose(),
    () => scanner.stop(),
  );
  await scanner.start();
  return { emulator, scanner, keyStore, events };
}

function waitForStatus(
  scanner: PalmScanner,
  pred: (s: ScannerStatus) => boolean,
  timeoutMs: number,
): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    if (pred(scanner.status())) return resolve(0);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`status never matched; last ${JSON.stringify(scanner.status())}`));
    }, timeoutMs);
    const off = scanner.onEvent((e) => {
      if (e.kind === 'status' && pred(e.status)) {
        clearTimeout(timer);
        off();
        resolve(performance.now() - t0);
      }
    });
  });
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (isPalmHidError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a rejection');
};

describe('PalmScanner against the emulator', () => {
  it('handshakes: INIT, INFO, key pinned, ready', async () => {
    const { scanner, emulator, keyStore } = await setup();
    const s = scanner.status();
    expect(s).toMatchObject({
      state: 'ready',
      kind: 'emulator',
      serial: emulator.serial,
      model: emulator.model,
      firmware: '1.0.0',
      keyState: 'approved',
    });
    expect(s.keyFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((await keyStore.get(emulator.serial))?.publicKey).toBe(emulator.publicKeyHex);
    expect(scanner.session!.channel).not.toBe(0xffffffff);
    const echo = await scanner.session!.ping(Uint8Array.of(1, 2, 3));
    expect(Array.from(echo)).toEqual([1, 2, 3]);
  });

  it('pins an unknown key as pending and refuses captures until a manager approves it', async () => {
    const { scanner, emulator } = await setup({ autoApprove: false });
    expect(scanner.status().keyState).toBe('pending');
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 1000 }))).toBe('KEY_PENDING');
    expect(emulator.stats.captures).toBe(0);
    expect((await scanner.approveKey(emulator.serial)).keyState).toBe('approved');
    emulator.presentPalm({ identity: 1, quality: 90, liveness: 95 });
    await expect(scanner.capture({ mode: 'identify', timeoutMs: 2000 })).resolves.toMatchObject({
      counter: 1,
    });
  });

  it('refuses a scanner whose key differs from the pinned one', async () => {
    const keyStore = new MemoryKeyPinStore();
    await keyStore.put({
      serial: 'EMU-0001',
      publicKey: '04' + '11'.repeat(64),
      state: 'approved',
      firstSeen: '',
      approvedAt: '',
      lastCounter: -1,
    });
    const { scanner } = await setup({ scanner: { keyStore } });
    expect(scanner.status()).toMatchObject({ state: 'fault', keyState: 'mismatch' });
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 1000 }))).toBe('KEY_MISMATCH');
  });

  it('delivers a verified capture with guidance, timed like a device', async () => {
    const { scanner, emulator, events } = await setup();
    const t0 = performance.now();
    const p = scanner.capture({ mode: 'identify', timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(scanner.status().state).toBe('capturing');
    emulator.presentPalm({ identity: 42, quality: 55, liveness: 90, hand: 'left' });
    const tPresent = performance.now();
    const c = await p;
    const hover = performance.now() - tPresent;
    expect(hover).toBeGreaterThanOrEqual(290);
    expect(hover).toBeLessThan(800);
    expect(performance.now() - t0).toBeGreaterThan(300);
    expect(c).toMatchObject({
      format: 'PT1',
      quality: 55,
      liveness: 90,
      hand: 'left',
      counter: 1,
      scannerSerial: emulator.serial,
      mode: 'identify',
    });
    expect(c.template).toEqual(Array.from(createPopulation({ seed: 5 }).capture(42, 55, 1)));
    // The signed bytes travel on (to the cloud, with a payment): they verify with the scanner's
    // key and carry the very template and counter the lane was given; one bit changed, and not.
    const signed = fromBase64url(c.signed);
    const key = fromHex(scanner.status().publicKey!);
    const verdict = await verifyCapture({
      payload: signed,
      publicKey: key,
      hostNonce: decodeCaptureResult(signed).hostNonce,
      lastCounter: 0,
    });
    expect(verdict.verdict).toBe('accept');
    expect(Array.from(verdict.result.template)).toEqual(c.template);
    expect(verdict.result.counter).toBe(c.counter);
    const tampered = signed.slice();
    tampered[20] = tampered[20]! ^ 1;
    const bad = await verifyCapture({
      payload: tampered,
      publicKey: key,
      hostNonce: decodeCaptureResult(signed).hostNonce,
      lastCounter: 0,
    });
    expect(bad.verdict).toBe('bad-signature');
    const guidance = events.flatMap((e) => (e.kind === 'guidance' ? [e.guidance] : []));
    expect(guidance).toEqual([
      'HAND_DETECTED',
      'MOVE_CLOSER',
      'CENTER_HAND',
      'HOLD_STILL',
      'CAPTURING',
    ]);
    expect(scanner.status().state).toBe('ready');
    // The next capture gets the next counter.
    emulator.presentPalm({ identity: 42, quality: 90, liveness: 90 });
    expect((await scanner.capture({ mode: 'enroll', timeoutMs: 2000 })).counter).toBe(2);
  });

  it('cancels a pending capture', async () => {
    const { scanner } = await setup();
    const p = scanner.capture({ mode: 'identify', timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 30));
    await scanner.cancel();
    expect(await code(p)).toBe('CANCELLED');
    expect(scanner.status()).toMatchObject({ state: 'ready', lastError: 'CAPTURE_CANCELLED' });
  });

  it('times out when no hand comes, with keepalives meanwhile', async () => {
    const { scanner } = await setup({ emulator: { keepaliveMs: 100 } });
    const keepalives: string[] = [];
    const session = scanner.session!;
    const raw = session.capture(
      { mode: 'identify', timeoutMs: 500, hostNonce: new Uint8Array(16) },
      { onKeepalive: (s) => keepalives.push(s) },
    );
    expect(await code(raw)).toBe('CAPTURE_TIMEOUT');
    expect(keepalives.length).toBeGreaterThanOrEqual(3);
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 500 }))).toBe(
      'CAPTURE_TIMEOUT',
    );
  });

  it('answers CHANNEL_BUSY to a second CAPTURE on a busy channel', async () => {
    const { scanner } = await setup();
    const session = scanner.session!;
    const first = session.capture({
      mode: 'identify',
      timeoutMs: 2000,
      hostNonce: new Uint8Array(16),
    });
    await new Promise((r) => setTimeout(r, 30));
    const second = encodeCaptureRequest({
      mode: 'identify',
      timeoutMs: 2000,
      hostNonce: new Uint8Array(16),
    });
    expect(await code(session.request(CMD.CAPTURE, second))).toBe('CHANNEL_BUSY');
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 1000 }))).toBe('BUSY');
    await session.cancel();
    expect(await code(first)).toBe('CANCELLED');
  });

  it('reports an unplug mid-capture within 1 s and is ready again within 2 s of replug', async () => {
    const { scanner, emulator } = await setup();
    const p = scanner.capture({ mode: 'identify', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    emulator.unplug();
    expect(await code(p)).toBe('DISCONNECTED');
    await waitForStatus(scanner, (s) => s.state === 'absent', 1000);
    expect(performance.now() - t0).toBeLessThan(1000);
    const t1 = performance.now();
    emulator.replug();
    await waitForStatus(scanner, (s) => s.state === 'ready', 2000);
    expect(performance.now() - t1).toBeLessThan(2000);
    emulator.presentPalm({ identity: 3, quality: 90, liveness: 90 });
    await expect(scanner.capture({ mode: 'identify', timeoutMs: 2000 })).resolves.toMatchObject({
      counter: 1,
    });
  });

  it('notices a silent unplug (no read error) by polling and the keepalive watchdog', async () => {
    const { scanner, emulator } = await setup({ scanner: { pollMs: 500 } });
    const p = scanner.capture({ mode: 'identify', timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    emulator.unplug({ silent: true });
    const c = await code(p);
    expect(['DISCONNECTED', 'TIMEOUT']).toContain(c);
    expect(performance.now() - t0).toBeLessThan(1000);
    await waitForStatus(scanner, (s) => s.state === 'absent', 1000);
  });

  it.each([
    ['tamper', 'bad-signature'],
    ['foreign-key', 'bad-signature'],
    ['wrong-nonce', 'nonce-mismatch'],
    ['replay-counter', 'replay'],
  ] as const)(
    'refuses a %s capture (%s), counts it and delivers nothing',
    async (forge, reason) => {
      const { scanner, emulator, events } = await setup();
      emulator.presentPalm({ identity: 9, quality: 90, liveness: 90 });
      await scanner.capture({ mode: 'identify', timeoutMs: 2000 }); // counter 1 accepted
      emulator.forgeNextResult(forge);
      emulator.presentPalm({ identity: 9, quality: 90, liveness: 90 });
      expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 2000 }))).toBe(
        'CAPTURE_REJECTED',
      );
      expect(scanner.rejections[reason]).toBe(1);
      expect(scanner.status().rejectedCaptures).toBe(1);
      expect(events).toContainEqual({ kind: 'capture-rejected', reason });
      // The scanner still works for honest captures afterwards.
      emulator.presentPalm({ identity: 9, quality: 90, liveness: 90 });
      await expect(scanner.capture({ mode: 'identify', timeoutMs: 2000 })).resolves.toBeTruthy();
    },
  );

  it('refuses a replayed counter even across a host restart (counter persisted with the pin)', async () => {
    const keyStore = new MemoryKeyPinStore();
    const emulator = await PalmScannerEmulator.create({ hoverMs: 300 });
    cleanups.push(() => emulator.dispose());
    const first = new PalmScanner({ backend: emulator.backend, keyStore, autoApprove: () => true });
    await first.start();
    emulator.presentPalm({ identity: 1, quality: 90, liveness: 90 });
    await first.capture({ mode: 'identify', timeoutMs: 2000 });
    await first.stop();
    const second = new PalmScanner({ backend: emulator.backend, keyStore });
    cleanups.push(() => second.stop());
    await second.start();
    emulator.forgeNextResult('replay-counter');
    emulator.presentPalm({ identity: 1, quality: 90, liveness: 90 });
    expect(await code(second.capture({ mode: 'identify', timeoutMs: 2000 }))).toBe(
      'CAPTURE_REJECTED',
    );
    expect(second.rejections.replay).toBe(1);
  });

  it('resumes the emulator’s counter where the store left it, never moving it back', async () => {
    const { scanner, emulator } = await setup();
    emulator.resumeCounterAt(40);
    emulator.presentPalm({ identity: 3, quality: 90, liveness: 90 });
    expect((await scanner.capture({ mode: 'identify', timeoutMs: 3000 })).counter).toBe(40);
    emulator.resumeCounterAt(5);
    emulator.presentPalm({ identity: 3, quality: 90, liveness: 90 });
    expect((await scanner.capture({ mode: 'identify', timeoutMs: 3000 })).counter).toBe(41);
    expect(() => emulator.resumeCounterAt(-1)).toThrow(RangeError);
  });

  it('maps liveness failure, low quality and sensor fault to typed errors', async () => {
    const { scanner, emulator } = await setup();
    emulator.presentPalm({ identity: 1, quality: 90, liveness: 10 });
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 2000 }))).toBe(
      'LIVENESS_FAILED',
    );
    emulator.presentPalm({ identity: 1, quality: 10, liveness: 90 });
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 2000 }))).toBe(
      'QUALITY_TOO_LOW',
    );
    emulator.setFault('sensor');
    expect(await code(scanner.capture({ mode: 'identify', timeoutMs: 2000 }))).toBe('SENSOR_FAULT');
    expect(scanner.status()).toMatchObject({ state: 'fault', lastError: 'SENSOR_FAULT' });
    emulator.setFault('none');
    emulator.presentPalm({ identity: 1, quality: 90, liveness: 90 });
    await scanner.capture({ mode: 'identify', timeoutMs: 2000 });
    expect(scanner.status().state).toBe('ready');
  });

  it('times out a request to a hung device', async () => {
    const { scanner, emulator } = await setup({ scanner: { session: { requestTimeoutMs: 200 } } });
    emulator.setResponsive(false);
    const t0 = performance.now();
    expect(await code(scanner.session!.info())).toBe('TIMEOUT');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('survives garbage reports and keeps working', async () => {
    const { scanner, emulator } = await setup();
    const session = scanner.session!;
    const cid = session.channel;
    const cont = new Uint8Array(64);
    new DataView(cont.buffer).setUint32(0, cid);
    cont[4] = 5; // continuation with no message in progress
    const bad = frameMessage(cid, CMD.PING, new Uint8Array(200));
    emulator.injectReports([new Uint8Array(20), fromHex('00'.repeat(66)), cont, bad[0]!, bad[2]!]);
    await new Promise((r) => setTimeout(r, 20));
    expect(session.stats.malformed).toBe(2);
    emulator.presentPalm({ identity: 2, quality: 90, liveness: 90 });
    await expect(scanner.capture({ mode: 'identify', timeoutMs: 2000 })).resolves.toMatchObject({
      counter: 1,
    });
  });

  it('maps every device ERROR code to a typed host error', () => {
    const expected: Record<DeviceErrorName, string> = {
      INVALID_CMD: 'INTERNAL',
      INVALID_PAR: 'INTERNAL',
      INVALID_LEN: 'INTERNAL',
      INVALID_SEQ: 'INTERNAL',
      MSG_TIMEOUT: 'INTERNAL',
      CHANNEL_BUSY: 'DEVICE_BUSY',
      INVALID_CHANNEL: 'INTERNAL',
      CAPTURE_TIMEOUT: 'CAPTURE_TIMEOUT',
      CANCELLED: 'CAPTURE_CANCELLED',
      LIVENESS_FAILED: 'LIVENESS_FAILED',
      QUALITY_TOO_LOW: 'QUALITY_TOO_LOW',
      SENSOR_FAULT: 'SENSOR_FAULT',
      OTHER: 'INTERNAL',
    };
    for (const name of Object.keys(ERROR_CODES) as DeviceErrorName[])
      expect(hostErrorCode(name)).toBe(expected[name]);
  });

  it('the emulator answers protocol errors like a device', async () => {
    const { scanner } = await setup();
    const s = scanner.session!;
    expect(await code(s.request(0x85, new Uint8Array(0)))).toBe('INVALID_CMD');
    expect(await code(s.request(CMD.INFO, Uint8Array.of(1)))).toBe('INVALID_LEN');
    const badTimeout = encodeCaptureRequest({
      mode: 'identify',
      timeoutMs: 500,
      hostNonce: new Uint8Array(16),
    });
    badTimeout[1] = 0;
    badTimeout[2] = 10; // 10 ms: out of range
    expect(await code(s.request(CMD.CAPTURE, badTimeout))).toBe('INVALID_PAR');
  });
});
