import { createHash } from 'node:crypto';
import { escapeHtml, layout } from './html';
import type { Database } from './db/types';
import { notFound } from './errors';
import { palmAttention, type PalmAttentionRow } from './payments/attention';

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
  readonly refundsCount: number;
  readonly refunded: number;
  readonly net: number;
}

export interface StoreOverview {
  readonly storeId: string;
  readonly storeName: string;
  readonly lanes: readonly LaneRow[];
  readonly rejected: readonly RejectedRow[];
  /** The UTC day's figures per currency: sales, and refunds beside them; net = gross − refunded. */
  readonly today: readonly DayFigures[];
  /** Stored palm payments declined after the fact or waiting for the processor. */
  readonly palmAttention: readonly PalmAttentionRow[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export async function storeOverview(db: Database, storeId: string): Promise<StoreOverview> {
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
  const today = await db.query<{
    currency: string;
    sales_count: number;
    gross: number;
    refunds_count: number;
    refunded: number;
  }>(
    `SELECT currency, sales_count, gross, refunds_count, refunded FROM store_daily_totals
     WHERE store_id = $1 AND day = (now() AT TIME ZONE 'UTC')::date ORDER BY currency`,
    [storeId],
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
    today: today.rows.map((r) => ({
      currency: r.currency,
      salesCount: r.sales_count,
      gross: r.gross,
      refundsCount: r.refunds_count,
      refunded: r.refunded,
      net: r.gross - r.refunded,
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
  const palm = o.palmAttention
    .map(
      (p) =>
        `<tr><td>${e(p.laneCode)}</td><td>${e(p.state === 'declined' ? 'stored palm payment declined — contact the shopper' : 'waiting for the card processor')}</td><td><code>${e(p.customerRef ?? '—')}</code></td><td>${e(formatMinor(p.amount, p.currency))}</td><td>${e(p.saleId)}</td><td>${e(p.reason ?? '—')}</td><td>${e(p.storedAt ?? '—')}</td></tr>`,
    )
    .join('\n');
  const totals = o.today
    .map(
      (t) =>
        `<li>${t.salesCount} ${t.salesCount === 1 ? 'sale' : 'sales'}, ${e(formatMinor(t.gross, t.currency))}</li>`,
    )
    .join('');
  return layout(
    `${o.storeName} — lanes`,
    `<header><h1>${e(o.storeName)}</h1>${v.who}</header>
${v.notice ? `<p class="notice" role="status">${e(v.notice)}</p>` : ''}
<p>Today (UTC): </p><ul>${totals || '<li>no sales yet</li>'}</ul>
<form method="post" action="/dashboard/${e(o.storeId)}/provisioning-codes"><input type="hidden" name="csrf" value="${e(v.csrf)}">
<button type="submit">Issue a provisioning code</button> (one use, 15 minutes; for setting up a new lane)</form>
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
function formatMinor(amount: number, currency: string): string {
  try {
    const f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}
