import { createHash } from 'node:crypto';
import { escapeHtml, layout } from './html';
import type { Database } from './db/types';
import { dailyFigures, dayIn, storeCalendar, type DayRow } from './daily-figures';
import { notFound } from './errors';
import { palmAttention, type PalmAttentionRow } from './payments/attention';
import type { ZReport } from '../common/shift/z-report';

export interface LaneRow {
  readonly terminalId: string;
  readonly laneCode: string;
  readonly deviceId: string;
  readonly lastMutationId: number;
  readonly lastSeenAt: string | null;
  readonly heartbeatAt: string | null;
  readonly queueDepth: number | null;
  readonly oldestPendingAt: string | null;
  readonly appVersion: string | null;
  readonly scannerState: string | null;
  readonly revoked: boolean;
}

export interface RejectedRow {
  readonly laneCode: string;
  readonly mutationId: number;
  readonly kind: string;
  readonly reason: string;
  readonly processedAt: string;
}

export interface DayFigures {
  readonly currency: string;
  readonly salesCount: number;
  readonly gross: number;
  readonly voidsCount: number;
  readonly voided: number;
  readonly refundsCount: number;
  readonly refunded: number;
  readonly net: number;
}

export interface StoreOverview {
  readonly storeId: string;
  readonly storeName: string;
  readonly lanes: readonly LaneRow[];
  readonly rejected: readonly RejectedRow[];
  /** The store's IANA zone and locale: its days begin and end there (daily-figures.ts). */
  readonly timeZone: string;
  readonly locale: string;
  /** Today in the store's zone (YYYY-MM-DD). */
  readonly day: string;
  /** Today's figures per currency: sales, voids and refunds beside them; net = gross − refunded. */
  readonly today: readonly DayFigures[];
  /** Stored palm payments declined after the fact or waiting for the processor. */
  readonly palmAttention: readonly PalmAttentionRow[];
  /** The last seven days in the store's zone, oldest first. */
  readonly week: readonly DayRow[];
  /** Tills closed in the last seven days, newest first: the cloud's own Z figures. */
  readonly tills: readonly TillRow[];
}

export interface TillRow {
  readonly laneCode: string;
  readonly shiftId: string;
  readonly currency: string;
  readonly openedAt: string;
  readonly closedAt: string;
  readonly closedBy: string | null;
  readonly report: ZReport;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export async function storeOverview(
  db: Database,
  storeId: string,
  now = Date.now(),
): Promise<StoreOverview> {
  const store = await db.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [
    storeId,
  ]);
  if (!store.rows[0]) throw notFound(`Store ${storeId}`);
  const lanes = await db.query<{
    id: string;
    lane_code: string;
    device_id: string;
    last_mutation_id: number;
    last_seen_at: Date | null;
    at: Date | null;
    queue_depth: number | null;
    oldest_pending_at: Date | null;
    app_version: string | null;
    scanner_state: string | null;
    revoked_at: Date | null;
  }>(
    `SELECT t.id, t.lane_code, t.device_id, t.last_mutation_id, t.last_seen_at, t.revoked_at,
            s.at, s.queue_depth, s.oldest_pending_at, s.app_version, s.scanner_state
     FROM terminals t LEFT JOIN lane_status s ON s.terminal_id = t.id
     WHERE t.store_id = $1 ORDER BY t.lane_code, t.created_at`,
    [storeId],
  );
  const rejected = await db.query<{
    lane_code: string;
    mutation_id: number;
    kind: string;
    reason: string;
    processed_at: Date;
  }>(
    `SELECT t.lane_code, m.mutation_id, m.kind, m.reason, m.processed_at
     FROM mutations m JOIN terminals t ON t.id = m.terminal_id
     WHERE m.store_id = $1 AND m.status = 'rejected' ORDER BY m.processed_at DESC LIMIT 200`,
    [storeId],
  );
  const tills = await db.query<{
    lane_code: string;
    shift_id: string;
    currency: string;
    opened_at: Date;
    closed_at: Date;
    closed_by: string | null;
    report: ZReport;
  }>(
    `SELECT t.lane_code, s.shift_id, s.currency, s.opened_at, s.closed_at, s.closed_by, s.report
     FROM shifts s JOIN terminals t ON t.id = s.terminal_id
     WHERE s.store_id = $1 AND s.closed_at > $2 ORDER BY s.closed_at DESC LIMIT 50`,
    [storeId, new Date(now - 7 * 86_400_000)],
  );
  const { timeZone, locale } = await storeCalendar(db, storeId);
  const day = dayIn(timeZone, now);
  const week = await dailyFigures(
    db,
    storeId,
    timeZone,
    dayIn(timeZone, now - 6 * 86_400_000),
    day,
  );
  return {
    storeId,
    storeName: store.rows[0].name,
    lanes: lanes.rows.map((r) => ({
      terminalId: r.id,
      laneCode: r.lane_code,
      deviceId: r.device_id,
      lastMutationId: r.last_mutation_id,
      lastSeenAt: iso(r.last_seen_at),
      heartbeatAt: iso(r.at),
      queueDepth: r.queue_depth,
      oldestPendingAt: iso(r.oldest_pending_at),
      appVersion: r.app_version,
      scannerState: r.scanner_state,
      revoked: r.revoked_at !== null,
    })),
    rejected: rejected.rows.map((r) => ({
      laneCode: r.lane_code,
      mutationId: r.mutation_id,
      kind: r.kind,
      reason: r.reason,
      processedAt: r.processed_at.toISOString(),
    })),
    timeZone,
    locale,
    day,
    today: week
      .filter((d) => d.day === day)
      .map((d) => ({
        currency: d.currency,
        salesCount: d.salesCount,
        gross: d.gross,
        voidsCount: d.voidsCount,
        voided: d.voided,
        refundsCount: d.refundsCount,
        refunded: d.refunded,
        net: d.net,
      })),
    week,
    tills: tills.rows.map((r) => ({
      laneCode: r.lane_code,
      shiftId: r.shift_id,
      currency: r.currency,
      openedAt: r.opened_at.toISOString(),
      closedAt: r.closed_at.toISOString(),
      closedBy: r.closed_by,
      report: r.report,
    })),
    palmAttention: await palmAttention(db, storeId),
  };
}

