import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADERS, MAX_CLOCK_SKEW_MS, type PushResponse } from '../common/sync/protocol';
import type { StoreOverview } from './dashboard';
import {
  TestTerminal,
  mutation,
  startTestCloud,
  testSale,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Requests as an attacker sends them: bodies that are expensive to parse, bodies from nobody,
 * heartbeats from a clock in 2099, numbers beyond a column's range. Each is a 4xx (or, for the
 * heartbeat, clamped), never a 500, and a stranger's megabytes are never read.
 */
const NOW = Date.parse('2026-03-02T12:00:00.000Z');
let cloud: TestCloud;
let lane: TestTerminal;
let revoked: TestTerminal;
let parsed = 0; // requests that reached body parsing

beforeAll(async () => {
  cloud = await startTestCloud({
    now: () => NOW,
    beforeReady: (app) =>
      app.addHook('preParsing', async (_req, _reply, payload) => {
        parsed++;
        return payload;
      }),
  });
  await testStore(cloud.db, 'hygiene');
  lane = new TestTerminal('lane-hygiene');
  revoked = new TestTerminal('lane-hygiene-revoked');
  await lane.provision(cloud, 'hygiene');
  await revoked.provision(cloud, 'hygiene');
  await cloud.db.query('UPDATE terminals SET revoked_at = now() WHERE id = $1', [
    revoked.terminalId,
  ]);
}, 60_000);
afterAll(async () => cloud?.close());

