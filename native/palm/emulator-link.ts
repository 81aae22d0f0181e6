import { readU32 } from '../../common/palm-hid/bytes';
import {
  BROADCAST_CID,
  CMD,
  INVALID_CID,
  PROTOCOL_VERSION,
  REPORT_SIZE,
  type DeviceErrorName,
} from '../../common/palm-hid/constants';
import { frameMessage, ReportAssembler } from '../../common/palm-hid/framing';
import { encodeError, encodeInitResponse } from '../../common/palm-hid/messages';
import { randomBytes } from '../../common/palm-hid/verify';
import { EmulatorTransport } from './emulator-transport';
import type { EmulatorStats } from './emulator-types';

/** What the link needs from the device it carries (native/palm/emulator.ts). */
export interface LinkHooks {
  readonly stats: EmulatorStats;
  readonly now: () => number;
  readonly responseDelayMs: number;
  readonly messageTimeoutMs: number;
  readonly firmware: readonly [number, number, number];
  readonly capabilities: number;
  plugged(): boolean;
  /** False for a hung device: writes are taken and ignored. */
  responsive(): boolean;
  /** A whole request on an open channel (INIT is the link's own). */
  request(cid: number, cmd: number, payload: Uint8Array): void;
  /** INIT on an open channel resynchronises it: what was pending there is dropped. */
  resync(cid: number): void;
}

/**
 * The emulated device's link layer of palm-hid/1: 64-byte reports in through node-hid's 65-byte
 * writes, assembled into messages (with the receiver's timeout), channels opened by INIT, and
 * framed answers sent in order after the device's response delay to every open transport.
 */
export class DeviceLink {
  readonly transports = new Set<EmulatorTransport>();
  private readonly channels = new Set<number>();
  private readonly assembler: ReportAssembler;
  private assemblerTimer: ReturnType<typeof setTimeout> | null = null;
  private sendChain: Promise<void> = Promise.resolve();

  constructor(private readonly h: LinkHooks) {
    this.assembler = new ReportAssembler({ timeoutMs: h.messageTimeoutMs });
  }

  /** A host opening the device. */
  open(path: string): EmulatorTransport {
    const t = new EmulatorTransport(
      path,
      (r) => this.write(r),
      () => this.transports.delete(t),
    );
    this.transports.add(t);
    return t;
  }

  send(cid: number, cmd: number, payload: Uint8Array): void {
    this.sendReports(frameMessage(cid, cmd, payload));
  }

  sendError(cid: number, code: DeviceErrorName): void {
    this.h.stats.errorsSent[code] = (this.h.stats.errorsSent[code] ?? 0) + 1;
    this.send(cid, CMD.ERROR, encodeError(code));
  }

  /** Reports leave in order, after the device's response delay. */
  sendReports(reports: Uint8Array[]): void {
    this.sendChain = this.sendChain.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            if (this.h.plugged())
              for (const t of this.transports) for (const r of reports) t.deliver(r);
            resolve();
          }, this.h.responseDelayMs),
        ),
    );
  }

  /** Unplugged: channels and half-received messages are gone; open transports close or go silent. */
  unplug(silent: boolean): void {
    this.channels.clear();
    this.assembler.reset();
    for (const t of [...this.transports]) {
      if (silent) t.sever();
      else t.disconnect(new Error('device disconnected'));
    }
    this.transports.clear();
  }

  dispose(): void {
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    for (const t of [...this.transports]) t.disconnect(new Error('emulator disposed'));
    this.transports.clear();
  }

  private write(report: Uint8Array): void {
    if (!this.h.plugged()) throw new Error('device disconnected');
    // node-hid writes carry the report-ID byte first; the device sees the 64 bytes behind it.
    if (report.length !== REPORT_SIZE + 1 || report[0] !== 0) {
      this.h.stats.malformedWrites++;
      throw new Error(`a palm-hid write is 65 bytes starting 0x00 (got ${report.length} bytes)`);
    }
    if (!this.h.responsive()) return;
    const events = this.assembler.push(report.subarray(1), this.h.now());
    this.armAssemblerTimer();
    for (const e of events) {
      if (e.type === 'error') {
        if (e.cid !== null) this.sendError(e.cid, e.code === 'MALFORMED_REPORT' ? 'OTHER' : e.code);
      } else {
        this.h.stats.requests++;
        try {
          this.request(e.cid, e.cmd, e.payload);
        } catch {
          // A device never lets one bad request take it down: it answers OTHER and carries on.
          this.sendError(e.cid, 'OTHER');
        }
      }
    }
  }

  private armAssemblerTimer(): void {
    if (this.assemblerTimer) clearTimeout(this.assemblerTimer);
    this.assemblerTimer = null;
    const d = this.assembler.nextDeadline();
    if (d === null) return;
    this.assemblerTimer = setTimeout(
      () => {
        for (const e of this.assembler.expire(this.h.now()))
          if (e.type === 'error' && e.cid !== null)
            this.sendError(e.cid, e.code as DeviceErrorName);
        this.armAssemblerTimer();
      },
      Math.max(0, d - this.h.now()) + 1,
    );
  }

  private request(cid: number, cmd: number, p: Uint8Array): void {
    if (cmd === CMD.INIT) return this.init(cid, p);
    if (cid === BROADCAST_CID || cid === INVALID_CID || !this.channels.has(cid))
      return this.sendError(cid, 'INVALID_CHANNEL');
    this.h.request(cid, cmd, p);
  }

  private init(cid: number, nonce: Uint8Array): void {
    if (nonce.length !== 8) return this.sendError(cid, 'INVALID_LEN');
    let newCid = cid;
    if (cid === BROADCAST_CID) {
      do newCid = readU32(randomBytes(4), 0);
      while (newCid === BROADCAST_CID || newCid === INVALID_CID || this.channels.has(newCid));
      this.channels.add(newCid);
    } else if (!this.channels.has(cid)) {
      return this.sendError(cid, 'INVALID_CHANNEL');
    } else {
      this.h.resync(cid);
    }
    const [major, minor, build] = this.h.firmware;
    this.send(
      cid,
      CMD.INIT,
      encodeInitResponse({
        nonce,
        cid: newCid,
        version: PROTOCOL_VERSION,
        firmware: [major, minor, build],
        capabilities: this.h.capabilities,
      }),
    );
  }
}
