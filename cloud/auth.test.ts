import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_HEADERS,
  MAX_CLOCK_SKEW_MS,
  type PullResponse,
  type PushResponse,
} from '../common/sync/protocol';
import {
  TestTerminal,
  mutation,
  startTestCloud,
  testSale,
  testStore,
  type TestCloud,
} from './testing';

let cloud: TestCloud;
let a: TestTerminal;
let b: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'auth-a');
  await testStore(cloud.db, 'auth-b');
  a = new TestTerminal('lane-a');
  b = new TestTerminal('lane-b');
  await a.provision(cloud, 'auth-a');
  await b.provision(cloud, 'auth-b');
}, 60_000);
afterAll(async () => cloud?.close());

async function rows(sql: string, params: unknown[] = []): Promise<number> {
  const r = await cloud.db.query<{ n: number }>(sql, params);
  return r.rows[0]?.n ?? 0;
}

const mutationCount = (): Promise<number> => rows('SELECT count(*)::int AS n FROM mutations');
const pushBody = (t: TestTerminal, id = 1) =>
  JSON.stringify({
    protocol: 1,
    mutations: [mutation(id, 'sale.completed', testSale(t.deviceId))],
  });

describe('cross-store isolation', () => {
  it('a terminal reads only its own store', async () => {
    const pulled = (await a.request(cloud, 'GET', '/v1/pull?cursor=0')).json<PullResponse>();
    expect(pulled.catalog.upserts.every((p) => p.id.startsWith('auth-a-'))).toBe(true);
    expect(pulled.settings?.storeName).toBe('Store auth-a');
  });

  it('a terminal cannot write as another store: the store comes from its key, not the body', async () => {
    const res = await a.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(1, 'sale.completed', testSale(a.deviceId, 777))],
      storeId: 'auth-b',
    });
    expect(res.statusCode).toBe(400); // unknown keys are refused outright
    const ok = await a.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(1, 'sale.completed', testSale(a.deviceId, 777))],
    });
    expect(ok.statusCode).toBe(200);
    expect(await rows(`SELECT count(*)::int AS n FROM sales WHERE store_id = 'auth-b'`)).toBe(0);
    expect(await rows(`SELECT count(*)::int AS n FROM sales WHERE store_id = 'auth-a'`)).toBe(1);
  });

  it('a sale naming store B’s lane is rejected, and B’s queue is untouched', async () => {
    const res = await a.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(2, 'sale.completed', testSale(b.deviceId))],
    });
    expect(res.json<PushResponse>().results[0]?.status).toBe('rejected');
    const bLast = await cloud.db.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM terminals WHERE id = $1',
      [b.terminalId],
    );
    expect(bLast.rows[0]?.last_mutation_id).toBe(0);
  });

  it('a terminal cannot sign as another terminal', async () => {
    const body = pushBody(b);
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: a.headers('POST', '/v1/push', body, { terminalId: b.terminalId }),
      payload: body,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('AUTH_BAD_SIGNATURE');
  });

  it('terminal credentials do not open the admin API or the dashboard', async () => {
    for (const [method, url] of [
      ['GET', '/v1/admin/stores/auth-b/overview'],
      ['GET', '/dashboard/auth-b'],
    ] as const) {
      const res = await a.request(cloud, method, url);
      expect(res.statusCode, url).toBe(401);
    }
    const wrong = await cloud.app.inject({
      method: 'GET',
      url: '/v1/admin/stores/auth-b/overview',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('signed requests', () => {
  it('refuses a replayed request', async () => {
    const before = await mutationCount();
    const body = pushBody(a, 3);
    const headers = a.headers('POST', '/v1/push', body);
    const first = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers,
      payload: body,
    });
    expect(first.statusCode).toBe(200);
    const replay = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers,
      payload: body,
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toBe('AUTH_REPLAYED');
    expect(await mutationCount()).toBe(before + 1);
  });

  it('refuses expired and future timestamps, telling the lane the cloud time', async () => {
    const before = await mutationCount();
    for (const offset of [-MAX_CLOCK_SKEW_MS - 5_000, MAX_CLOCK_SKEW_MS + 5_000]) {
      const body = pushBody(a, 4);
      const res = await cloud.app.inject({
        method: 'POST',
        url: '/v1/push',
        headers: a.headers('POST', '/v1/push', body, { timestamp: String(Date.now() + offset) }),
        payload: body,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'AUTH_EXPIRED', serverTime: expect.any(String) });
    }
    expect(await mutationCount()).toBe(before);
  });

  it('refuses bad signatures: another key, a tampered body, a tampered path, garbage', async () => {
    const before = await mutationCount();
    const body = pushBody(a, 4);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const cases = [
      {
        headers: a.headers('POST', '/v1/push', body, { key: otherKey }),
        payload: body,
        url: '/v1/push',
      },
      {
        headers: a.headers('POST', '/v1/push', body),
        payload: body.replace('"amount":', '"amount":1'),
        url: '/v1/push',
      },
      {
        headers: a.headers('GET', '/v1/pull?cursor=0', ''),
        payload: undefined,
        url: '/v1/pull?cursor=5',
      },
      {
        headers: {
          ...a.headers('POST', '/v1/push', body),
          [AUTH_HEADERS.signature]: randomBytes(64).toString('base64url'),
        },
        payload: body,
        url: '/v1/push',
      },
      {
        headers: { ...a.headers('POST', '/v1/push', body), [AUTH_HEADERS.signature]: 'short' },
        payload: body,
        url: '/v1/push',
      },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await cloud.app.inject({
        method: c.payload ? 'POST' : 'GET',
        url: c.url,
        headers: c.headers,
        ...(c.payload ? { payload: c.payload } : {}),
      });
      expect(res.statusCode, `case ${i}`).toBe(401);
      expect(res.json().error, `case ${i}`).toBe('AUTH_BAD_SIGNATURE');
    }
    expect(await mutationCount()).toBe(before);
  });

  it('refuses missing and malformed auth headers and unknown terminals', async () => {
    const body = pushBody(a, 4);
    const full = a.headers('POST', '/v1/push', body);
    for (const name of Object.values(AUTH_HEADERS)) {
      const headers = { ...full };
      delete headers[name];
      const res = await cloud.app.inject({
        method: 'POST',
        url: '/v1/push',
        headers,
        payload: body,
      });
      expect(res.statusCode, name).toBe(401);
    }
    const badNonce = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: { ...full, [AUTH_HEADERS.nonce]: 'x' },
      payload: body,
    });
    expect(badNonce.json().error).toBe('AUTH_MALFORMED');
    const stranger = new TestTerminal('stranger');
    stranger.identity = {
      terminalId: '00000000-0000-4000-8000-000000000000',
      storeId: 'auth-a',
      storeName: '',
    };
    const res = await stranger.request(cloud, 'POST', '/v1/push', JSON.parse(body));
    expect(res.statusCode).toBe(401);
  });

  it('refuses a revoked terminal', async () => {
    const t = new TestTerminal('lane-revoked');
    await t.provision(cloud, 'auth-a');
    const revoke = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/terminals/${t.terminalId}/revoke`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(revoke.json()).toEqual({ revoked: true });
    const res = await t.request(cloud, 'POST', '/v1/push', JSON.parse(pushBody(t)));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('TERMINAL_REVOKED');
  });
});

describe('malformed bodies get 4xx and write nothing', () => {
  const cases: [string, string, number][] = [
    ['not JSON', '{"protocol":1,', 400],
    ['empty', '', 400],
    ['wrong protocol', JSON.stringify({ protocol: 2, mutations: [] }), 400],
    ['mutations not an array', JSON.stringify({ protocol: 1, mutations: {} }), 400],
    [
      'ids not contiguous',
      JSON.stringify({ protocol: 1, mutations: [mutation(5, 'x', {}), mutation(7, 'x', {})] }),
      400,
    ],
    [
      'id not an integer',
      JSON.stringify({ protocol: 1, mutations: [{ ...mutation(5, 'x', {}), mutationId: 5.5 }] }),
      400,
    ],
    [
      'createdAt not a date',
      JSON.stringify({
        protocol: 1,
        mutations: [{ ...mutation(5, 'x', {}), createdAt: 'yesterday' }],
      }),
      400,
    ],
    [
      'too many mutations',
      JSON.stringify({
        protocol: 1,
        mutations: Array.from({ length: 201 }, (_, i) => mutation(5 + i, 'x', {})),
      }),
      400,
    ],
    [
      'bad heartbeat',
      JSON.stringify({ protocol: 1, mutations: [], heartbeat: { at: 'now' } }),
      400,
    ],
    [
      'too large',
      JSON.stringify({
        protocol: 1,
        mutations: [mutation(5, 'x', { pad: 'x'.repeat(5 * 1024 * 1024) })],
      }),
      413,
    ],
  ];
  for (const [name, body, status] of cases) {
    it(name, async () => {
      const before = await mutationCount();
      const res = await cloud.app.inject({
        method: 'POST',
        url: '/v1/push',
        headers: a.headers('POST', '/v1/push', body),
        payload: body,
      });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(await mutationCount()).toBe(before);
    });
  }

  it('wrong content type', async () => {
    const body = pushBody(a, 5);
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/push',
      headers: { ...a.headers('POST', '/v1/push', body), 'content-type': 'text/plain' },
      payload: body,
    });
    expect(res.statusCode).toBe(415);
  });

  it('a malformed provisioning request', async () => {
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/provision',
      payload: { code: 'lower-case-bad', deviceId: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/code/);
  });
});

describe('CORS and cross-origin isolation', () => {
  it('answers the terminal’s origins only, and lets an isolated page read responses', async () => {
    const pre = await cloud.app.inject({
      method: 'OPTIONS',
      url: '/v1/push',
      headers: { origin: 'app://terminal', 'access-control-request-method': 'POST' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('app://terminal');
    expect(String(pre.headers['access-control-allow-headers'])).toContain(AUTH_HEADERS.signature);
    const evil = await cloud.app.inject({
      method: 'OPTIONS',
      url: '/v1/push',
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    const health = await cloud.app.inject({ method: 'GET', url: '/v1/health' });
    expect(health.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });
});
