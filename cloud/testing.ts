import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { cartTotals } from '../common/cart';
import type { Money } from '../common/money';
import type { Sale, Tender } from '../common/sale';
import type { TaxClass } from '../common/tax';
import { storeProfile } from '../common/store-profile';
import {
  AUTH_HEADERS,
  canonicalRequest,
  type MutationOutcome,
  type ProvisionResponse,
  type PushResponse,
} from '../common/sync/protocol';
import { buildCloudApp, type CloudAppOptions } from './app';
import { openDatabase } from './db/open';
import type { Database } from './db/types';
import { issueProvisioningCode } from './provision';
import { createStore } from './stores';

/**
 * Test support for the cloud: a database (PGlite in memory, or a throwaway schema in the
 * PostgreSQL named by DATABASE_URL, so the same tests run on both), the app, and a terminal
 * signer written with node:crypto, independent of the renderer's Web Crypto signer.
 */
export interface TestCloud {
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly adminToken: string;
  /** The cloud's clock (signed requests from TestTerminal follow it); the real one if absent. */
  readonly now?: () => number;
  close(): Promise<void>;
}

export type TestCloudOptions = Partial<Omit<CloudAppOptions, 'db' | 'adminToken'>> & {
  /** Called after the app is built and before it is ready (hooks that spy on requests). */
  readonly beforeReady?: (app: FastifyInstance) => void;
};

export async function startTestCloud(options: TestCloudOptions = {}): Promise<TestCloud> {
  const { beforeReady, ...appOptions } = options;
  const now = options.now ?? Date.now;
  const url = process.env.DATABASE_URL;
  const schema = url ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const db = await openDatabase(url ? { databaseUrl: url, ...(schema ? { schema } : {}) } : {});
  const adminToken = randomBytes(16).toString('hex');
  const app = await buildCloudApp({
    db,
    adminToken,
    allowedOrigins: ['http://127.0.0.1:5174', 'app://terminal'],
    logger: false,
    ...appOptions,
    now,
  });
  beforeReady?.(app);
  await app.ready();
  return {
    db,
    app,
    adminToken,
    now,
    async close() {
      await app.close();
      await db.close();
      if (url && schema) {
        const { dropSchema } = await import('./db/postgres');
        await dropSchema(url, schema);
      }
    },
  };
}

/** A manager and an attendant for stores made with `{ staff: true }` (PBKDF2 costs ~0.3 s). */
export const TEST_MANAGER = {
  id: 'mgr',
  name: 'Test Manager',
  role: 'manager',
  passcode: '24681357',
} as const;
export const TEST_ATTENDANT = {
  id: 'att',
  name: 'Test Attendant',
  role: 'attendant',
  passcode: '13572468',
} as const;

export async function testStore(
  db: Database,
  id: string,
  profileId = 'us',
  o: { staff?: boolean } = {},
): Promise<void> {
  await createStore(db, {
    id,
    name: `Store ${id}`,
    profileId,
    ...(o.staff ? { staff: [TEST_MANAGER, TEST_ATTENDANT] } : {}),
    products: [
      {
        id: `${id}-p1`,
        barcode: '4006381333931',
        name: 'Apple Juice',
        price: 199,
        taxClass: 'reduced',
        minimumAge: 0,
        category: 'Drinks',
      },
      {
        id: `${id}-p2`,
        barcode: '96385074',
        name: 'Stout 4 pk',
        price: 899,
        taxClass: 'standard',
        minimumAge: 21,
        category: 'Beer',
      },
    ],
  });
}

export class TestTerminal {
  readonly privateKey: KeyObject;
  readonly publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  identity: ProvisionResponse | null = null;
  /** The id pushOne gives the next mutation. */
  nextMutationId = 1;
  constructor(readonly deviceId: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    this.publicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
  }

  get terminalId(): string {
    if (!this.identity) throw new Error('not provisioned');
    return this.identity.terminalId;
  }