export { escapeHtml };

function age(fromIso: string | null, now: number): string {
  if (!fromIso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Per lane: its standing as a shard recipient (shard-approval.ts), for the dashboard. */
export interface LaneTrust {
  readonly shardKey: boolean;
  readonly approvedAt: string | null;
  readonly approvedBy: string | null;
}

export async function laneTrust(db: Database, storeId: string): Promise<Map<string, LaneTrust>> {
  const r = await db.query<{
    id: string;
    has_key: boolean;
    shard_approved_at: Date | null;
    shard_approved_by: string | null;
  }>(
    `SELECT id, shard_key IS NOT NULL AS has_key, shard_approved_at, shard_approved_by
     FROM terminals WHERE store_id = $1`,
    [storeId],
  );
  return new Map(
    r.rows.map((t) => [
      t.id,
      {
        shardKey: t.has_key,
        approvedAt: iso(t.shard_approved_at),
        approvedBy: t.shard_approved_by,
      },
    ]),
  );
}

/** An approved palm scanner as the dashboard lists it (scanner-keys.ts). */
export interface ScannerRow {
  readonly serial: string;
  readonly model: string;
  /** First 16 hex digits of SHA-256 over the SEC1 key: what the lane's Settings shows. */
  readonly fingerprint: string;
  readonly approvedBy: string;
  readonly approvedAt: string;
}

export function keyFingerprint(sec1Hex: string): string {
  return createHash('sha256').update(Buffer.from(sec1Hex, 'hex')).digest('hex').slice(0, 16);
}

/** What the page needs besides the overview: who is looking, their CSRF token, lane approvals. */
export interface DashboardView {
  readonly trust: ReadonlyMap<string, LaneTrust>;
  readonly scanners: readonly ScannerRow[];
  /** The signed-in person's name and log-out form (dashboard-pages.ts whoBar). */
  readonly who: string;
  readonly csrf: string;
  readonly notice?: string | null;
}

/** A POST button for one lane action, carrying the session's CSRF token. */
function laneAction(
  o: StoreOverview,
  terminalId: string,
  action: string,
  label: string,
  csrf: string,
) {
  return `<form class="inline" method="post" action="/dashboard/${escapeHtml(o.storeId)}/lanes/${escapeHtml(terminalId)}/${action}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">${label}</button></form>`;
}

function palmPayCell(o: StoreOverview, l: LaneRow, v: DashboardView): string {
  const t = v.trust.get(l.terminalId);
  if (l.revoked) return '—';
  if (t?.approvedAt)
    return `approved by ${escapeHtml(t.approvedBy ?? '—')} at ${escapeHtml(t.approvedAt)}`;
  return `<strong>waiting for palm-pay approval</strong>${t?.shardKey ? '' : ' (no shard key yet)'}<br>${laneAction(o, l.terminalId, 'approve', 'Approve for palm pay', v.csrf)}`;
}

/**
 * The store dashboard: a server-rendered page with no script at all (it refreshes itself every
 * 15 s), so its CSP can forbid scripts entirely. Every value is escaped. Actions are POST forms
 * with the session's CSRF token.
 */
export function renderDashboard(o: StoreOverview, now: number, v: DashboardView): string {
  const e = escapeHtml;
  const lanes = o.lanes
    .map((l) => {
      const stale = !l.heartbeatAt || now - Date.parse(l.heartbeatAt) > 5 * 60_000;
      const action = l.revoked
        ? laneAction(o, l.terminalId, 'reinstate', 'Reinstate', v.csrf)
        : laneAction(o, l.terminalId, 'revoke', 'Revoke', v.csrf);
      return `<tr${stale ? ' class="stale"' : ''} data-lane="${e(l.terminalId)}"><th scope="row">${e(l.laneCode)}</th><td>${e(l.deviceId)}</td>
<td>${e(age(l.heartbeatAt, now))}</td><td>${l.queueDepth ?? '—'}</td><td>${e(age(l.oldestPendingAt, now))}</td>
<td>${l.lastMutationId}</td><td>${e(l.appVersion ?? '—')}</td><td>${e(l.scannerState ?? '—')}</td><td>${l.revoked ? 'revoked' : 'active'}</td>
<td>${palmPayCell(o, l, v)}</td><td>${action}</td></tr>`;
    })
    .join('\n');
  const rejected = o.rejected
    .map(
      (r) =>
        `<tr><td>${e(r.laneCode)}</td><td>${r.mutationId}</td><td>${e(r.kind)}</td><td>${e(r.reason)}</td><td>${e(r.processedAt)}</td></tr>`,
    )
    .join('\n');
  const scanners = v.scanners
    .map(
      (k) =>
        `<tr><td>${e(k.serial)}</td><td>${e(k.model)}</td><td><code>${e(k.fingerprint)}</code></td><td>${e(k.approvedBy)}</td><td>${e(k.approvedAt)}</td></tr>`,
    )
    .join('\n');
  const money = (n: number, c: string) => e(formatMinor(n, c, o.locale));
  const palm = o.palmAttention
    .map(
      (p) =>
        `<tr><td>${e(p.laneCode)}</td><td>${e(p.state === 'declined' ? 'stored palm payment declined — contact the shopper' : 'waiting for the card processor')}</td><td><code>${e(p.customerRef ?? '—')}</code></td><td>${money(p.amount, p.currency)}</td><td>${e(p.saleId)}</td><td>${e(p.reason ?? '—')}</td><td>${e(p.storedAt ?? '—')}</td></tr>`,
    )
    .join('\n');
  const dayName = (d: string) =>
    new Intl.DateTimeFormat(o.locale, { dateStyle: 'full', timeZone: 'UTC' }).format(
      Date.parse(`${d}T00:00:00Z`),
    );
  const totals = o.today
    .map(
      (t) =>
        `<li data-testid="today-${e(t.currency)}">${t.salesCount} ${t.salesCount === 1 ? 'sale' : 'sales'}, ${money(t.gross, t.currency)}; ${t.voidsCount} voided; ${t.refundsCount} refunded, ${money(t.refunded, t.currency)}; net ${money(t.net, t.currency)}</li>`,
    )
    .join('');
  const week = o.week
    .map(
      (d) =>
        `<tr><th scope="row">${e(dayName(d.day))}</th><td>${e(d.currency)}</td><td>${d.salesCount}</td><td>${money(d.gross, d.currency)}</td><td>${d.voidsCount} (${money(d.voided, d.currency)})</td><td>${d.refundsCount} (${money(d.refunded, d.currency)})</td><td>${money(d.net, d.currency)}</td><td>${money(d.cash, d.currency)}</td><td>${money(d.card, d.currency)}</td><td>${money(d.palm, d.currency)}</td></tr>`,
    )
    .join('\n');
  const csvFrom = o.week[0]?.day ?? o.day;
  const when = (iso: string) =>
    new Intl.DateTimeFormat(o.locale, {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: o.timeZone,
    }).format(Date.parse(iso));
  const tills = o.tills
    .map((x) => {
      const z = x.report;
      const os = z.overShort ?? 0;
      return `<tr data-testid="till-${e(x.shiftId)}"><th scope="row">${e(x.laneCode)}</th><td>${e(when(x.openedAt))}</td><td>${e(when(x.closedAt))}</td><td>${e(x.closedBy ?? '—')}</td><td>${money(z.gross, x.currency)}</td><td>${money(z.refunded, x.currency)}</td><td>${money(z.voided, x.currency)}</td><td>${money(z.expectedCash, x.currency)}</td><td>${money(z.countedCash ?? 0, x.currency)}</td><td>${os < 0 ? 'short ' : os > 0 ? 'over ' : ''}${money(os, x.currency)}</td></tr>`;
    })
    .join('\n');
  return layout(
    `${o.storeName} — lanes`,
    `<header><h1>${e(o.storeName)}</h1>${v.who}</header>
${v.notice ? `<p class="notice" role="status">${e(v.notice)}</p>` : ''}
<h2 data-testid="store-day">Today: ${e(dayName(o.day))} (${e(o.timeZone)})</h2><ul>${totals || '<li>no sales yet</li>'}</ul>
<table><caption>The last seven days, in the store's time zone</caption>
<thead><tr><th>Day</th><th>Currency</th><th>Sales</th><th>Gross</th><th>Voids</th><th>Refunds</th><th>Net</th><th>Cash</th><th>Card</th><th>Palm</th></tr></thead>
<tbody>${week || '<tr><td colspan="10">No sales in these days</td></tr>'}</tbody></table>
<form method="get" action="/dashboard/${e(o.storeId)}/days.csv">Export days as CSV from
<input type="date" name="from" value="${e(csvFrom)}" aria-label="From"> to <input type="date" name="to" value="${e(o.day)}" aria-label="To">
<button type="submit">Export CSV</button></form>
<table><caption>Tills closed in the last seven days (the cloud's Z report, from what it recorded)</caption>
<thead><tr><th>Lane</th><th>Opened</th><th>Closed</th><th>Closed by</th><th>Sales</th><th>Refunds</th><th>Voids</th><th>Expected cash</th><th>Counted</th><th>Over / short</th></tr></thead>
<tbody>${tills || '<tr><td colspan="10">None</td></tr>'}</tbody></table>
<form method="post" action="/dashboard/${e(o.storeId)}/provisioning-codes"><input type="hidden" name="csrf" value="${e(v.csrf)}">
<button type="submit">Issue a provisioning code</button> (one use, 15 minutes; for setting up a new lane)</form>
<form method="post" action="/dashboard/${e(o.storeId)}/shoppers/delete" data-testid="delete-shopper"><input type="hidden" name="csrf" value="${e(v.csrf)}">
<label>Delete a shopper's palm pay data, on their request: shopper ref (cus_…) or the phone number they enrolled with <input name="shopper" required maxlength="64" autocomplete="off"></label>
<button type="submit">Delete shopper</button></form>
<table><caption>Lanes (highlighted: no heartbeat for 5 minutes)</caption>
<thead><tr><th>Lane</th><th>Device</th><th>Last heartbeat</th><th>Queue depth</th><th>Oldest pending sale</th><th>Last mutation</th><th>App</th><th>Scanner</th><th>State</th><th>Palm pay</th><th>Actions</th></tr></thead>
<tbody>${lanes || '<tr><td colspan="11">No lanes provisioned</td></tr>'}</tbody></table>
<table><caption>Approved palm scanners</caption>
<thead><tr><th>Serial</th><th>Model</th><th>Key</th><th>Approved by</th><th>At</th></tr></thead>
<tbody>${scanners || '<tr><td colspan="5">None</td></tr>'}</tbody></table>
<table><caption>Stored palm payments needing attention (newest first)</caption>
<thead><tr><th>Lane</th><th>State</th><th>Shopper ref</th><th>Amount</th><th>Sale</th><th>Reason</th><th>Stored</th></tr></thead>
<tbody>${palm || '<tr><td colspan="7">None</td></tr>'}</tbody></table>
<table><caption>Rejected mutations (newest first)</caption>
<thead><tr><th>Lane</th><th>Mutation</th><th>Kind</th><th>Reason</th><th>Processed</th></tr></thead>
<tbody>${rejected || '<tr><td colspan="5">None</td></tr>'}</tbody></table>`,
    '15',
  );
}

/** Minor units as money for the dashboard (KRW has no minor unit; unknown codes fall back). */
function formatMinor(amount: number, currency: string, locale: string): string {
  try {
    const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}
