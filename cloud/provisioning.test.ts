import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_TTL_MS, issueCode } from './provision';
import { TestTerminal, startTestCloud, testStore, type TestCloud } from './testing';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'prov-a');
}, 60_000);
afterAll(async () => cloud?.close());

const admin = () => ({ authorization: `Bearer ${cloud.adminToken}` });

function provision(code: string, o: { ip?: string; key?: object } = {}) {
  const t = new TestTerminal('lane-p');
  return cloud.app.inject({
    method: 'POST',
    url: '/v1/provision',
    ...(o.ip ? { remoteAddress: o.ip } : {}),
    payload: {
      code,
      deviceId: 'lane-p',
      laneCode: 'L07',
      appVersion: 'test',
      publicKey: o.key ?? t.publicJwk,
    },
  });
}

describe('provisioning codes', () => {
  it('are issued by a named person through the admin API, short-lived and audited', async () => {
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/admin/stores/prov-a/provisioning-codes',
      headers: admin(),
    });
    expect(res.statusCode).toBe(201);
    const { code, expiresAt } = res.json<{ code: string; expiresAt: string }>();
    const ttl = Date.parse(expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(CODE_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(CODE_TTL_MS);
    expect(CODE_TTL_MS).toBe(15 * 60_000);
    const row = await cloud.db.query<{ issued_by: string }>(
      'SELECT issued_by FROM provisioning_codes WHERE store_id = $1',
      ['prov-a'],
    );
    expect(row.rows.map((r) => r.issued_by)).toEqual(['operator']);
    const audit = await cloud.db.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM admin_audit WHERE store_id = 'prov-a'`,
    );
    expect(audit.rows).toContainEqual({ actor: 'operator', action: 'provisioning-code.issued' });
    // Without the admin token, nobody gets one.
    const anon = await cloud.app.inject({
      method: 'POST',
      url: '/v1/admin/stores/prov-a/provisioning-codes',
    });
    expect(anon.statusCode).toBe(401);
    expect((await provision(code)).statusCode).toBe(201);
    expect((await provision(code)).statusCode).toBe(403); // single use
  });

  it('a public key that is not a P-256 point is refused with 400, and the code still works', async () => {
    const { code } = await issueCode(cloud.db, 'prov-a', 'operator');
    const good = new TestTerminal('lane-k').publicJwk;
    // Flip the last byte of y: almost surely off the curve.
    const y = Buffer.from(good.y, 'base64url');
    y[31] = y[31]! ^ 0x01;
    const offCurve = { ...good, y: y.toString('base64url') };
    const bad = await provision(code, { key: offCurve });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/P-256/);
    const terminals = await cloud.db.query(
      'SELECT 1 FROM terminals WHERE store_id = $1 AND lane_code = $2',
      ['prov-a', 'L07'],
    );
    const before = terminals.rows.length;
    const ok = await provision(code, { key: good });
    expect(ok.statusCode).toBe(201);
    const after = await cloud.db.query(
      'SELECT 1 FROM terminals WHERE store_id = $1 AND lane_code = $2',
      ['prov-a', 'L07'],
    );
    expect(after.rows.length).toBe(before + 1);
  });

  it('the 11th wrong code from one address in the window is 429; other addresses are not held up', async () => {
    const attacker = '203.0.113.9';
    for (let i = 0; i < 10; i++) {
      const res = await provision(`WRNG-CODE-${String(i).padStart(4, 'A')}`.slice(0, 14), {
        ip: attacker,
      });
      expect(res.statusCode, `attempt ${i + 1}`).toBe(403);
    }
    const eleventh = await provision('WRNG-CODE-ZZZZ', { ip: attacker });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    // Even a right code waits: the address is out of tries for the window.
    const { code } = await issueCode(cloud.db, 'prov-a', 'operator');
    expect((await provision(code, { ip: attacker })).statusCode).toBe(429);
    expect((await provision(code, { ip: '198.51.100.4' })).statusCode).toBe(201);
  });

  it('the same code with the key it was spent on answers that terminal again (a lost 201), anyone else 403', async () => {
    const code = await issueCode(cloud.db, 'prov-a', 'operator').then((c) => c.code);
    const lane = new TestTerminal('lane-p');
    const first = await provision(code, { key: lane.publicJwk });
    expect(first.statusCode).toBe(201);
    const again = await provision(code, { key: lane.publicJwk });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    // Another key with the spent code: refused, and no second terminal came of it.
    expect((await provision(code, { key: new TestTerminal('x').publicJwk })).statusCode).toBe(403);
    const n = await cloud.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM terminals WHERE id = $1',
      [first.json<{ terminalId: string }>().terminalId],
    );
    expect(n.rows[0]!.n).toBe(1);
  });

  it('a spent code tried by many lanes from one address is refused each time but locks nobody out', async () => {
    const ip = '192.0.2.77';
    const { code } = await issueCode(cloud.db, 'prov-a', 'operator');
    expect((await provision(code, { ip })).statusCode).toBe(201);
    // Every later lane of a browser-mode host is handed the same, now spent, code.
    for (let i = 0; i < 12; i++) {
      const res = await provision(code, { ip, key: new TestTerminal(`late-${i}`).publicJwk });
      expect(res.statusCode, `late lane ${i + 1}`).toBe(403);
      expect(res.json().message).toMatch(/already used or has expired/);
    }
    const next = await issueCode(cloud.db, 'prov-a', 'operator');
    expect((await provision(next.code, { ip })).statusCode).toBe(201);
  });

  it('successful provisioning never counts against an address (a store sets up many lanes)', async () => {
    const ip = '192.0.2.44';
    for (let i = 0; i < 12; i++) {
      const { code } = await issueCode(cloud.db, 'prov-a', 'operator');
      expect((await provision(code, { ip })).statusCode, `lane ${i + 1}`).toBe(201);
    }
  });
});
