import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from './sessions';
import {
  TEST_MANAGER,
  TestTerminal,
  dashboardPage,
  dashboardPost,
  managerLogin,
  sessionCookie,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * The dashboard from an attacker's side: a page on another origin posting forms, a stolen or
 * replayed login link, a database read, a guessed passcode, and the admin token in a URL.
 */
let cloud: TestCloud;
let lane: TestTerminal;
const STORE = 'dash-s';

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, STORE, 'us', { staff: true });
  await testStore(cloud.db, 'dash-t', 'us', { staff: true });
  lane = new TestTerminal('lane-dash');
  await lane.provision(cloud, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

const approved = async () =>
  (
    await cloud.db.query<{ shard_approved_by: string | null }>(
      'SELECT shard_approved_by FROM terminals WHERE id = $1',
      [lane.terminalId],
    )
  ).rows[0]?.shard_approved_by ?? null;

describe('manager login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie; the database keeps only its hash', async () => {
    const res = await dashboardPost(cloud, '/dashboard/login', {
      storeId: STORE,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/dashboard/${STORE}`);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect(set).toMatch(/Max-Age=14400/);
    const id = sessionCookie(res).split('=')[1]!;
    const stored = await cloud.db.query<{ id_sha256: string }>(
      'SELECT id_sha256 FROM dashboard_sessions',
    );
    expect(stored.rows.map((r) => r.id_sha256)).toContain(
      createHash('sha256').update(id).digest('hex'),
    );
    expect(JSON.stringify(stored.rows)).not.toContain(id);
  });

  it('wrong passcodes get 401, and the 11th failure from one address in the window is 429', async () => {
    const ip = '203.0.113.50';
    const login = (passcode: string) =>
      cloud.app.inject({
        method: 'POST',
        url: '/dashboard/login',
        remoteAddress: ip,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost:80',
        },
        payload: new URLSearchParams({ storeId: STORE, staffId: 'mgr', passcode }).toString(),
      });
    for (let i = 0; i < 10; i++) expect((await login(`0000000${i}`)).statusCode).toBe(401);
    expect((await login('00000010')).statusCode).toBe(429);
    expect((await login(TEST_MANAGER.passcode)).statusCode).toBe(429);
  });

  it('a login form posted from another origin, or with no Origin, is refused', async () => {
    const fields = { storeId: STORE, staffId: TEST_MANAGER.id, passcode: TEST_MANAGER.passcode };
    expect(
      (await dashboardPost(cloud, '/dashboard/login', fields, { origin: 'https://evil.example' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await dashboardPost(cloud, '/dashboard/login', fields, { origin: null })).statusCode,
    ).toBe(403);
  });
});

describe('the operator’s one-time login link', () => {
  async function link(ttlMs?: number): Promise<string> {
    if (ttlMs !== undefined) return (await issueLoginLink(cloud.db, STORE, ttlMs)).token;
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/admin/login-links',
      headers: { authorization: `Bearer ${cloud.adminToken}` },
      payload: { storeId: STORE },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ path: string }>().path.split('/').at(-1)!;
  }

  it('opening it only shows a button; posting it logs in once; a replay fails', async () => {
    const token = await link();
    for (let i = 0; i < 2; i++) {
      const page = await cloud.app.inject({ method: 'GET', url: `/dashboard/link/${token}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['set-cookie']).toBeUndefined();
    }
    const first = await dashboardPost(cloud, '/dashboard/link', { token });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/dashboard/${STORE}`);
    const cookie = sessionCookie(first);
    const { res, html } = await dashboardPage(cloud, STORE, cookie);
    expect(res.statusCode).toBe(200);
    expect(html).toContain('Logged in as <strong>operator</strong>');
    // The operator sees every store.
    expect((await dashboardPage(cloud, 'dash-t', cookie)).res.statusCode).toBe(200);
    const replay = await dashboardPost(cloud, '/dashboard/link', { token }, { cookie: undefined });
    expect(replay.statusCode).toBe(401);
    expect(replay.headers['set-cookie']).toBeUndefined();
  });

  it('a guessed, expired or cross-origin link does not log anyone in', async () => {
    const guessed = Buffer.alloc(32, 7).toString('base64url');
    expect((await dashboardPost(cloud, '/dashboard/link', { token: guessed })).statusCode).toBe(
      401,
    );
    const expired = await link(-1_000);
    expect((await dashboardPost(cloud, '/dashboard/link', { token: expired })).statusCode).toBe(
      401,
    );
    const fresh = await link();
    const foreign = await dashboardPost(
      cloud,
      '/dashboard/link',
      { token: fresh },
      { origin: 'https://evil.example' },
    );
    expect(foreign.statusCode).toBe(403);
    // Refused before it was looked at: the link still works from the dashboard itself.
    expect((await dashboardPost(cloud, '/dashboard/link', { token: fresh })).statusCode).toBe(303);
  });
});

describe('dashboard actions', () => {
  it('a POST without the session’s CSRF token, or from another origin, changes nothing', async () => {
    const cookie = await managerLogin(cloud, STORE);
    const { csrf } = await dashboardPage(cloud, STORE, cookie);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const url = `/dashboard/${STORE}/lanes/${lane.terminalId}/approve`;
    const other = await managerLogin(cloud, 'dash-t');
    const otherCsrf = (await dashboardPage(cloud, 'dash-t', other)).csrf;
    const attempts: { fields: Record<string, string>; o: Parameters<typeof dashboardPost>[3] }[] = [
      { fields: {}, o: { cookie } }, // no token
      { fields: { csrf: 'x'.repeat(43) }, o: { cookie } }, // a made-up token
      { fields: { csrf: otherCsrf }, o: { cookie } }, // another session's token
      { fields: { csrf }, o: { cookie, origin: 'https://evil.example' } }, // another origin
      { fields: { csrf }, o: { cookie, origin: null } }, // no Origin header
      { fields: { csrf }, o: {} }, // no session
    ];
    for (const [i, a] of attempts.entries()) {
      const res = await dashboardPost(cloud, url, a.fields, a.o);
      expect(res.statusCode, `attempt ${i}`).toBeGreaterThanOrEqual(401);
      expect(res.statusCode, `attempt ${i}`).toBeLessThan(404);
      expect(await approved(), `attempt ${i}`).toBeNull();
    }
    // A manager of another store, with a valid session and token of their own: not theirs.
    const cross = await dashboardPost(
      cloud,
      url.replace(STORE, 'dash-t'),
      { csrf: otherCsrf },
      { cookie: other },
    );
    expect(cross.statusCode).toBe(404);
    const mine = await dashboardPost(
      cloud,
      `/dashboard/dash-t/lanes/x/approve`,
      { csrf },
      { cookie },
    );
    expect(mine.statusCode).toBe(403);
    expect(await approved()).toBeNull();
    // With everything right, it happens.
    const ok = await dashboardPost(cloud, url, { csrf }, { cookie });
    expect(ok.statusCode).toBe(303);
    expect(await approved()).toBe('Test Manager (mgr)');
  });

  it('issues a provisioning code shown once, naming the manager who issued it', async () => {
    const cookie = await managerLogin(cloud, STORE);
    const { csrf } = await dashboardPage(cloud, STORE, cookie);
    const res = await dashboardPost(
      cloud,
      `/dashboard/${STORE}/provisioning-codes`,
      { csrf },
      { cookie },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const code = /data-testid="provisioning-code">([A-Z0-9-]{14})</.exec(res.body)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const issued = await cloud.db.query<{ issued_by: string }>(
      'SELECT issued_by FROM provisioning_codes WHERE store_id = $1 AND used_at IS NULL',
      [STORE],
    );
    expect(issued.rows.map((r) => r.issued_by)).toContain('Test Manager (mgr)');
    const t = new TestTerminal('lane-from-dashboard-code');
    const prov = await cloud.app.inject({
      method: 'POST',
      url: '/v1/provision',
      payload: {
        code,
        deviceId: t.deviceId,
        laneCode: 'L05',
        appVersion: 't',
        publicKey: t.publicJwk,
      },
    });
    expect(prov.statusCode).toBe(201);
    // Not a GET: a link or an image on another page cannot issue one.
    const get = await cloud.app.inject({
      method: 'GET',
      url: `/dashboard/${STORE}/provisioning-codes`,
      headers: { cookie },
    });
    expect(get.statusCode).toBe(404);
  });

  it('logging out ends the session; pages have no script and forms may only post here', async () => {
    const cookie = await managerLogin(cloud, STORE);
    const { res, html, csrf } = await dashboardPage(cloud, STORE, cookie);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // Not no-referrer: with it a browser sends `Origin: null` on the page's own forms.
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(html).not.toMatch(/<script/i);
    const login = await cloud.app.inject({ method: 'GET', url: '/dashboard' });
    expect(login.body).not.toMatch(/<script/i);
    expect(String(login.headers['content-security-policy'])).toContain("form-action 'self'");
    expect((await dashboardPost(cloud, '/dashboard/logout', { csrf }, { cookie })).statusCode).toBe(
      303,
    );
    expect((await dashboardPage(cloud, STORE, cookie)).res.statusCode).toBe(401);
  });
});

describe('the admin token stays out of URLs', () => {
  it('is refused in a query string, by the admin API and the dashboard alike', async () => {
    const api = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/overview?token=${cloud.adminToken}`,
    });
    expect(api.statusCode).toBe(401);
    expect(api.json().error).toBe('ADMIN_TOKEN_IN_URL');
    // Even next to a good header: a URL that carries it must not be accepted (and so not used).
    const both = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/overview?token=${cloud.adminToken}`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(both.statusCode).toBe(401);
    const dash = await cloud.app.inject({
      method: 'GET',
      url: `/dashboard/${STORE}?token=${cloud.adminToken}`,
    });
    expect(dash.statusCode).toBe(401);
    expect(dash.body).toContain('Log in');
    const header = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/overview`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(header.statusCode).toBe(200);
  });
});
