import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAllowedOrigins } from './app';
import { redactUrl } from './logging';
import { issueLoginLink } from './sessions';
import {
  TEST_MANAGER,
  TestTerminal,
  dashboardPost,
  sessionCookie,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/** Everything the cloud logs, line by line (pino writes one JSON object per line). */
const lines: string[] = [];
let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud({ logger: { stream: { write: (l: string) => lines.push(l) } } });
  await testStore(cloud.db, 'log-s', 'us', { staff: true });
}, 60_000);
afterAll(async () => cloud?.close());

describe('the request log', () => {
  it('is on, and carries no admin token, session, passcode, signature or login link', async () => {
    const t = new TestTerminal('lane-log');
    await t.provision(cloud, 'log-s');
    const signed = t.headers('GET', '/v1/pull', '');
    await cloud.app.inject({ method: 'GET', url: '/v1/pull', headers: signed });
    await cloud.app.inject({
      method: 'GET',
      url: '/v1/admin/stores/log-s/overview',
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/log-s/overview?token=${cloud.adminToken}`,
    });
    const login = await dashboardPost(cloud, '/dashboard/login', {
      storeId: 'log-s',
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    const cookie = sessionCookie(login);
    await cloud.app.inject({ method: 'GET', url: '/dashboard/log-s', headers: { cookie } });
    const link = await issueLoginLink(cloud.db, 'log-s');
    await cloud.app.inject({ method: 'GET', url: `/dashboard/link/${link.token}` });
    await dashboardPost(cloud, '/dashboard/link', { token: link.token });
    // A handler that logs headers must not leak them either.
    cloud.app.log.info(
      { headers: { authorization: `Bearer ${cloud.adminToken}`, cookie } },
      'probe',
    );

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('/v1/admin/stores/log-s/overview');
    expect(log).toContain('/dashboard/link/[redacted]');
    expect(log).toContain('token=[redacted]');
    for (const secret of [
      cloud.adminToken,
      cookie.split('=')[1]!,
      TEST_MANAGER.passcode,
      link.token,
      signed['x-palm-signature']!,
    ])
      expect(log, secret.slice(0, 6)).not.toContain(secret);
  });

  it('redacts query values and login-link tokens from logged URLs', () => {
    expect(redactUrl('/v1/pull?cursor=12&limit=5')).toBe(
      '/v1/pull?cursor=[redacted]&limit=[redacted]',
    );
    expect(redactUrl('/dashboard/link/abc?x')).toBe('/dashboard/link/[redacted]?x');
    expect(redactUrl('/v1/push')).toBe('/v1/push');
  });
});

describe('CORS', () => {
  it('allows no origin unless configured, and refuses a wildcard', async () => {
    const bare = await startTestCloud({ allowedOrigins: [] });
    try {
      const pre = await bare.app.inject({
        method: 'OPTIONS',
        url: '/v1/push',
        headers: { origin: 'http://127.0.0.1:5174', 'access-control-request-method': 'POST' },
      });
      expect(pre.statusCode).toBe(403);
      const get = await bare.app.inject({
        method: 'GET',
        url: '/v1/health',
        headers: { origin: 'https://evil.example' },
      });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await bare.close();
    }
    expect(() => checkAllowedOrigins(['*'])).toThrow(/no wildcards/);
    expect(() => checkAllowedOrigins(['http://127.0.0.1:5174/'])).toThrow(/not an origin/);
    expect(checkAllowedOrigins(['http://127.0.0.1:5174', 'app://terminal'])).toHaveLength(2);
  });
});
