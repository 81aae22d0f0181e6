import { describe, expect, it } from 'vitest';
import { inputOf, loadVectors, type VectorCase } from '../../test/palm/vectors';
import { byteHex, cidHex, fromHex, toHex } from './bytes';
import { CMD, MAX_PAYLOAD, REPORT_SIZE } from './constants';
import { frameMessage, ReportAssembler, withReportId, type ReceiveEvent } from './framing';
import {
  decodeCaptureRequest,
  decodeError,
  decodeEvent,
  decodeInfoResponse,
  decodeInitResponse,
  decodeKeepalive,
  describeFields,
  encodeCaptureRequest,
  encodeCaptureResultBody,
  encodeInfoResponse,
  encodeInitResponse,
} from './messages';
import { generateAttestationKey, signCapture, verifyCapture } from './verify';

const { cases } = loadVectors();
const byName = (n: string): VectorCase => {
  const c = cases.find((x) => x.name === n);
  if (!c) throw new Error(`vector ${n} missing`);
  return c;
};

function receive(c: VectorCase): ReceiveEvent[] {
  const a = new ReportAssembler();
  return inputOf(c).flatMap((r) => a.push(fromHex(r.data), r.t));
}

describe('palm-hid vectors through the assembler', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const events = receive(c);
    const messages = events.flatMap((e) =>
      e.type === 'message'
        ? [{ cid: cidHex(e.cid), cmd: byteHex(e.cmd), payload: toHex(e.payload) }]
        : [],
    );
    const errors = events.flatMap((e) =>
      e.type === 'error' ? [{ cid: e.cid === null ? null : cidHex(e.cid), code: e.code }] : [],
    );
    expect(messages).toEqual(c.messages);
    expect(errors).toEqual(c.errors);
  });
});

describe('palm-hid vectors through the framer', () => {
  // Every single-message case whose reports are one whole message in order: framing the
  // expected message must give those reports byte for byte, except padding, which a sender
  // writes as zero and a vector may fill with anything (padding-ignored).
  const whole = cases.filter((c) => {
    if (c.messages.length !== 1 || c.errors.length !== 0) return false;
    const len = c.messages[0]!.payload.length / 2;
    return inputOf(c).length === 1 + Math.max(0, Math.ceil((len - 57) / 59));
  });
  it.each(whole.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = c.messages[0]!;
    const payloadLen = m.payload.length / 2;
    const framed = frameMessage(Number(m.cid), Number(m.cmd), fromHex(m.payload));
    const input = inputOf(c).map((r) => fromHex(r.data));
    const prefixed = input[0]!.length === REPORT_SIZE + 1;
    framed.forEach((report, i) => {
      const got = prefixed ? withReportId(report) : report;
      const want = input[i]!;
      const off = prefixed ? 1 : 0;
      const dataEnd =
        off +
        (i === 0 ? 7 + Math.min(payloadLen, 57) : 5 + Math.min(59, payloadLen - 57 - (i - 1) * 59));
      expect(got.length).toBe(want.length);
      expect(toHex(got.subarray(0, dataEnd))).toBe(toHex(want.subarray(0, dataEnd)));
      expect(got.subarray(dataEnd).every((b) => b === 0)).toBe(true);
    });
  });
  it('covers the write-side case, padding and the large messages', () => {
    const names = whole.map((c) => c.name);
    for (const n of [
      'capture-request',
      'ping-7609-bytes',
      'capture-valid',
      'padding-ignored',
      'report-id-prefixed',
    ])
      expect(names).toContain(n);
  });
});

describe('typed decoders on the vectors', () => {
  it('INIT response', () => {
    const c = byName('init-response');
    const r = decodeInitResponse(fromHex(c.messages[0]!.payload));
    expect({
      nonce: toHex(r.nonce),
      cid: r.cid,
      version: r.version,
      firmware: [...r.firmware],
      capabilities: r.capabilities,
    }).toEqual(c.init);
    expect(toHex(encodeInitResponse(r))).toBe(c.messages[0]!.payload);
  });
  it('INFO response', () => {
    const c = byName('info-response');
    const r = decodeInfoResponse(fromHex(c.messages[0]!.payload));
    expect({ ...r, publicKey: toHex(r.publicKey) }).toEqual(c.info);
    expect(toHex(encodeInfoResponse(r))).toBe(c.messages[0]!.payload);
  });
  it('CAPTURE request', () => {
    const c = byName('capture-request');
    const r = decodeCaptureRequest(fromHex(c.messages[0]!.payload));
    expect(r.mode).toBe('identify');
    expect(r.timeoutMs).toBe(8000);
    expect(toHex(encodeCaptureRequest(r))).toBe(c.messages[0]!.payload);
  });
  it('EVENT, KEEPALIVE and ERROR', () => {
    expect(decodeEvent(fromHex(byName('event-move-closer').messages[0]!.payload))).toEqual({
      code: 2,
      event: 'MOVE_CLOSER',
      hand: 'right',
    });
    expect(decodeKeepalive(fromHex(byName('keepalive-waiting').messages[0]!.payload))).toBe(
      'waiting',
    );
    expect(decodeError(fromHex(byName('error-liveness').messages[0]!.payload))).toEqual({
      code: 0x22,
      name: 'LIVENESS_FAILED',
    });
  });
  it('describes every vector message without an error field', () => {
    for (const c of cases) {
      for (const m of c.messages) {
        const f = describeFields(Number(m.cmd), fromHex(m.payload));
        expect(f, `${c.name}`).not.toHaveProperty('error');
      }
    }
  });
});

