import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { applyTerminalFuses, TERMINAL_FUSES } from './fuses';

const dir = mkdtempSync(path.join(tmpdir(), 'fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Electron marks its fuse wire with this sentinel, then a version byte, a length byte and one
// ASCII '0'/'1' per fuse (electron/electron docs/tutorial/fuses.md).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_COUNT = 9;

/** A stand-in binary: filler, the fuse wire as Electron ships it (every fuse on), filler. */
function fakeBinary(name: string, fuses = FUSE_COUNT): { file: string; wireAt: number } {
  const head = Buffer.alloc(4096, 0xcc);
  const wire = Buffer.concat([
    Buffer.from(SENTINEL),
    Buffer.from([1, fuses]),
    Buffer.alloc(fuses, 0x31),
  ]);
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat([head, wire, Buffer.alloc(4096, 0xcc)]));
  return { file, wireAt: head.length + SENTINEL.length + 2 };
}

describe('Electron fuses', () => {
  it('declares the hardening set, with every fuse decided', () => {
    expect(TERMINAL_FUSES).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    expect(known).toHaveLength(FUSE_COUNT);
    for (const fuse of known) expect(typeof TERMINAL_FUSES[fuse as FuseV1Options]).toBe('boolean');
  });

  it('writes them into a binary and reads them back', async () => {
    const bin = fakeBinary('electron');
    await applyTerminalFuses(bin.file);
    const wire = readFileSync(bin.file)
      .subarray(bin.wireAt, bin.wireAt + FUSE_COUNT)
      .toString();
    // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot,
    // FileProtocol, WasmTrapHandlers.
    expect(wire).toBe('010000001');
  });

  it('refuses a binary with a fuse nobody has decided (a newer Electron)', async () => {
    const bin = fakeBinary('electron-newer', FUSE_COUNT + 1);
    await expect(applyTerminalFuses(bin.file)).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('refuses a file that is not an Electron binary', async () => {
    const file = path.join(dir, 'not-electron');
    writeFileSync(file, 'hello');
    await expect(applyTerminalFuses(file)).rejects.toThrow(/sentinel/);
  });
});
