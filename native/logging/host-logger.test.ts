import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostLog, hostLogSetup } from './host-logger';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function logDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'host-log-'));
  dirs.push(d);
  return d;
}

async function readAll(dir: string): Promise<{ files: string[]; text: string }> {
  const files = (await readdir(dir)).sort();
  const text = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('');
  return { files, text };
}

describe('the host log', () => {
  it('writes JSON lines to a rotating file with people’s data and secrets redacted', async () => {
    const dir = await logDir();
    const log = await createHostLog({ dir, level: 'debug' });
    log.logger.info(
      {
        method: 'emulator.presentCard',
        args: { pan: '4000000000000002' },
        document: { blocks: [{ kind: 'text', text: 'Loyalty LOY-778899' }] },
        provisioningCode: 'K7QM-2D9X-PLW4',
        token: 'e2e-token-0123456789abcdef',
      },
      'a call',
    );
    log.logger.warn({ code: 'PAPER_OUT' }, 'card 4000 0000 0000 0002 for ana@example.com declined');
    await log.close();
    await new Promise((r) => setTimeout(r, 100));
    const { files, text } = await readAll(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^host\.\d+\.log$/);
    for (const secret of [
      '4000000000000002',
      '4000 0000',
      'LOY-778899',
      'K7QM',
      '0123456789abcdef',
      'ana@',
    ])
      expect(text).not.toContain(secret);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      msg: 'a call',
      method: 'emulator.presentCard',
      args: '[redacted]',
    });
    expect(lines[1]).toMatchObject({ level: 40, code: 'PAPER_OUT' });
    expect(log.recentProblems()).toEqual([
      expect.objectContaining({
        level: 'warn',
        code: 'PAPER_OUT',
        msg: expect.stringContaining('[digits]'),
      }),
    ]);
  });

  it('rolls over to a new file when one grows past its size', async () => {
    const dir = await logDir();
    const log = await createHostLog({ dir, level: 'info', rollSize: '1k' });
    for (let i = 0; i < 40; i++) log.logger.info({ i }, 'x'.repeat(80));
    await new Promise((r) => setTimeout(r, 300));
    await log.close();
    const { files } = await readAll(dir);
    expect(files.length).toBeGreaterThan(1);
  });

  it('reads its folder and level from the environment and refuses a bad level', () => {
    expect(hostLogSetup({}, '/data/logs')).toEqual({ dir: '/data/logs', level: 'info' });
    expect(hostLogSetup({ HOST_LOG_DIR: '/var/log/lane', HOST_LOG_LEVEL: 'debug' }, '/d')).toEqual({
      dir: '/var/log/lane',
      level: 'debug',
    });
    expect(hostLogSetup({ HOST_LOG: 'off' }, '/d').dir).toBeNull();
    expect(() => hostLogSetup({ HOST_LOG_LEVEL: 'loud' }, '/d')).toThrow(/HOST_LOG_LEVEL/);
  });
});