describe('capture verification on the vectors', () => {
  const captureCases = cases.filter((c) => c.capture);
  it('has the five capture cases', () => expect(captureCases.length).toBeGreaterThanOrEqual(5));
  it.each(captureCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cap = c.capture!;
    const { verdict, result } = await verifyCapture({
      payload: fromHex(c.messages[0]!.payload),
      publicKey: fromHex(cap.publicKey),
      hostNonce: fromHex(cap.hostNonce),
      lastCounter: cap.lastAcceptedCounter,
    });
    expect(verdict).toBe(cap.verdict);
    const handByte = { unknown: 0, left: 1, right: 2 }[result.hand];
    expect({
      format: result.format,
      hand: handByte,
      quality: result.quality,
      liveness: result.liveness,
      counter: result.counter,
      dims: result.dims,
      template: toHex(
        new Uint8Array(result.template.buffer, result.template.byteOffset, result.dims),
      ),
    }).toEqual(cap.fields);
  });
});

describe('framing edge cases', () => {
  it('refuses payloads over 7609 bytes and CMD bytes without bit 7', () => {
    expect(frameMessage(1, CMD.PING, new Uint8Array(MAX_PAYLOAD)).length).toBe(129);
    expect(() => frameMessage(1, CMD.PING, new Uint8Array(MAX_PAYLOAD + 1))).toThrow(/exceeds/);
    expect(() => frameMessage(1, 0x01, new Uint8Array(0))).toThrow(/bit 7/);
  });
  it('treats a 65-byte report with a non-zero first byte as malformed', () => {
    const a = new ReportAssembler();
    const r = withReportId(frameMessage(1, CMD.PING, new Uint8Array(3))[0]!);
    r[0] = 1;
    expect(a.push(r, 0)).toEqual([{ type: 'error', cid: null, code: 'MALFORMED_REPORT' }]);
    expect(a.stats.malformed).toBe(1);
  });
  it('expires a partial message from a timer and reports its deadline', () => {
    const a = new ReportAssembler();
    a.push(frameMessage(7, CMD.PING, new Uint8Array(100))[0]!, 1000);
    expect(a.nextDeadline()).toBe(1500);
    expect(a.expire(1500)).toEqual([]);
    expect(a.expire(1501)).toEqual([{ type: 'error', cid: 7, code: 'MSG_TIMEOUT' }]);
    expect(a.pendingChannels).toBe(0);
  });
  it('bounds how many channels may be mid-message', () => {
    const a = new ReportAssembler({ maxChannels: 4 });
    for (let cid = 1; cid <= 10; cid++)
      a.push(frameMessage(cid, CMD.PING, new Uint8Array(100))[0]!, cid);
    expect(a.pendingChannels).toBe(4);
    expect(a.stats.evicted).toBe(6);
  });
});

describe('sign and verify round trip', () => {
  it('accepts its own signature and refuses a flipped byte', async () => {
    const { keyPair, publicKey } = await generateAttestationKey();
    const hostNonce = new Uint8Array(16).fill(9);
    const body = encodeCaptureResultBody({
      format: 1,
      hand: 'left',
      quality: 80,
      liveness: 90,
      counter: 5,
      dims: 4,
      template: Int8Array.from([1, -2, 3, -4]),
      hostNonce,
    });
    const payload = new Uint8Array([...body, ...(await signCapture(keyPair.privateKey, body))]);
    expect((await verifyCapture({ payload, publicKey, hostNonce, lastCounter: 4 })).verdict).toBe(
      'accept',
    );
    expect((await verifyCapture({ payload, publicKey, hostNonce, lastCounter: 5 })).verdict).toBe(
      'replay',
    );
    payload[11]! ^= 1;
    expect((await verifyCapture({ payload, publicKey, hostNonce, lastCounter: 0 })).verdict).toBe(
      'bad-signature',
    );
  });
  it('throws MALFORMED for a payload that is not a capture', async () => {
    const { publicKey } = await generateAttestationKey();
    await expect(
      verifyCapture({
        payload: new Uint8Array(20),
        publicKey,
        hostNonce: new Uint8Array(16),
        lastCounter: 0,
      }),
    ).rejects.toMatchObject({ code: 'MALFORMED' });
  });
});
