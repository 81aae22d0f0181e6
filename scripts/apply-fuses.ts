import { existsSync } from 'node:fs';
import { applyTerminalFuses } from '../electron/main/fuses';

/**
 * `npm run fuses -- <path to the Electron binary you ship>`: the packaging step's fuse pass
 * (electron/main/fuses.ts). Run it on the packaged copy, never on node_modules/electron.
 */
const binary = process.argv[2];
if (!binary || !existsSync(binary)) {
  console.error(
    `Usage: npm run fuses -- <Electron binary of the packaged app>${binary ? ` (no file at ${binary})` : ''}`,
  );
  process.exit(2);
}
try {
  await applyTerminalFuses(binary);
  console.log(
    `Fuses set in ${binary}: RunAsNode, NODE_OPTIONS and --inspect off; cookie encryption on.`,
  );
} catch (e) {
  console.error(
    `Could not set the fuses in ${binary}: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
}
