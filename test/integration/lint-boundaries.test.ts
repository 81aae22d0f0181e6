import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The design brief's import rules are ESLint errors. Each case lints a one-line file as if it
 * sat in a given folder and expects the boundary rule to fire (or not).
 */
const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '../..') });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .filter((m) => m.severity === 2)
    .map((m) => m.message);
}

describe('import boundaries (ESLint errors)', () => {
  it.each([
    ['common/x.ts', "import { x } from '../native/host/dispatch';"],
    ['common/x.ts', "import { readFile } from 'node:fs';"],
    ['common/x.ts', "import Dexie from 'dexie';"],
    ['common/x.ts', 'export const w = window.innerWidth;'],
    ['common/x.ts', 'export const e = process.env;'],
    ['native/x.ts', "import { App } from '../renderer/src/App';"],
    ['native/x.ts', "import { app } from 'electron';"],
    ['renderer/src/x.ts', "import { dispatchHostCall } from '../../native/host/dispatch';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['electron/preload/x.ts', "import { dispatchHostCall } from '../../native/host/dispatch';"],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App';"],
    ['cloud/x.ts', "import { terminalDb } from '../renderer/src/db/database';"],
    ['wasm/loader/x.ts', "import { x } from '../../native/config';"],
    ['renderer/src/matcher/x.ts', "import { loadIdentity } from '../sync/identity';"],
    ['renderer/src/sync/x.ts', "import { MatcherClient } from '../matcher/client';"],
    ['renderer/src/sync/x.ts', "import { ipcRenderer } from 'electron';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).not.toEqual([]);
  });

  it.each([
    ['common/x.ts', "import { money } from './money';"],
    [
      'native/x.ts',
      "import { money } from '../common/money';\nimport { readFile } from 'node:fs';",
    ],
    [
      'electron/main/x.ts',
      "import { loadHostConfig } from '../../native/config';\nimport { app } from 'electron';",
    ],
    [
      'electron/preload/x.ts',
      "import { contextBridge } from 'electron';\nimport { createHostProxy } from '../../common/host/proxy';",
    ],
    [
      'renderer/src/x.ts',
      "import { money } from '../../common/money';\nimport Dexie from 'dexie';",
    ],
    [
      'renderer/src/matcher/x.ts',
      "import { ShardDatabase } from '../shard/shard-db';\nimport { x } from './client';",
    ],
    ['renderer/src/sync/x.ts', "import { SHARD_FEED_KEY } from '../shard/feed';"],
  ])('%s may: %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