const mutations = async () =>
  Number(
    (await cloud.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mutations')).rows[0]?.n,
  );

describe('deeply nested JSON', () => {
  const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

  it('100 000 levels is 400 BAD_JSON on a signed push, on provisioning and on the admin API', async () => {
    const before = await mutations();
    const push = `{"protocol":1,"mutations":[${JSON.stringify(mutation(lane.nextMutationId, 'x', null)).replace('null', deep(100_000))}]}`;
    const signed = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: lane.headers('POST', '/v1/push', push, { timestamp: String(NOW) }),
      payload: push,
    });
    expect(signed.statusCode).toBe(400);
    expect(signed.json()).toMatchObject({
      error: 'BAD_JSON',
      message: expect.stringMatching(/deeper than 64/),
    });
    const provision = await cloud.app.inject({
      method: 'POST',
      url: '/v1/provision',
      headers: { 'content-type': 'application/json' },
      payload: deep(5000),
    });
    expect(provision.json()).toMatchObject({ error: 'BAD_JSON' });
    const admin = await cloud.app.inject({
      method: 'PUT',
      url: '/v1/admin/stores/hygiene/catalog',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cloud.adminToken}` },
      payload: `{"upserts":${deep(100_000)}}`,
    });
    expect(admin.statusCode).toBe(400);
    expect(await mutations()).toBe(before);
  });

  it('nesting within the limit is parsed as ever (and brackets inside strings do not count)', async () => {
    const payload = JSON.parse(deep(50)) as unknown;
    expect(
      await lane.pushOne(cloud, 'x.nested', { payload, text: '['.repeat(1000) }),
    ).toMatchObject({ status: 'rejected', reason: 'unknown mutation kind "x.nested"' });
  });
});

describe('a body is not read before the request is known to come from a real terminal', () => {
  const pad = 'x'.repeat(3 * 1024 * 1024);
  const big = (id = 1) => JSON.stringify({ protocol: 1, mutations: [mutation(id, 'x', { pad })] });

  it('refuses missing and malformed headers, a stale timestamp, an unknown or revoked terminal, unread', async () => {
    const body = big(lane.nextMutationId);
    const good = lane.headers('POST', '/v1/push', body, { timestamp: String(NOW) });
    const stale = lane.headers('POST', '/v1/push', body, {
      timestamp: String(NOW - MAX_CLOCK_SKEW_MS - 1000),
    });
    const stranger = lane.headers('POST', '/v1/push', body, {
      timestamp: String(NOW),
      terminalId: '00000000-0000-4000-8000-000000000000',
    });
    const cases: [string, Record<string, string>, number, string][] = [
      ['no auth headers', { 'content-type': 'application/json' }, 401, 'AUTH_MISSING'],
      ['malformed timestamp', { ...good, [AUTH_HEADERS.timestamp]: 'soon' }, 401, 'AUTH_MALFORMED'],
      [
        'malformed signature',
        { ...good, [AUTH_HEADERS.signature]: 'x'.repeat(10) },
        401,
        'AUTH_BAD_SIGNATURE',
      ],
      ['stale timestamp', stale, 401, 'AUTH_EXPIRED'],
      ['unknown terminal', stranger, 401, 'AUTH_BAD_SIGNATURE'],
      [
        'revoked terminal',
        revoked.headers('POST', '/v1/push', body, { timestamp: String(NOW) }),
        403,
        'TERMINAL_REVOKED',
      ],
    ];
    for (const [name, headers, status, error] of cases) {
      const before = parsed;
      const res = await cloud.app.inject({
        method: 'POST',
        url: '/v1/push',
        headers,
        payload: body,
      });
      expect(res.statusCode, name).toBe(status);
      expect(res.json().error, name).toBe(error);
      expect(parsed, `${name}: body parsed`).toBe(before);
    }
    // The spy does see bodies: a real terminal's 3 MiB is read, then its signature checked.
    const before = parsed;
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: good,
      payload: body,
    });
    expect(parsed).toBe(before + 1);
    expect(res.json<PushResponse>().results[0]).toMatchObject({ status: 'rejected' });
    lane.nextMutationId++;
  });

  it('over a real socket: the refusal comes while 3 MiB are still unsent', async () => {
    await cloud.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = cloud.app.server.address() as AddressInfo;
    const body = big();
    const headers = lane.headers('POST', '/v1/push', body, {
      timestamp: String(NOW),
      terminalId: '00000000-0000-4000-8000-000000000000',
    });
    const socket = connect(port, '127.0.0.1');
    try {
      const answer = new Promise<string>((resolve, reject) => {
        socket.once('data', (d) => resolve(d.toString('latin1')));
        socket.once('error', reject);
        setTimeout(
          () => reject(new Error('no answer without the body: the cloud is waiting to read it')),
          10_000,
        ).unref();
      });
      socket.write(
        [
          `POST /v1/push HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Content-Length: ${Buffer.byteLength(body)}`,
          ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
          '',
          '',
        ].join('\r\n'),
      );
      socket.write(body.slice(0, 1024)); // a first kilobyte, then nothing
      const closed = new Promise<void>((resolve) => socket.once('end', resolve));
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 401 /);
      expect(text).toContain('AUTH_BAD_SIGNATURE');
      expect(text.toLowerCase()).toContain('connection: close');
      await closed; // and the cloud hangs up rather than draining the rest
    } finally {
      socket.destroy();
    }
  });

  it('signed routes other than push keep a small body limit', async () => {
    const body = JSON.stringify({
      publicKey: {
        kty: 'EC',
        crv: 'P-256',
        x: 'x'.repeat(40),
        y: 'y'.repeat(40),
        key_ops: ['x'.repeat(64 * 1024)],
      },
    });
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/shard-key',
      headers: lane.headers('POST', '/v1/shard-key', body, { timestamp: String(NOW) }),
      payload: body,
    });
    expect(res.statusCode).toBe(413);
  });
});

describe('heartbeats', () => {
  const heartbeat = (over: Record<string, unknown>) => ({
    at: new Date(NOW).toISOString(),
    queueDepth: 1,
    oldestPendingAt: null,
    appVersion: '1',
    scannerState: 'ready',
    ...over,
  });
  const laneRow = async (t: TestTerminal) => {
    const res = await cloud.app.inject({
      method: 'GET',
      url: '/v1/admin/stores/hygiene/overview',
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    return res.json<StoreOverview>().lanes.find((l) => l.terminalId === t.terminalId)!;
  };

  it('a queue depth beyond int32 is a 400, not a 500', async () => {
    for (const queueDepth of [2 ** 31, 2 ** 33, 10_000_001]) {
      const res = await lane.request(cloud, 'POST', '/v1/push', {
        protocol: 1,
        mutations: [],
        heartbeat: heartbeat({ queueDepth }),
      });
      expect(res.statusCode, String(queueDepth)).toBe(400);
    }
  });

  it('a heartbeat dated 2099 is recorded at the cloud’s receive time, so a dead lane cannot look alive', async () => {
    const t = new TestTerminal('lane-2099');
    await t.provision(cloud, 'hygiene');
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [],
      heartbeat: heartbeat({
        at: '2099-01-01T00:00:00.000Z',
        oldestPendingAt: '2099-01-01T00:00:00.000Z',
        queueDepth: 4,
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(await laneRow(t)).toMatchObject({
      heartbeatAt: new Date(NOW).toISOString(),
      oldestPendingAt: new Date(NOW).toISOString(),
      queueDepth: 4,
    });
    // As a numbered mutation too; and within the skew a lane clock a little ahead is kept as sent.
    expect(
      await t.pushOne(
        cloud,
        'heartbeat',
        heartbeat({ at: '2099-06-01T00:00:00.000Z', queueDepth: 5 }),
      ),
    ).toMatchObject({ status: 'applied' });
    expect(await laneRow(t)).toMatchObject({
      heartbeatAt: new Date(NOW).toISOString(),
      queueDepth: 5,
    });
    const ahead = new Date(NOW + MAX_CLOCK_SKEW_MS - 1000).toISOString();
    await t.pushOne(cloud, 'heartbeat', heartbeat({ at: ahead, queueDepth: 6 }));
    expect(await laneRow(t)).toMatchObject({ heartbeatAt: ahead, queueDepth: 6 });
  });

  it('a sale completed in 2099 is rejected, while its push goes through', async () => {
    const sale = { ...testSale(lane.deviceId), completedAt: '2099-01-01T00:00:00.000Z' };
    expect(await lane.pushOne(cloud, 'sale.completed', sale)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/later than the checker's clock allows/),
    });
  });
});
