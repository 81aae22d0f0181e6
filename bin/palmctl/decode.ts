import { byteHex, cidHex, fromHex, toHex } from '../../common/palm-hid/bytes';
import { commandName } from '../../common/palm-hid/constants';
import { ReportAssembler } from '../../common/palm-hid/framing';
import { describeFields, type JsonValue } from '../../common/palm-hid/messages';

/**
 * `palmctl decode`: a report log in, one JSON object per line out, in the order a receiver
 * reports them. Log format: one report a line, `<ms> <hex>`; `#` starts a comment line; blank
 * lines are skipped.
 */

export class LogSyntaxError extends Error {}

export interface LogReport {
  readonly t: number;
  readonly data: Uint8Array;
}

export function parseReportLog(text: string, source = 'input'): LogReport[] {
  const out: LogReport[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\d+(?:\.\d+)?)\s+([0-9a-fA-F]*)$/.exec(line);
    if (!m)
      throw new LogSyntaxError(
        `${source}:${i + 1}: expected “<ms> <hex>”, got “${line.slice(0, 60)}”`,
      );
    if (m[2]!.length % 2 !== 0)
      throw new LogSyntaxError(`${source}:${i + 1}: the hex has an odd number of digits`);
    out.push({ t: Number(m[1]), data: fromHex(m[2]!) });
  });
  return out;
}

export type DecodeRecord =
  | {
      type: 'message';
      cid: string;
      cmd: string;
      name: string;
      payload: string;
      fields: Record<string, JsonValue>;
    }
  | { type: 'error'; cid: string | null; code: string };

/** Runs the reports through a fresh receiver. */
export function decodeReports(reports: readonly LogReport[]): DecodeRecord[] {
  const a = new ReportAssembler();
  const out: DecodeRecord[] = [];
  for (const r of reports) {
    for (const e of a.push(r.data, r.t)) {
      if (e.type === 'error')
        out.push({ type: 'error', cid: e.cid === null ? null : cidHex(e.cid), code: e.code });
      else {
        out.push({
          type: 'message',
          cid: cidHex(e.cid),
          cmd: byteHex(e.cmd),
          name: commandName(e.cmd) ?? 'UNKNOWN',
          payload: toHex(e.payload),
          fields: describeFields(e.cmd, e.payload),
        });
      }
    }
  }
  return out;
}
