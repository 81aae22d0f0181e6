import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

/**
 * The Electron binary's security fuses, declared once; `npm run fuses -- <electron binary>`
 * (scripts/apply-fuses.ts), the packaging step, writes them into the binary it ships and reads
 * them back. Every fuse is decided (strictlyRequireAllFuses), so an Electron upgrade that adds
 * one fails the packaging step until someone decides it.
 *
 * The app is shipped as a plain directory (resources/app), not an ASAR archive, so the two
 * ASAR fuses stay off: OnlyLoadAppFromAsar would refuse to start it, and integrity validation
 * needs an archive to hash. That leaves the app's files as protected as the install directory.
 */
export const TERMINAL_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the binary into a plain Node; the cloud runs in a utility process.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (the cloud dashboard's session, should one be opened in-app) encrypted at rest.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS could preload code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: false,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The page is served from app://terminal; file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // On by default; the matcher's WebAssembly runs faster with them.
  [FuseV1Options.WasmTrapHandlers]: true,
} as const;

/** The byte each fuse state has in the fuse wire ('0' off, '1' on). */
const WIRE = { off: 0x30, on: 0x31 } as const;

/** Writes TERMINAL_FUSES into an Electron binary, then reads them back; throws on a mismatch. */
export async function applyTerminalFuses(electronBinary: string): Promise<void> {
  await flipFuses(electronBinary, TERMINAL_FUSES);
  const wire = await getCurrentFuseWire(electronBinary);
  for (const [name, index] of Object.entries(FuseV1Options)) {
    if (typeof index !== 'number') continue;
    const want = TERMINAL_FUSES[index as FuseV1Options] ? WIRE.on : WIRE.off;
    if (wire[index as FuseV1Options] !== want)
      throw new Error(`fuse ${name} did not take in ${electronBinary}`);
  }
}
