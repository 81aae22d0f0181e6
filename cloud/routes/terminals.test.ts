import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_TIME_HEADER } from '../../common/sync/protocol';
import { TestTerminal, startTestCloud, testStore, type TestCloud } from '../testing';

let cloud: TestCloud;
let lane: TestTerminal;
const admin = () => ({ authorization: `Bearer ${cloud.adminToken}` });

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'lanes-a');
  lane = new TestTerminal('lanes-a-1');
  await lane.provision(cloud, 'lanes-a');
}, 60_000);
afterAll(async () => cloud?.close());

describe('revoking and reinstating a lane', () => {
  it('a revoked lane is refused with 403; reinstated, the same key is accepted again', async () => {
    expect((await lane.request(cloud, 'GET', '/v1/whoami')).statusCode).toBe(200);
    const revoke = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/terminals/${lane.terminalId}/revoke`,
      headers: admin(),
    });
    expect(revoke.json()).toEqual({ revoked: true });
    const refused = await lane.request(cloud, 'GET', '/v1/whoami');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'TERMINAL_REVOKED' });

    const reinstate = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/terminals/${lane.terminalId}/reinstate`,
      headers: admin(),
    });
    expect(reinstate.statusCode).toBe(200);
    expect(reinstate.json()).toEqual({ reinstated: true });
    expect((await lane.request(cloud, 'GET', '/v1/whoami')).statusCode).toBe(200);
    // Reinstating a lane that is not revoked changes nothing and says so.
    const again = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/terminals/${lane.terminalId}/reinstate`,
      headers: admin(),
    });
    expect(again.json()).toEqual({ reinstated: false });
  });

  it('reinstating takes the admin credential, and names an existing lane', async () => {
    const url = `/v1/admin/terminals/${lane.terminalId}/reinstate`;
    expect((await cloud.app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const signed = await cloud.app.inject({
      method: 'POST',
      url,
      headers: lane.headers('POST', url, ''),
    });
    expect(signed.statusCode).toBe(401); // a lane cannot reinstate itself with its own signature
    const unknown = await cloud.app.inject({
      method: 'POST',
      url: '/v1/admin/terminals/no-such-lane/reinstate',
      headers: admin(),
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('the cloud’s clock on every answer', () => {
  it('answers, refusals and errors carry x-palm-time, exposed to the lane’s page', async () => {
    const before = Date.now();
    const answers = [
      await lane.request(cloud, 'GET', '/v1/whoami'),
      await cloud.app.inject({ method: 'GET', url: '/v1/whoami' }), // 401 AUTH_MISSING
      await cloud.app.inject({ method: 'GET', url: '/v1/nothing-here' }), // 404
      await cloud.app.inject({
        method: 'GET',
        url: '/v1/health',
        headers: { origin: 'http://127.0.0.1:5174' },
      }),
    ];
    for (const res of answers) {
      const t = Number(res.headers[SERVER_TIME_HEADER]);
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(Date.now());
      expect(res.headers['access-control-expose-headers']).toBe(SERVER_TIME_HEADER);
    }
    expect(answers[3]!.headers['access-control-allow-origin']).toBe('http://127.0.0.1:5174');
  });
});
