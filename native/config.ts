/**
 * Host configuration from the environment (documented in the README). Every value is optional:
 * with nothing set, every device is emulated and the terminal still sells.
 */
export interface HostConfig {
  /** A production launch: no emulator controls, no demo store, a real store cloud. */
  production: boolean;
  terminalId: string | null;
  kiosk: boolean;
  /** LANE_TYPE=self: a self-checkout kiosk (the shopper's view); attended otherwise. */
  laneType: 'attended' | 'self';
  emulatorControls: boolean;
  cloudUrl: string | null;
  /** Provisioning code for CLOUD_URL (the embedded cloud issues its own). */
  provisioningCode: string | null;
  /** The embedded cloud, when CLOUD_URL is not set: port, data directory, or off. */
  embeddedCloud: { port: number; dataDir: string } | null;
  port: number;
  /** Fixed browser-mode token (kiosk launchers and tests); a random one per launch otherwise. */
  hostToken: string | null;
  emulator: {
    cardPresentTimeoutMs?: number;
    cardProcessingMs?: number;
    drawerLeftOpenAfterMs?: number;
    deviceAckTimeoutMs?: number;
    printerLogPath?: string;
  };
}

export class ConfigError extends Error {}

function intFrom(
  env: Record<string, string | undefined>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${key} must be a whole number from ${min} to ${max} (got “${raw}”)`);
  }
  return n;
}

function flag(env: Record<string, string | undefined>, key: string): boolean {
  const v = env[key];
  return v === '1' || v === 'true' || v === 'yes';
}

/**
 * A production browser-mode launch refuses what only a demo may have: emulator controls, the
 * embedded demo store (and its demo shoppers and lane auto-approval), and an emulated palm
 * scanner, whose key the host trusts without a manager. Each refusal is one line.
 */
export function refuseDemoSettings(env: Record<string, string | undefined>): void {
  if (env.EMULATOR_CONTROLS?.trim())
    throw new ConfigError(
      'EMULATOR_CONTROLS is a demo setting: a production terminal has no emulator controls (unset it).',
    );
  for (const key of ['DEMO_SHOPPERS', 'DEMO_SHOPPERS_ENROL'])
    if (env[key]?.trim())
      throw new ConfigError(
        `${key} is a demo setting: production starts no demo store (unset it).`,
      );
  if (env.PALM_SCANNER?.trim().toLowerCase() === 'emulator')
    throw new ConfigError(
      'PALM_SCANNER=emulator is a demo setting: an emulated scanner is trusted without a manager; use hid (the production default) or none.',
    );
  const cloudUrl = env.CLOUD_URL?.trim();
  if (!cloudUrl)
    throw new ConfigError(
      "CLOUD_URL is required in production: the store's cloud (the embedded demo cloud is not started).",
    );
  const url = URL.parse(cloudUrl);
  const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new ConfigError(
      `CLOUD_URL must be https:// in production (plain http only to this machine), got “${cloudUrl}”.`,
    );
}

export function loadHostConfig(
  env: Record<string, string | undefined>,
  options: { production?: boolean } = {},
): HostConfig {
  const production = options.production ?? false;
  if (production) refuseDemoSettings(env);
  const terminalId = env.TERMINAL_ID?.trim() || null;
  if (terminalId && !/^[A-Za-z0-9_-]{1,32}$/.test(terminalId)) {
    throw new ConfigError(
      'TERMINAL_ID may hold only letters, digits, - and _, at most 32 characters',
    );
  }
  const cloudUrl = env.CLOUD_URL?.trim() || null;
  if (cloudUrl) {
    try {
      new URL(cloudUrl);
    } catch {
      throw new ConfigError(`CLOUD_URL is not a URL: “${cloudUrl}”`);
    }
  }
  const hostToken = env.HOST_TOKEN?.trim() || null;
  if (hostToken && !/^[A-Za-z0-9_-]{16,128}$/.test(hostToken)) {
    throw new ConfigError(
      'HOST_TOKEN must be 16–128 URL-safe characters (letters, digits, - and _)',
    );
  }
  const provisioningCode = env.PROVISIONING_CODE?.trim() || null;
  const laneType = env.LANE_TYPE?.trim() || 'attended';
  if (laneType !== 'attended' && laneType !== 'self')
    throw new ConfigError(`LANE_TYPE must be attended or self, not “${laneType}”`);
  const cloudPort = intFrom(env, 'CLOUD_PORT', 1, 65535) ?? 8787;
  const embeddedCloud =
    cloudUrl || production || flag(env, 'NO_CLOUD')
      ? null
      : { port: cloudPort, dataDir: env.CLOUD_DATA_DIR?.trim() || '.cloud-data' };
  return {
    production,
    terminalId,
    hostToken,
    provisioningCode,
    embeddedCloud,
    kiosk: flag(env, 'KIOSK'),
    laneType,
    emulatorControls: flag(env, 'EMULATOR_CONTROLS'),
    cloudUrl,
    port: intFrom(env, 'PORT', 1, 65535) ?? 5174,
    emulator: {
      cardPresentTimeoutMs: intFrom(env, 'CARD_PRESENT_TIMEOUT_MS', 1_000, 600_000),
      cardProcessingMs: intFrom(env, 'CARD_PROCESSING_MS', 0, 60_000),
      drawerLeftOpenAfterMs: intFrom(env, 'DRAWER_LEFT_OPEN_MS', 1_000, 3_600_000),
      deviceAckTimeoutMs: intFrom(env, 'DEVICE_ACK_TIMEOUT_MS', 100, 120_000),
      printerLogPath: env.PRINTER_LOG?.trim() || undefined,
    },
  };
}