  async provision(
    cloud: TestCloud,
    storeId: string,
    nextMutationId = 1,
  ): Promise<ProvisionResponse> {
    const code = await issueProvisioningCode(cloud.db, storeId);
    const res = await cloud.app.inject({
      method: 'POST',
      url: '/v1/provision',
      payload: {
        code,
        deviceId: this.deviceId,
        laneCode: 'L01',
        appVersion: 'test',
        nextMutationId,
        publicKey: this.publicJwk,
      },
    });
    if (res.statusCode !== 201) throw new Error(`provision failed: ${res.body}`);
    this.identity = res.json<ProvisionResponse>();
    this.nextMutationId = nextMutationId;
    return this.identity;
  }

  /** Signed headers for a request; every part can be overridden to test refusals. */
  headers(
    method: string,
    url: string,
    body: string,
    over: { timestamp?: string; nonce?: string; terminalId?: string; key?: KeyObject } = {},
  ): Record<string, string> {
    const timestamp = over.timestamp ?? String(Date.now());
    const nonce = over.nonce ?? randomBytes(16).toString('base64url');
    const data = canonicalRequest({
      method,
      pathAndQuery: url,
      timestamp,
      nonce,
      bodySha256Hex: createHash('sha256').update(body).digest('hex'),
    });
    const signature = sign('sha256', Buffer.from(data), {
      key: over.key ?? this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      ...(body ? { 'content-type': 'application/json' } : {}),
      [AUTH_HEADERS.terminal]: over.terminalId ?? this.terminalId,
      [AUTH_HEADERS.timestamp]: timestamp,
      [AUTH_HEADERS.nonce]: nonce,
      [AUTH_HEADERS.signature]: signature.toString('base64url'),
    };
  }

  async request(cloud: TestCloud, method: 'GET' | 'POST', url: string, payload?: unknown) {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    return cloud.app.inject({
      method,
      url,
      headers: this.headers(method, url, body, { timestamp: String((cloud.now ?? Date.now)()) }),
      ...(body ? { payload: body } : {}),
    });
  }
  /** Pushes one mutation with the next id; the cloud's outcome for it. */
  async pushOne(cloud: TestCloud, kind: string, payload: unknown): Promise<MutationOutcome> {
    const res = await this.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(this.nextMutationId, kind, payload)],
    });
    if (res.statusCode !== 200) throw new Error(`push failed: ${res.statusCode} ${res.body}`);
    this.nextMutationId++;
    return res.json<PushResponse>().results[0]!;
  }
}

let saleSeq = 0;

/**
 * A valid completed sale for a US test store: one tax-exempt line (so the total is the price),
 * totals computed by the common cart code, paid in cash.
 */
export function testSale(
  deviceId: string,
  amount = 1099,
  id = `sale-${++saleSeq}-${randomBytes(4).toString('hex')}`,
) {
  const m = (a: number) => ({ amount: a, currency: 'USD' as const });
  const lines = [
    {
      lineId: 'l1',
      productId: 'p1',
      barcode: '4006381333931',
      name: 'Apple Juice',
      unitPrice: m(amount),
      quantity: 1,
      taxClass: 'exempt' as const,
      minimumAge: 0,
      voided: false,
    },
  ];
  return {
    id,
    receiptNo: `L01-${String(saleSeq).padStart(6, '0')}`,
    terminalId: deviceId,
    currency: 'USD' as const,
    locale: 'en-US',
    lines,
    totals: cartTotals({ currency: 'USD', lines }, storeProfile('us').tax),
    tenders: [{ kind: 'cash' as const, amount: m(amount), given: m(amount), change: m(0) }],
    ageCheckedFor: 0,
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    completedAt: new Date().toISOString(),
  };
}

export function mutation(mutationId: number, kind: string, payload: unknown) {
  return { mutationId, kind, payload, createdAt: new Date().toISOString() };
}

/**
 * A sale as a lane of a `profileId` store builds it: lines priced in the store's currency,
 * totals from the common cart code under the store's tax rules, paid with exact cash unless
 * tenders are given.
 */
