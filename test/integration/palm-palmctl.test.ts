import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputOf, loadVectors, REPO_ROOT, type VectorCase } from '../palm/vectors';

/**
 * palmctl as a technician runs it: plain `node bin/palmctl.mjs …` in a child process, every
 * vector case through `decode` and every capture case through `verify`, from the vectors the
 * project carries (docs/palm-hid/vectors.json).
 */

const PALMCTL = path.join(REPO_ROOT, 'bin/palmctl.mjs');
const { cases } = loadVectors();
const dir = mkdtempSync(path.join(tmpdir(), 'palmctl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [PALMCTL, ...args], {
      cwd: tmpdir(),
      env: { ...process.env, PALM_SCANNER_KEYS: path.join(dir, 'keys.json') },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(stdin ?? '');
  });
}

function logOf(c: VectorCase): string {
  return (
    [`# ${c.name}: ${c.description}`, ...inputOf(c).map((r) => `${r.t} ${r.data}`)].join('\n') +
    '\n'
  );
}

function expectedRecords(c: VectorCase): { messages: unknown[]; errors: unknown[] } {
  return {
    messages: c.messages.map((m) => ({
      type: 'message',
      cid: m.cid,
      cmd: m.cmd,
      payload: m.payload,
    })),
    errors: c.errors.map((e) => ({ type: 'error', cid: e.cid, code: e.code })),
  };
}

type Rec = {
  type: string;
  cid?: string | null;
  cmd?: string;
  payload?: string;
  code?: string;
  name?: string;
  fields?: Record<string, unknown>;
  path?: string;
};

describe('palmctl decode', () => {
  it('decodes every vector case (one process, one file per case)', async () => {
    const files = cases.map((c) => {
      const f = path.join(dir, `${c.name}.log`);
      writeFileSync(f, logOf(c));
      return f;
    });
    const r = await run(['decode', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Rec);
    const byFile = new Map<string, Rec[]>();
    let current: Rec[] = [];
    for (const rec of records) {
      if (rec.type === 'file') byFile.set(rec.path!, (current = []));
      else current.push(rec);
    }
    cases.forEach((c, i) => {
      const got = byFile.get(files[i]!);
      expect(got, c.name).toBeDefined();
      const want = expectedRecords(c);
      const messages = got!.filter((x) => x.type === 'message');
      expect(
        messages.map(({ type, cid, cmd, payload }) => ({ type, cid, cmd, payload })),
        c.name,
      ).toEqual(want.messages);
      expect(
        got!.filter((x) => x.type === 'error'),
        c.name,
      ).toEqual(want.errors);
      for (const m of messages) {
        expect(m.name, c.name).toMatch(/^[A-Z_]+$/);
        expect(m.fields, c.name).not.toHaveProperty('error');
      }
    });
  });

  it('reads stdin, prints the spec’s record shapes, and interleaves errors in receive order', async () => {
    const c = cases.find((x) => x.name === 'capture-valid')!;
    const r = await run(['decode'], logOf(c));
    expect(r.code).toBe(0);
    const [rec] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Rec);
    expect(rec).toMatchObject({
      type: 'message',
      cid: '0x0a1b2c3d',
      cmd: '0xa1',
      name: 'CAPTURE_RESULT',
      fields: { counter: 1767, quality: 91, hand: 'right' },
    });
    const seq = cases.find((x) => x.name === 'seq-gap')!;
    const single = path.join(dir, 'single.log');
    writeFileSync(single, logOf(seq) + logOf(cases.find((x) => x.name === 'ping-1-bytes')!));
    const r2 = await run(['decode', single]);
    expect(
      r2.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Rec),
    ).toEqual([
      { type: 'error', cid: '0x0a1b2c3d', code: 'INVALID_SEQ' },
      {
        type: 'message',
        cid: '0x0a1b2c3d',
        cmd: '0x81',
        name: 'PING',
        payload: '97',
        fields: { length: 1 },
      },
    ]);
  });

  it('refuses a malformed log with a clear error and exit 2', async () => {
    const r = await run(['decode'], '0 0a1b2c3d81\nnot a report\n');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin:2: expected “<ms> <hex>”/);
    const odd = await run(['decode'], '0 abc\n');
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/odd number of digits/);
  });
});

describe('palmctl verify', () => {
  const captureCases = cases.filter((c) => c.capture);
  it('has the capture cases', () => expect(captureCases.length).toBeGreaterThanOrEqual(5));
  it('gives every capture case its verdict and exits 0 only on accept', async () => {
    const results = await Promise.all(
      captureCases.map((c) =>
        run([
          'verify',
          '--public-key',
          c.capture!.publicKey,
          '--nonce',
          c.capture!.hostNonce,
          '--last-counter',
          String(c.capture!.lastAcceptedCounter),
          c.messages[0]!.payload,
        ]),
      ),
    );
    captureCases.forEach((c, i) => {
      const r = results[i]!;
      expect(r.stdout.trim(), c.name).toBe(c.capture!.verdict);
      expect(r.code, c.name).toBe(c.capture!.verdict === 'accept' ? 0 : 1);
    });
  });
  it('refuses bad usage with exit 2', async () => {
    const c = captureCases[0]!;
    const missing = await run([
      'verify',
      '--nonce',
      c.capture!.hostNonce,
      '--last-counter',
      '1',
      c.messages[0]!.payload,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--public-key/);
    const short = await run([
      'verify',
      '--public-key',
      c.capture!.publicKey,
      '--nonce',
      'abcd',
      '--last-counter',
      '1',
      c.messages[0]!.payload,
    ]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/16 bytes/);
    const notCapture = await run([
      'verify',
      '--public-key',
      c.capture!.publicKey,
      '--nonce',
      c.capture!.hostNonce,
      '--last-counter',
      '1',
      '00ff',
    ]);
    expect(notCapture.code).toBe(2);
    expect(notCapture.stdout).toBe('');
  });
});

describe('palmctl device commands against the emulator', () => {
  it('info, ping and a verified capture', async () => {
    const [info, ping, capture, none] = await Promise.all([
      run(['info', '--emulator']),
      run(['ping', '--emulator', '--bytes', '500']),
      run(['capture', '--emulator', '--identity', '4', '--quality', '50', '--liveness', '90']),
      run(['devices']),
    ]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      kind: 'emulator',
      protocolVersion: 1,
      dims: 512,
      serial: 'EMU-PALMCTL',
    });
    expect(ping.stdout).toMatch(/^pong from emulator:EMU-PALMCTL: 500 bytes in/);
    expect(capture.code).toBe(0);
    expect(JSON.parse(capture.stdout)).toMatchObject({
      verdict: 'accept',
      quality: 50,
      liveness: 90,
      counter: 1,
    });
    expect(capture.stderr).toMatch(/MOVE_CLOSER/);
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toBe('No palm scanners found.');
  });
  it('reports a failed capture with exit 1', async () => {
    const r = await run(['capture', '--emulator', '--liveness', '10']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LIVENESS_FAILED/);
  });
});
