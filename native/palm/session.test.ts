import { describe, expect, it } from 'vitest';
import { fromHex } from '../../common/palm-hid/bytes';
import { BROADCAST_CID, CMD } from '../../common/palm-hid/constants';
import { frameMessage, ReportAssembler } from '../../common/palm-hid/framing';
import { encodeInitResponse } from '../../common/palm-hid/messages';
import { PalmHidSession } from './session';
import { Listeners, type HidTransport } from './transport';

/**
 * A scripted transport double (Ledger's record/replay idea): each host request is answered by
 * a function of the assembled request, so a session can meet devices the emulator would never be.
 */
class ScriptedTransport implements HidTransport {
  readonly path = 'scripted';
  readonly writes: Uint8Array[] = [];
  private readonly reports = new Listeners<[Uint8Array]>();
  private readonly closes = new Listeners<[Error | null]>();
  private readonly assembler = new ReportAssembler();
  constructor(
    private readonly answer: (cid: number, cmd: number, payload: Uint8Array) => Uint8Array[][],
  ) {}
  async write(r: Uint8Array): Promise<void> {
    this.writes.push(r);
    for (const e of this.assembler.push(r, 0)) {
      if (e.type !== 'message') continue;
      const out = this.answer(e.cid, e.cmd, e.payload);
      setTimeout(() => out.flat().forEach((x) => this.reports.emit(x)), 1);
    }
  }
  onReport(l: (r: Uint8Array) => void) {
    return this.reports.add(l);
  }
  onClose(l: (e: Error | null) => void) {
    return this.closes.add(l);
  }
  async close() {
    this.closes.emit(null);
  }
}

const initAnswer = (nonce: Uint8Array, cid: number, version = 1) =>
  frameMessage(
    BROADCAST_CID,
    CMD.INIT,
    encodeInitResponse({ nonce, cid, version, firmware: [1, 2, 3], capabilities: 7 }),
  );

describe('PalmHidSession handshake', () => {
  it('writes INIT as 65-byte reports with the report-ID byte, on the broadcast channel', async () => {
    const t = new ScriptedTransport((_cid, _cmd, p) => [initAnswer(p, 0x01020304)]);
    const s = await PalmHidSession.open(t);
    expect(t.writes[0]!.length).toBe(65);
    expect(t.writes[0]![0]).toBe(0);
    expect(Array.from(t.writes[0]!.subarray(1, 6))).toEqual([0xff, 0xff, 0xff, 0xff, 0x86]);
    expect(s.channel).toBe(0x01020304);
    expect(s.init.firmware).toEqual([1, 2, 3]);
  });

  it('ignores another host’s INIT answer and takes the one echoing our nonce', async () => {
    const t = new ScriptedTransport((_cid, _cmd, p) => [
      initAnswer(fromHex('0011223344556677'), 0x0badcafe),
      initAnswer(p, 0x0a0b0c0d),
    ]);
    const s = await PalmHidSession.open(t);
    expect(s.channel).toBe(0x0a0b0c0d);
    expect(s.stats.foreignChannel).toBe(1);
  });

  it('times out when only foreign INIT answers come', async () => {
    const t = new ScriptedTransport(() => [initAnswer(fromHex('0011223344556677'), 0x0badcafe)]);
    await expect(PalmHidSession.open(t, { requestTimeoutMs: 100 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('refuses an invalid channel or another protocol version', async () => {
    const zero = new ScriptedTransport((_c, _m, p) => [initAnswer(p, 0)]);
    await expect(PalmHidSession.open(zero)).rejects.toMatchObject({ code: 'PROTOCOL' });
    const v2 = new ScriptedTransport((_c, _m, p) => [initAnswer(p, 5, 2)]);
    await expect(PalmHidSession.open(v2)).rejects.toThrow(/palm-hid\/2/);
  });

  it('keeps a request alive across KEEPALIVEs and maps ERROR replies', async () => {
    const cid = 0x0a1b2c3d;
    const t = new ScriptedTransport((c, cmd, p) => {
      if (cmd === CMD.INIT) return [initAnswer(p, cid)];
      if (cmd === CMD.PING)
        return [frameMessage(c, CMD.KEEPALIVE, Uint8Array.of(2)), frameMessage(c, CMD.PING, p)];
      return [frameMessage(c, CMD.ERROR, Uint8Array.of(0x7f))];
    });
    const s = await PalmHidSession.open(t);
    await expect(s.ping(Uint8Array.of(9, 9))).resolves.toEqual(Uint8Array.of(9, 9));
    await expect(s.info()).rejects.toMatchObject({ code: 'OTHER' });
  });
});