export function laneSale(
  deviceId: string,
  profileId: string,
  items: readonly { price: number; quantity: number; taxClass: TaxClass }[],
  tenders?: (total: Money) => Tender[],
): Sale {
  const profile = storeProfile(profileId);
  const lines = items.map((it, i) => ({
    lineId: `l${i + 1}`,
    productId: `p${i + 1}`,
    barcode: '4006381333931',
    name: `Item ${i + 1}`,
    unitPrice: { amount: it.price, currency: profile.currency },
    quantity: it.quantity,
    taxClass: it.taxClass,
    minimumAge: 0,
    voided: false,
  }));
  const totals = cartTotals({ currency: profile.currency, lines }, profile.tax);
  const base = testSale(deviceId);
  return {
    ...base,
    currency: profile.currency,
    locale: profile.locale,
    lines,
    totals,
    tenders: tenders?.(totals.total) ?? [
      {
        kind: 'cash',
        amount: totals.total,
        given: totals.total,
        change: { ...totals.total, amount: 0 },
      },
    ],
  };
}

/** What a store has counted: a rejected mutation must leave every one of these as it was. */
export async function ledger(db: Database, storeId: string) {
  const one = async (sql: string): Promise<unknown> =>
    (await db.query<{ v: unknown }>(sql, [storeId])).rows[0]?.v;
  return {
    sales: await one('SELECT count(*)::int AS v FROM sales WHERE store_id = $1'),
    voided: await one(
      'SELECT count(*)::int AS v FROM sales WHERE store_id = $1 AND voided_at IS NOT NULL',
    ),
    tenders: await one('SELECT count(*)::int AS v FROM sale_tenders WHERE store_id = $1'),
    daily: await one(
      `SELECT coalesce(json_agg(json_build_array(day::text, currency, sales_count, gross, refunds_count, refunded)
         ORDER BY day, currency), '[]') AS v FROM store_daily_totals WHERE store_id = $1`,
    ),
    storedPayments: await one('SELECT count(*)::int AS v FROM stored_payments WHERE store_id = $1'),
    refunds: await one('SELECT count(*)::int AS v FROM sale_refunds WHERE store_id = $1'),
  };
}

/** The Origin a browser on the dashboard sends with inject's default Host (localhost:80). */
export const DASHBOARD_ORIGIN = 'http://localhost:80';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A form POST as the dashboard's own page sends it (Origin and, if given, the session cookie). */
export function dashboardPost(
  cloud: TestCloud,
  url: string,
  fields: Record<string, string>,
  o: { cookie?: string; origin?: string | null } = {},
) {
  return cloud.app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(o.origin === null ? {} : { origin: o.origin ?? DASHBOARD_ORIGIN }),
      ...(o.cookie ? { cookie: o.cookie } : {}),
    },
    payload: form(fields),
  });
}

/** The session cookie ("palm_session=…") a login answer set. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string {
  const set = res.headers['set-cookie'];
  const line = (Array.isArray(set) ? set : [set]).find(
    (c): c is string => typeof c === 'string' && c.startsWith('palm_session='),
  );
  if (!line) throw new Error('no session cookie was set');
  return line.split(';')[0]!;
}

/** Logs a manager in through the login form; returns the cookie. */
export async function managerLogin(
  cloud: TestCloud,
  storeId: string,
  who: { id: string; passcode: string } = TEST_MANAGER,
): Promise<string> {
  const res = await dashboardPost(cloud, '/dashboard/login', {
    storeId,
    staffId: who.id,
    passcode: who.passcode,
  });
  if (res.statusCode !== 303) throw new Error(`login failed (${res.statusCode}): ${res.body}`);
  return sessionCookie(res);
}

/** The dashboard page for a session, and the CSRF token its forms carry. */
export async function dashboardPage(cloud: TestCloud, storeId: string, cookie: string) {
  const res = await cloud.app.inject({
    method: 'GET',
    url: `/dashboard/${storeId}`,
    headers: { cookie },
  });
  const csrf = /name="csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
  return { res, html: res.body, csrf };
}
