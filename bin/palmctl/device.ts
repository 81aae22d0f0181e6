import { toHex } from '../../common/palm-hid/bytes';
import { isPalmHidError } from '../../common/palm-hid/errors';
import { randomBytes, verifyCapture } from '../../common/palm-hid/verify';
import { defaultKeyFile } from '../../native/palm/config';
import { PalmScannerEmulator } from '../../native/palm/emulator';
import { FileKeyPinStore, type KeyPinStore } from '../../native/palm/key-store';
import { NodeHidBackend } from '../../native/palm/node-hid-backend';
import { PalmHidSession } from '../../native/palm/session';
import type { HidBackend, HidDeviceInfo } from '../../native/palm/transport';

/** palmctl's device commands: devices, ping, info, capture. */

export interface Target {
  /** Talk to an in-process emulator instead of USB (demos, tests, training). */
  emulator: boolean;
  /** A node-hid device path; the first scanner found otherwise. */
  device?: string;
}

export class DeviceCommandError extends Error {}

export function keyStore(env: Record<string, string | undefined>): KeyPinStore {
  return new FileKeyPinStore(env.PALM_SCANNER_KEYS?.trim() || defaultKeyFile(env));
}

async function backendFor(
  t: Target,
): Promise<{ backend: HidBackend; emulator: PalmScannerEmulator | null }> {
  if (t.emulator) {
    const emulator = await PalmScannerEmulator.create({ serial: 'EMU-PALMCTL', hoverMs: 400 });
    return { backend: emulator.backend, emulator };
  }
  return { backend: new NodeHidBackend(), emulator: null };
}

async function pick(backend: HidBackend, t: Target): Promise<HidDeviceInfo> {
  if (t.device && !t.emulator) {
    const all = await NodeHidBackend.enumerateAll();
    const d = all.find((x) => x.path === t.device);
    if (!d) throw new DeviceCommandError(`no HID device at ${t.device}`);
    return d;
  }
  const list = await backend.list();
  if (list.length === 0)
    throw new DeviceCommandError(
      'no palm scanner found (usage page 0xFF50 or 1209:50a1); try --emulator',
    );
  return list[0]!;
}

async function withSession<T>(
  t: Target,
  f: (s: PalmHidSession, d: HidDeviceInfo, emulator: PalmScannerEmulator | null) => Promise<T>,
): Promise<T> {
  const { backend, emulator } = await backendFor(t);
  try {
    const d = await pick(backend, t);
    const session = await PalmHidSession.open(await backend.open(d.path), {
      requestTimeoutMs: 2000,
    });
    try {
      return await f(session, d, emulator);
    } finally {
      await session.close();
    }
  } finally {
    emulator?.dispose();
  }
}

export interface DeviceRow {
  path: string;
  kind: string;
  model: string;
  serial: string;
  firmware: string;
  key: 'approved' | 'pending' | 'not pinned' | 'MISMATCH';
  fingerprint: string;
}

export async function devicesCommand(t: Target, store: KeyPinStore): Promise<DeviceRow[]> {
  const { backend, emulator } = await backendFor(t);
  try {
    const rows: DeviceRow[] = [];
    for (const d of await backend.list()) {
      const session = await PalmHidSession.open(await backend.open(d.path), {
        requestTimeoutMs: 2000,
      });
      try {
        const info = await session.info();
        const hex = toHex(info.publicKey);
        const pin = await store.get(info.serial);
        const digest = new Uint8Array(
          await globalThis.crypto.subtle.digest('SHA-256', info.publicKey as BufferSource),
        );
        rows.push({
          path: d.path,
          kind: d.kind,
          model: info.model,
          serial: info.serial,
          firmware: session.init.firmware.join('.'),
          key: !pin ? 'not pinned' : pin.publicKey !== hex ? 'MISMATCH' : pin.state,
          fingerprint: toHex(digest.subarray(0, 8)),
        });
      } finally {
        await session.close();
      }
    }
    return rows;
  } finally {
    emulator?.dispose();
  }
}

export async function pingCommand(
  t: Target,
  bytes: number,
): Promise<{ path: string; bytes: number; ms: number }> {
  return withSession(t, async (s, d) => {
    const data = randomBytes(bytes);
    const t0 = performance.now();
    await s.ping(data);
    return { path: d.path, bytes, ms: Math.round((performance.now() - t0) * 100) / 100 };
  });
}

export async function infoCommand(t: Target): Promise<Record<string, unknown>> {
  return withSession(t, async (s, d) => {
    const info = await s.info();
    return {
      path: d.path,
      kind: d.kind,
      cid: '0x' + s.channel.toString(16).padStart(8, '0'),
      protocolVersion: s.init.version,
      firmware: s.init.firmware.join('.'),
      capabilities: {
        liveness: !!(s.init.capabilities & 1),
        signedCaptures: !!(s.init.capabilities & 2),
        guidanceEvents: !!(s.init.capabilities & 4),
      },
      serial: info.serial,
      model: info.model,
      templateFormat: info.format,
      dims: info.dims,
      publicKey: toHex(info.publicKey),
    };
  });
}

export interface CaptureOptions {
  mode: 'identify' | 'enroll';
  timeoutMs: number;
  /** Emulator only: the palm to present once the capture is running. */
  palm?: { identity: number; quality: number; liveness: number };
  showTemplate: boolean;
  onGuidance: (text: string) => void;
}

/**
 * One capture, verified against the key pinned for the scanner (or, if none is pinned, the key
 * it reports, which is then said plainly in the output) and the last counter on record.
 */
export async function captureCommand(
  t: Target,
  store: KeyPinStore,
  o: CaptureOptions,
): Promise<Record<string, unknown>> {
  return withSession(t, async (s, d, emulator) => {
    const info = await s.info();
    const pin = await store.get(info.serial);
    const pinned = pin !== null && pin.publicKey === toHex(info.publicKey);
    if (pin && !pinned)
      throw new DeviceCommandError(
        `scanner ${info.serial} presents a key other than the one pinned for it`,
      );
    const hostNonce = randomBytes(16);
    const capture = s.capture(
      { mode: o.mode, timeoutMs: o.timeoutMs, hostNonce },
      {
        onGuidance: (g) =>
          o.onGuidance(`${g.event ?? `event 0x${g.code.toString(16)}`} (${g.hand})`),
      },
    );
    if (emulator)
      setTimeout(
        () => emulator.presentPalm(o.palm ?? { identity: 1, quality: 90, liveness: 95 }),
        50,
      );
    let payload: Uint8Array;
    try {
      payload = await capture;
    } catch (e) {
      if (isPalmHidError(e))
        throw new DeviceCommandError(`capture ended: ${e.code} (${e.message})`);
      throw e;
    }
    const { verdict, result } = await verifyCapture({
      payload,
      publicKey: info.publicKey,
      hostNonce,
      lastCounter: pin?.lastCounter ?? -1,
    });
    return {
      path: d.path,
      serial: info.serial,
      verdict,
      key: pinned ? pin.state : 'not pinned (checked against the key the scanner reports)',
      counter: result.counter,
      quality: result.quality,
      liveness: result.liveness,
      hand: result.hand,
      dims: result.dims,
      ...(o.showTemplate
        ? {
            template: toHex(
              new Uint8Array(result.template.buffer, result.template.byteOffset, result.dims),
            ),
          }
        : {}),
    };
  });
}
