#!/usr/bin/env node
// `npm start`: makes sure Electron's binary is there, then runs `electron-vite dev`.
//
// Electron (>= 42) fetches its binary on first use rather than on install, and electron-vite
// reads node_modules/electron/path.txt before anything has fetched it, so a fresh clone would
// stop with "Error: Electron uninstall". This runs Electron's own installer first; where the
// binary cannot be downloaded it says so in one line and points at browser mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const DOWNLOAD_LIMIT_MS = 10 * 60_000; // a stalled network must not hang `npm start` for ever

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

/** Where node_modules/electron expects its binary, or null when it is not there. */
function installedBinary(electronDir) {
  const pathTxt = join(electronDir, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const rel = readFileSync(pathTxt, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  const binary = join(dist, rel);
  return existsSync(binary) ? binary : null;
}

/** Runs Electron's installer quietly; resolves with null on success, else the reason. */
function install(electronDir) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill();
      stderr = `no download after ${DOWNLOAD_LIMIT_MS / 60_000} minutes`;
    }, DOWNLOAD_LIMIT_MS);
    child.once('error', (e) => resolve(e.message));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve(null);
      const first = stderr.split('\n').find((l) => l.trim()) ?? `installer exited ${code}`;
      resolve(first.trim().slice(0, 160));
    });
  });
}

let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  fail(
    'npm start: the electron package is not installed (run `npm ci`), or use `npm run start:browser`.',
  );
}

if (!installedBinary(electronDir)) {
  const tty = process.stderr.isTTY;
  if (tty) process.stderr.write("Fetching Electron's binary (first run, about 100 MB)…");
  const reason = await install(electronDir);
  if (tty) process.stderr.write('\r\x1b[K');
  if (reason !== null || !installedBinary(electronDir)) {
    fail(
      `npm start: Electron's binary could not be downloaded (${reason ?? 'installer left no binary'}); run \`npm run start:browser\` for the terminal in a browser instead.`,
    );
  }
}

const electronVite = join(
  dirname(require.resolve('electron-vite/package.json')),
  'bin',
  'electron-vite.js',
);
const dev = spawn(process.execPath, [electronVite, 'dev', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
dev.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
