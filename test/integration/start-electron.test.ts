import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` on a fresh clone: node_modules/electron as `npm ci` leaves it (no binary, no
 * path.txt) and a network that does not deliver it. The project is rebuilt in a temp dir from
 * this one's script and package, with every other package linked from node_modules.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const realModules = path.join(ROOT, 'node_modules');
const project = mkdtempSync(path.join(tmpdir(), 'fresh-clone-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function freshClone(): void {
  mkdirSync(path.join(project, 'scripts'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(project, 'package.json'));
  copyFileSync(
    path.join(ROOT, 'scripts/start-electron.mjs'),
    path.join(project, 'scripts/start-electron.mjs'),
  );
  const modules = path.join(project, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(realModules)) {
    if (name === 'electron' || name === '.bin') continue;
    symlinkSync(path.join(realModules, name), path.join(modules, name));
  }
  // Electron's package files only: what the registry tarball holds.
  const electron = path.join(modules, 'electron');
  mkdirSync(electron);
  for (const f of ['package.json', 'install.js', 'index.js', 'cli.js', 'checksums.json'])
    copyFileSync(path.join(realModules, 'electron', f), path.join(electron, f));
}

describe('npm start without an Electron binary', () => {
  it('says so in one line naming npm run start:browser, and exits non-zero within seconds', async () => {
    freshClone();
    const deadMirror = 'http://127.0.0.1:9/'; // nothing listens on the discard port
    const started = performance.now();
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(process.execPath, ['scripts/start-electron.mjs'], {
          cwd: project,
          env: {
            ...process.env,
            ELECTRON_MIRROR: deadMirror,
            npm_config_electron_mirror: deadMirror,
            electron_config_cache: path.join(project, '.electron-cache'),
            ELECTRON_OVERRIDE_DIST_PATH: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
        child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', (code) => {
          clearTimeout(killer);
          resolve({ code, stdout, stderr });
        });
      },
    );
    const seconds = (performance.now() - started) / 1000;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm start: Electron's binary could not be downloaded \(.+\)/);
    expect(lines[0]).toContain('`npm run start:browser`');
    expect(seconds).toBeLessThan(10);
    // It really tried Electron's own installer, which left no binary behind.
    expect(existsSync(path.join(project, 'node_modules/electron/path.txt'))).toBe(false);
  });
});
