import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseVariant, UnsupportedVariantError } from '../loader/features';
import { Matcher } from '../loader/kernel';
import { DIMS, MAX_K } from '../loader/layout';
import { selectKernel } from '../loader/select';
import { nodeKernelSource } from '../node/load';

const USAGE = `usage: palmctl match --gallery G.bin --probes P.bin [--top K] [--variant auto|relaxed|simd|scalar]
  G.bin, P.bin: raw row-major N x 512 and M x 512 int8 (values -127..127)
  prints one JSON line per probe: {"probe":i,"results":[{"index":j,"score":s},...]}`;

/** Exit codes: 0 done, 2 bad arguments or input, 3 the requested variant is unsupported. */
export async function runMatchCommand(argv: string[]): Promise<number> {
  let values: { gallery?: string; probes?: string; top?: string; variant?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        gallery: { type: 'string' },
        probes: { type: 'string' },
        top: { type: 'string', default: '2' },
        variant: { type: 'string', default: 'auto' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`palmctl match: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (!values.gallery || !values.probes) throw new Error('--gallery and --probes are required');
    const top = Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_K)
      throw new Error(`--top must be 1..${MAX_K}`);
    const request = parseVariant(values.variant ?? 'auto');
    const gallery = await readTemplates(values.gallery, 'gallery');
    const probes = await readTemplates(values.probes, 'probes');
    const choice = await selectKernel(nodeKernelSource, request);
    console.error(
      `${choice.report}; gallery ${gallery.length / DIMS}, probes ${probes.length / DIMS}`,
    );
    const matcher = await Matcher.create(choice.module, choice.variant, gallery);
    const lines: string[] = [];
    for (let i = 0; i * DIMS < probes.length; i++) {
      const probe = probes.subarray(i * DIMS, (i + 1) * DIMS);
      let results;
      try {
        results = matcher.search(probe, top).map((h) => ({ index: h.index, score: h.score }));
      } catch (e) {
        throw new Error(`probe ${i}: ${(e as Error).message}`, { cause: e });
      }
      lines.push(JSON.stringify({ probe: i, results }));
      if (lines.length >= 1024) process.stdout.write(lines.splice(0).join('\n') + '\n');
    }
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    if (e instanceof UnsupportedVariantError) {
      console.error(`palmctl match: ${e.message}`);
      return 3;
    }
    console.error(`palmctl match: ${(e as Error).message}`);
    return 2;
  }
}

async function readTemplates(path: string, what: string): Promise<Int8Array> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new Error(`cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      cause: e,
    });
  }
  if (buf.length % DIMS !== 0) {
    throw new Error(
      `${what} file ${path} is ${buf.length} bytes, not a multiple of ${DIMS} (N x 512 int8)`,
    );
  }
  return new Int8Array(buf.buffer, buf.byteOffset, buf.length);
}
