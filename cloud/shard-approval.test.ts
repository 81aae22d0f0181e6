import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../common/sync/protocol';
import { DemoShardPublisher } from './demo-shard';
import { AUTO_APPROVER } from './shard-approval';
import { createStore, ensureDemoStore, storeSettings } from './stores';
import {
  TEST_ATTENDANT,
  TestTerminal,
  dashboardPage,
  dashboardPost,
  managerLogin,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * The attacker holds a provisioning code (or a lane) and wants the palm gallery: a provisioned
 * lane that no manager approved gets no wrapped shard key in any manifest, no manifests and no
 * chunks; a revoked lane's key is left out of the rekey published before its revocation is
 * answered. The store's shard is published by a DemoShardPublisher wired as the demo cloud
 * wires it, so the test runs in its own schema (PostgreSQL) and never touches the demo store.
 */
const STORE = 'approval-s';
const subtle = globalThis.crypto.subtle;

let cloud: TestCloud;
let publisher: DemoShardPublisher;

beforeAll(async () => {
  let pub: DemoShardPublisher | null = null;
  const reconcile = async (storeId: string) => {
    if (storeId === STORE) await pub!.reconcile();
  };
  cloud = await startTestCloud({
    onShardKeyRegistered: (t) => reconcile(t.storeId),
    onShardRecipientsChanged: reconcile,
  });
  await testStore(cloud.db, STORE, 'us', { staff: true });
  pub = new DemoShardPublisher({ db: cloud.db, storeId: STORE, shoppers: 12, chunkRecords: 5 });
  publisher = pub;
}, 60_000);
afterAll(async () => {
  await publisher?.settled();
  await cloud?.close();
});

async function lane(name: string, storeId = STORE): Promise<TestTerminal> {
  const t = new TestTerminal(name);
  await t.provision(cloud, storeId);
  const keys = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  const jwk = await subtle.exportKey('jwk', keys.publicKey);
  const res = await t.request(cloud, 'POST', '/v1/shard-key', {
    publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
  });
  expect(res.statusCode).toBe(204);
  return t;
}

const pull = async (t: TestTerminal) => {
  const res = await t.request(cloud, 'GET', '/v1/pull');
  return { status: res.statusCode, page: res.json<PullResponse>() };
};

/** Every terminal id any stored manifest wraps the shard key for. */
async function keyHolders(): Promise<Set<string>> {
  const r = await cloud.db.query<{ manifest: string }>(
    'SELECT manifest FROM shard_parts WHERE store_id = $1',
    [STORE],
  );
  const ids = r.rows.flatMap(
    (p) => (JSON.parse(p.manifest) as { keys: { terminalId: string }[] }).keys,
  );
  return new Set(ids.map((k) => k.terminalId));
}

const latest = async () =>
  (
    await cloud.db.query<{ version: number; kind: string; manifest: string }>(
      'SELECT version, kind, manifest FROM shard_parts WHERE store_id = $1 ORDER BY version DESC LIMIT 1',
      [STORE],
    )
  ).rows[0];

describe('shard recipients need a manager', () => {
  let approved: TestTerminal;
  let waiting: TestTerminal;

  it('a provisioned lane with a registered key gets nothing until a manager approves it', async () => {
    waiting = await lane('lane-waiting');
    expect(await latest()).toBeUndefined(); // no approved recipient: nothing published at all
    const { page } = await pull(waiting);
    expect(page.shard).toBeNull();
    expect(page.palmPay).toEqual({
      approved: false,
      approvedBy: null,
      approvedAt: null,
      automatic: false,
    });

    approved = await lane('lane-approved');
    const res = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/terminals/${approved.terminalId}/approve-shard`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(res.json()).toEqual({ outcome: 'approved' });
    // Published before the approval was answered, wrapped for the approved lane only.
    expect((await latest())?.kind).toBe('full');
    const holders = await keyHolders();
    expect(holders.has(approved.terminalId)).toBe(true);
    expect(holders.has(waiting.terminalId)).toBe(false);
    // The waiting lane sees no manifests and may not fetch a chunk.
    expect((await pull(waiting)).page.shard).toBeNull();
    const chunk = await waiting.request(
      cloud,
      'GET',
      `/v1/shard/${(await latest())!.version}/chunks/0`,
    );
    expect(chunk.statusCode).toBe(403);
    expect(chunk.json().error).toBe('SHARD_NOT_APPROVED');
    const ok = await approved.request(
      cloud,
      'GET',
      `/v1/shard/${(await latest())!.version}/chunks/0`,
    );
    expect(ok.statusCode).toBe(200);
    expect((await pull(approved)).page.shard?.parts.length).toBeGreaterThan(0);
  });

  it('a manager approves it in the dashboard (audited with who and when); a rekey wraps for it', async () => {
    const before = (await latest())!.version;
    const cookie = await managerLogin(cloud, STORE);
    const { html, csrf } = await dashboardPage(cloud, STORE, cookie);
    expect(html).toContain('waiting for palm-pay approval');
    const res = await dashboardPost(
      cloud,
      `/dashboard/${STORE}/lanes/${waiting.terminalId}/approve`,
      { csrf },
      { cookie },
    );
    expect(res.statusCode).toBe(303);
    const part = (await latest())!;
    expect(part).toMatchObject({ version: before + 1, kind: 'rekey' });
    const keys = (JSON.parse(part.manifest) as { keys: { terminalId: string }[] }).keys;
    expect(keys.map((k) => k.terminalId).sort()).toEqual(
      [approved.terminalId, waiting.terminalId].sort(),
    );
    const { page } = await pull(waiting);
    expect(page.shard?.parts.at(-1)?.version).toBe(before + 1);
    expect(page.palmPay).toMatchObject({ approved: true, approvedBy: 'Test Manager (mgr)' });
    const audit = await cloud.db.query<{ actor: string; at: Date }>(
      `SELECT actor, at FROM admin_audit WHERE action = 'lane.shard-approved' AND subject = $1`,
      [waiting.terminalId],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]!.actor).toBe('Test Manager (mgr)');
    expect(Date.now() - audit.rows[0]!.at.getTime()).toBeLessThan(60_000);
    expect((await dashboardPage(cloud, STORE, cookie)).html).toContain(
      'approved by Test Manager (mgr)',
    );
  });

  it('revoking a lane re-keys the shard before the answer: its key is absent from the rekey', async () => {
    const before = (await latest())!.version;
    const cookie = await managerLogin(cloud, STORE);
    const { csrf } = await dashboardPage(cloud, STORE, cookie);
    const res = await dashboardPost(
      cloud,
      `/dashboard/${STORE}/lanes/${waiting.terminalId}/revoke`,
      { csrf },
      { cookie },
    );
    expect(res.statusCode).toBe(303);
    const part = (await latest())!;
    expect(part).toMatchObject({ version: before + 1, kind: 'rekey' });
    const keys = (JSON.parse(part.manifest) as { keys: { terminalId: string }[] }).keys;
    expect(keys.map((k) => k.terminalId)).toEqual([approved.terminalId]);
    expect((await pull(waiting)).status).toBe(403);
    const audit = await cloud.db.query<{ actor: string }>(
      `SELECT actor FROM admin_audit WHERE action = 'lane.revoked' AND subject = $1`,
      [waiting.terminalId],
    );
    expect(audit.rows.map((a) => a.actor)).toEqual(['Test Manager (mgr)']);
  });

  it('an attendant cannot log in to approve; a manager cannot approve another store’s lane', async () => {
    const attendant = await dashboardPost(cloud, '/dashboard/login', {
      storeId: STORE,
      staffId: TEST_ATTENDANT.id,
      passcode: TEST_ATTENDANT.passcode,
    });
    expect(attendant.statusCode).toBe(401);
    await testStore(cloud.db, 'approval-t', 'us', { staff: true });
    const other = await lane('lane-other', 'approval-t');
    const cookie = await managerLogin(cloud, STORE);
    const { csrf } = await dashboardPage(cloud, STORE, cookie);
    for (const url of [
      `/dashboard/approval-t/lanes/${other.terminalId}/approve`,
      `/dashboard/${STORE}/lanes/${other.terminalId}/approve`,
    ]) {
      const res = await dashboardPost(cloud, url, { csrf }, { cookie });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(403);
    }
    expect((await pull(other)).page.palmPay?.approved).toBe(false);
  });
});

describe('automatic approval is the demo store’s own setting', () => {
  it('a store with it approves its lanes at provisioning and says so; others never do', async () => {
    await createStore(cloud.db, {
      id: 'approval-auto',
      name: 'Auto',
      profileId: 'us',
      autoApproveLanes: true,
    });
    const t = await lane('lane-auto', 'approval-auto');
    const { page } = await pull(t);
    expect(page.settings?.autoApproveLanes).toBe(true);
    expect(page.palmPay).toMatchObject({
      approved: true,
      approvedBy: AUTO_APPROVER,
      automatic: true,
    });
    // The admin API cannot give a store the setting.
    const put = await cloud.app.inject({
      method: 'PUT',
      url: `/v1/admin/stores/${STORE}/settings`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
      payload: { autoApproveLanes: true },
    });
    expect(put.statusCode).toBe(400);
    expect((await storeSettings(cloud.db, STORE)).autoApproveLanes).toBeUndefined();
  });

  it('the demo store has it by default, and DEMO_AUTO_APPROVE=0 turns it off', async () => {
    const id = await ensureDemoStore(cloud.db);
    expect((await storeSettings(cloud.db, id)).autoApproveLanes).toBe(true);
    await ensureDemoStore(cloud.db, { autoApproveLanes: false });
    expect((await storeSettings(cloud.db, id)).autoApproveLanes).toBeUndefined();
    const t = new TestTerminal('lane-demo');
    await t.provision(cloud, id);
    expect((await pull(t)).page.palmPay?.approved).toBe(false);
    const staff = (await storeSettings(cloud.db, id)).staff.map((s) => [s.id, s.name, s.role]);
    expect(staff).toEqual([
      ['a1', 'Alex Kim', 'attendant'],
      ['m1', 'Morgan Lee', 'manager'],
    ]);
  });
});
