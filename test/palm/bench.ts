/**
 * `npm run bench:palm-hid`: codec throughput (reports/s) and last-report-in → verified-capture-out
 * latency, (a) codec + verification alone and (b) through the driver (PalmScanner) fed by the
 * emulator over the transport interface. Figures go to docs/benchmarks.md (## palm-hid).
 */
import os from 'node:os';
import { CMD, PT1_TEMPLATE_DIMS } from '../../common/palm-hid/constants';
import { frameMessage, ReportAssembler } from '../../common/palm-hid/framing';
import { encodeCaptureResultBody } from '../../common/palm-hid/messages';
import {
  generateAttestationKey,
  importAttestationKey,
  randomBytes,
  signCapture,
  verifyCapture,
} from '../../common/palm-hid/verify';
import { createPopulation } from '../../common/palm/population';
import { PalmScannerEmulator } from '../../native/palm/emulator';
import { MemoryKeyPinStore } from '../../native/palm/key-store';
import { PalmScanner } from '../../native/palm/scanner';
import type { HidBackend } from '../../native/palm/transport';

const quick = process.argv.includes('--quick');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

async function codecThroughput(): Promise<void> {
  // A realistic mix per capture: accepted status, 5 events, 8 keepalives, one 602-byte result.
  const cid = 0x0a1b2c3d;
  const result = frameMessage(cid, CMD.CAPTURE_RESULT, randomBytes(602));
  const small = [
    frameMessage(cid, CMD.CAPTURE, Uint8Array.of(0)),
    ...Array.from({ length: 5 }, (_, i) => frameMessage(cid, CMD.EVENT, Uint8Array.of(i + 1, 2))),
    ...Array.from({ length: 8 }, () => frameMessage(cid, CMD.KEEPALIVE, Uint8Array.of(1))),
  ].flat();
  const mix = [...small, ...result];
  const big = frameMessage(cid, CMD.PING, randomBytes(7609));
  for (const [label, stream] of [
    ['capture mix (14 small + 11-report result)', mix],
    ['7609-byte messages (129 reports each)', big],
  ] as const) {
    const a = new ReportAssembler();
    const ms = quick ? 300 : 2000;
    let n = 0;
    let msgs = 0;
    const t0 = performance.now();
    let t = 0;
    while (performance.now() - t0 < ms) {
      for (let k = 0; k < 200; k++) {
        for (const r of stream) msgs += a.push(r, t).length;
        n += stream.length;
        t += 1;
      }
    }
    const s = (performance.now() - t0) / 1000;
    // Peer, same run: the least any receiver must do — copy each report's 59 payload bytes into
    // a message buffer — so the ratio shows what framing checks and per-channel state cost.
    const sink = new Uint8Array(7609);
    let pn = 0;
    let off = 0;
    const p0 = performance.now();
    while (performance.now() - p0 < ms) {
      for (let k = 0; k < 200; k++) {
        for (const r of stream) {
          if (off + 59 > sink.length) off = 0;
          sink.set(r.subarray(5, 64), off);
          off += 59;
        }
        pn += stream.length;
      }
    }
    const ps = (performance.now() - p0) / 1000;
    console.log(
      `codec assemble, ${label}: ${Math.round(n / s).toLocaleString('en')} reports/s (${Math.round(msgs / s).toLocaleString('en')} messages/s); ` +
        `peer (bare copy): ${Math.round(pn / ps).toLocaleString('en')} reports/s; codec/peer ${(n / s / (pn / ps)).toFixed(2)}×`,
    );
  }
  const payload = randomBytes(602);
  const t0 = performance.now();
  let frames = 0;
  while (performance.now() - t0 < (quick ? 300 : 1000)) {
    for (let k = 0; k < 1000; k++) frames += frameMessage(cid, CMD.CAPTURE_RESULT, payload).length;
  }
  console.log(
    `codec frame, 602-byte results: ${Math.round(frames / ((performance.now() - t0) / 1000)).toLocaleString('en')} reports/s`,
  );
}

async function codecLatency(): Promise<void> {
  const { keyPair, publicKey } = await generateAttestationKey();
  const key = await importAttestationKey(publicKey);
  const pop = createPopulation({ seed: 3 });
  const N = quick ? 100 : 1000;
  const lat: number[] = [];
  const verifyOnly: number[] = [];
  for (let i = 0; i < N; i++) {
    const hostNonce = randomBytes(16);
    const body = encodeCaptureResultBody({
      format: 1,
      hand: 'right',
      quality: 90,
      liveness: 95,
      counter: i + 1,
      dims: PT1_TEMPLATE_DIMS,
      template: pop.capture(i, 90, 1),
      hostNonce,
    });
    const payload = new Uint8Array([...body, ...(await signCapture(keyPair.privateKey, body))]);
    const reports = frameMessage(0x0a1b2c3d, CMD.CAPTURE_RESULT, payload);
    const a = new ReportAssembler();
    for (const r of reports.slice(0, -1)) a.push(r, 0);
    const t0 = performance.now();
    const [m] = a.push(reports.at(-1)!, 1);
    if (m?.type !== 'message') throw new Error('no message');
    const v = await verifyCapture({
      payload: m.payload,
      publicKey: key,
      hostNonce,
      lastCounter: i,
    });
    lat.push(performance.now() - t0);
    if (v.verdict !== 'accept') throw new Error(v.verdict);
    // Peer, same run: Web Crypto's ECDSA verify of the same signature alone.
    const sig = payload.slice(body.length);
    const signed = payload.slice(0, body.length);
    const v0 = performance.now();
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, sig, signed);
    verifyOnly.push(performance.now() - v0);
    if (!ok) throw new Error('peer verify failed');
  }
  console.log(
    `latency, codec + ECDSA verify (n=${N}): p50 ${fmt(pct(lat, 0.5))}, p95 ${fmt(pct(lat, 0.95))}; ` +
      `peer (crypto.subtle.verify alone): p50 ${fmt(pct(verifyOnly, 0.5))}; ratio ${(pct(lat, 0.5) / pct(verifyOnly, 0.5)).toFixed(2)}×`,
  );
}

async function driverLatency(): Promise<void> {
  const emulator = await PalmScannerEmulator.create({ hoverMs: 0, responseDelayMs: 0 });
  // Timestamp every report where node-hid's 'data' event would deliver it.
  let lastReportAt = 0;
  const backend: HidBackend = {
    list: () => emulator.backend.list(),
    open: async (p) => {
      const t = await emulator.backend.open(p);
      t.onReport(() => (lastReportAt = performance.now()));
      return t;
    },
  };
  const scanner = new PalmScanner({
    backend,
    keyStore: new MemoryKeyPinStore(),
    autoApprove: () => true,
  });
  await scanner.start();
  const N = quick ? 50 : 300;
  const lat: number[] = [];
  for (let i = 0; i < N; i++) {
    emulator.presentPalm({ identity: i, quality: 90, liveness: 95 });
    await scanner.capture({ mode: 'identify', timeoutMs: 2000 });
    lat.push(performance.now() - lastReportAt);
  }
  await scanner.stop();
  emulator.dispose();
  console.log(
    `latency, driver (session + pin lookup + verify) from the emulator (n=${N}): p50 ${fmt(pct(lat, 0.5))}, p95 ${fmt(pct(lat, 0.95))}`,
  );
}

console.log(
  `palm-hid bench — ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
await codecThroughput();
await codecLatency();
await driverLatency();
