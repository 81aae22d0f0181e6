import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeReports, LogSyntaxError, parseReportLog } from './decode';
import {
  captureCommand,
  DeviceCommandError,
  devicesCommand,
  infoCommand,
  keyStore,
  pingCommand,
  type Target,
} from './device';
import { verifyCommand, VerifyUsageError } from './verify';

const USAGE = `palmctl — palm scanner tool (palm-hid/1)

  palmctl devices [--emulator] [--json]
  palmctl ping    [--device PATH] [--emulator] [--bytes N]
  palmctl info    [--device PATH] [--emulator]
  palmctl capture [--device PATH] [--emulator] [--mode identify|enroll] [--timeout MS]
                  [--identity N --quality Q --liveness L]   (emulator only) [--template]
  palmctl decode  [FILE...]          report log (“<ms> <hex>” lines, # comments); stdin if no FILE
  palmctl verify  --public-key HEX --nonce HEX --last-counter N PAYLOAD_HEX
  palmctl match   …                  (the matcher's command, when built in)

Exit status: 0 success; 1 a refusal (verify other than accept, device error); 2 bad usage or input.
Pinned keys: $PALM_SCANNER_KEYS (default ~/.config/palm-terminal/scanner-keys.json).`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(line + '\n');

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'decode':
        return await decode(rest);
      case 'verify':
        return await verify(rest);
      case 'devices':
      case 'ping':
      case 'info':
      case 'capture':
        return await device(cmd, rest);
      case 'match':
        return await match(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command “${cmd}”`);
    }
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof VerifyUsageError ||
      e instanceof LogSyntaxError ||
      isParseArgsError(e)
    ) {
      process.stderr.write(`palmctl: ${(e as Error).message}\n`);
      if (e instanceof UsageError || isParseArgsError(e))
        process.stderr.write(`Run “palmctl help” for usage.\n`);
      return 2;
    }
    if (e instanceof DeviceCommandError) {
      process.stderr.write(`palmctl: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`palmctl: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof TypeError && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function decode(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const emit = (text: string, source: string) => {
    for (const rec of decodeReports(parseReportLog(text, source))) out(JSON.stringify(rec));
  };
  if (positionals.length === 0) {
    emit(await readStdin(), 'stdin');
    return 0;
  }
  // Several logs: each gets a fresh receiver and is announced by a {"type":"file"} line.
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    if (positionals.length > 1) out(JSON.stringify({ type: 'file', path: file }));
    emit(text, file);
  }
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string' },
      nonce: { type: 'string' },
      'last-counter': { type: 'string' },
    },
  });
  const publicKey = values['public-key'];
  const nonce = values.nonce;
  const lastCounter = values['last-counter'];
  if (publicKey === undefined || nonce === undefined || lastCounter === undefined)
    throw new UsageError('verify needs --public-key, --nonce and --last-counter');
  if (positionals.length !== 1) throw new UsageError('verify takes exactly one PAYLOAD_HEX');
  const verdict = await verifyCommand({ publicKey, nonce, lastCounter, payload: positionals[0]! });
  out(verdict);
  return verdict === 'accept' ? 0 : 1;
}

function intOption(
  v: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number ${min}..${max} (got “${v}”)`);
  return n;
}

async function device(
  cmd: 'devices' | 'ping' | 'info' | 'capture',
  args: string[],
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      device: { type: 'string' },
      emulator: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      bytes: { type: 'string' },
      mode: { type: 'string', default: 'identify' },
      timeout: { type: 'string' },
      identity: { type: 'string' },
      quality: { type: 'string' },
      liveness: { type: 'string' },
      template: { type: 'boolean', default: false },
    },
  });
  const t: Target = { emulator: values.emulator, device: values.device };
  if (t.emulator && t.device) throw new UsageError('--device and --emulator exclude each other');
  const store = keyStore(process.env);
  switch (cmd) {
    case 'devices': {
      const rows = await devicesCommand(t, store);
      if (values.json) rows.forEach((r) => out(JSON.stringify(r)));
      else if (rows.length === 0) out('No palm scanners found.');
      else {
        out(['MODEL', 'SERIAL', 'FIRMWARE', 'KEY', 'FINGERPRINT', 'PATH'].join('\t'));
        rows.forEach((r) =>
          out([r.model, r.serial, r.firmware, r.key, r.fingerprint, r.path].join('\t')),
        );
      }
      return 0;
    }
    case 'ping': {
      const r = await pingCommand(t, intOption(values.bytes, 'bytes', 0, 7609) ?? 32);
      out(`pong from ${r.path}: ${r.bytes} bytes in ${r.ms} ms`);
      return 0;
    }
    case 'info':
      out(JSON.stringify(await infoCommand(t), null, 2));
      return 0;
    case 'capture': {
      if (values.mode !== 'identify' && values.mode !== 'enroll')
        throw new UsageError('--mode is identify or enroll');
      const palmGiven =
        values.identity !== undefined ||
        values.quality !== undefined ||
        values.liveness !== undefined;
      if (palmGiven && !t.emulator)
        throw new UsageError('--identity, --quality and --liveness need --emulator');
      const r = await captureCommand(t, store, {
        mode: values.mode,
        timeoutMs: intOption(values.timeout, 'timeout', 500, 30_000) ?? 10_000,
        palm: palmGiven
          ? {
              identity: intOption(values.identity, 'identity', 0, Number.MAX_SAFE_INTEGER) ?? 1,
              quality: intOption(values.quality, 'quality', 0, 100) ?? 90,
              liveness: intOption(values.liveness, 'liveness', 0, 100) ?? 95,
            }
          : undefined,
        showTemplate: values.template,
        onGuidance: (g) => process.stderr.write(`  ${g}\n`),
      });
      out(JSON.stringify(r, null, 2));
      return r.verdict === 'accept' ? 0 : 1;
    }
  }
}

/** Reserved for the matcher: wasm/cli/match-command.ts, when that file is part of the build. */
async function match(args: string[]): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = path.resolve(here, '../../wasm/cli/match-command.ts');
  if (!existsSync(file)) {
    process.stderr.write('match: not available in this build\n');
    return 2;
  }
  const mod = (await import(pathToFileURL(file).href)) as {
    runMatchCommand?: (argv: string[]) => Promise<number>;
  };
  if (typeof mod.runMatchCommand !== 'function') {
    process.stderr.write('match: not available in this build\n');
    return 2;
  }
  return mod.runMatchCommand(args);
}
