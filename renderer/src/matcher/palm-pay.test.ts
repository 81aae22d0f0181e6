import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MatcherState } from './client';
import { PalmPayController } from './palm-pay';
import type { PalmPayInfo, ShardTrust } from './palm-pay';
import { ShardDatabase } from '../shard/shard-db';

const TRUST: ShardTrust = { store: 's1', terminalId: 't1', cloudKey: { kty: 'EC' } };

function controller(trust: ShardTrust | null) {
  const loads: unknown[][] = [];
  let push: (s: MatcherState) => void = () => {};
  const pushers: ((s: MatcherState) => void)[] = [];
  let terminated = 0;
  const c = new PalmPayController({
    openShardDb: () => new ShardDatabase(),
    trust: () => Promise.resolve(trust),
    createClient: (onState) => {
      push = onState;
      pushers.push(onState);
      return {
        load: (...a: unknown[]) => void loads.push(a),
        terminate: () => void terminated++,
      };
    },
  });
  const seen: PalmPayInfo[] = [];
  c.subscribe(() => seen.push(c.get()));
  return {
    c,
    loads,
    seen,
    push: (s: MatcherState) => push(s),
    pushers,
    terminated: () => terminated,
  };
}

async function storeOnePart(version = 1, kind: 'full' | 'rekey' = 'full'): Promise<void> {
  const db = new ShardDatabase();
  await db.storePart(version, kind, { manifest: '{}', signature: '' }, [new Uint8Array(4)]);
  db.close();
}

const READY: MatcherState = {
  kind: 'ready',
  templates: 20,
  records: 20,
  variant: 'simd',
  report: '',
};

afterEach(async () => {
  await new ShardDatabase().delete();
});

describe('PalmPayController', () => {
  it('with nothing stored is no-shard, and has created the terminal key for the cloud', async () => {
    const { c, loads } = controller(TRUST);
    await c.start();
    expect(c.get()).toEqual({ state: 'no-shard' });
    expect(loads).toHaveLength(0);
    const db = new ShardDatabase();
    const row = await db.terminalKey.get('terminal');
    expect(row?.keyPair.privateKey.extractable).toBe(false);
    db.close();
  });

  it('loads a stored shard once, reporting chunk progress, then ready with the count', async () => {
    await storeOnePart();
    const { c, loads, seen, push } = controller(TRUST);
    await Promise.all([c.start(), c.start()]);
    expect(loads).toEqual([['s1', 't1', { kty: 'EC' }]]);
    push({ kind: 'loading', chunksDone: 0, chunksTotal: 0, records: 0 });
    expect(c.get()).toEqual({ state: 'loading' });
    push({ kind: 'loading', chunksDone: 3, chunksTotal: 10, records: 3000 });
    expect(c.get()).toEqual({ state: 'loading', progress: { done: 3, total: 10 } });
    push({ kind: 'ready', templates: 10_000, records: 9_000, variant: 'simd', report: '' });
    expect(c.get()).toMatchObject({
      state: 'ready',
      templates: 10_000,
      records: 9_000,
      variant: 'simd',
    });
    expect(c.get().client).toBeDefined();
    expect(seen.map((s) => s.state)).toEqual(['loading', 'loading', 'loading', 'ready']);
  });

  it('a refused shard is unavailable with the reason and frees the worker', async () => {
    await storeOnePart();
    const { c, push, terminated } = controller(TRUST);
    await c.start();
    push({ kind: 'unavailable', reason: 'chunk', message: 'chunk 3: hash mismatch' });
    expect(c.get()).toEqual({
      state: 'unavailable',
      reason: 'chunk',
      message: 'chunk 3: hash mismatch',
    });
    expect(terminated()).toBe(1);
  });

  it('a stored shard without a provisioned identity is unavailable (trust), not loaded', async () => {
    await storeOnePart();
    const { c, loads } = controller(null);
    await c.start();
    expect(c.get()).toMatchObject({ state: 'unavailable', reason: 'trust' });
    expect(loads).toHaveLength(0);
  });

  it('refresh loads a shard that sync stored after start, and nothing when nothing changed', async () => {
    const { c, loads } = controller(TRUST);
    await c.start();
    expect(c.get().state).toBe('no-shard');
    await c.refresh();
    expect(loads).toHaveLength(0);
    await storeOnePart();
    await c.refresh();
    expect(c.get().state).toBe('loading');
    expect(loads).toHaveLength(1);
    await c.refresh();
    expect(loads).toHaveLength(1);
  });

  it('a newer part reloads in a fresh worker; the replaced worker is ignored', async () => {
    await storeOnePart();
    const { c, loads, pushers, terminated } = controller(TRUST);
    await c.start();
    pushers[0]!(READY);
    expect(c.get()).toMatchObject({ state: 'ready', records: 20 });
    await storeOnePart(2, 'rekey');
    await Promise.all([c.refresh(), c.refresh()]);
    expect(loads).toHaveLength(2);
    expect(terminated()).toBe(1);
    expect(c.get().state).toBe('loading');
    pushers[0]!({ ...READY, records: 99 }); // late news from the old worker
    expect(c.get().state).toBe('loading');
    pushers[1]!({ ...READY, records: 30 });
    expect(c.get()).toMatchObject({ state: 'ready', records: 30 });
  });

  it('refresh before start starts it', async () => {
    await storeOnePart();
    const { c, loads } = controller(TRUST);
    await c.refresh();
    await c.start();
    expect(loads).toHaveLength(1);
  });
});
