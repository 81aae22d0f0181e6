import { escapeHtml as e, layout } from './html';
import type { DashboardActor } from './sessions';
import { actorName } from './sessions';

/**
 * The dashboard's pages other than the store overview: login, the login link's confirmation,
 * a provisioning code shown once, and messages. No script anywhere; every value escaped.
 */

/** The signed-in person and a log-out button (a POST, so a link elsewhere cannot log anyone out). */
export function whoBar(actor: DashboardActor, csrf: string): string {
  return `<form class="inline" method="post" action="/dashboard/logout">
<span>Logged in as <strong>${e(actorName(actor))}</strong></span>
<input type="hidden" name="csrf" value="${e(csrf)}"> <button type="submit">Log out</button></form>`;
}

export function loginPage(o: { storeId?: string; message?: string } = {}): string {
  return layout(
    'Store dashboard — log in',
    `<h1>Store dashboard</h1>
${o.message ? `<p class="error" role="alert">${e(o.message)}</p>` : ''}
<form method="post" action="/dashboard/login">
<label for="store">Store</label><input id="store" name="storeId" required value="${e(o.storeId ?? '')}" autocomplete="organization">
<label for="staff">Staff id</label><input id="staff" name="staffId" required autocomplete="username">
<label for="passcode">Passcode</label><input id="passcode" name="passcode" type="password" inputmode="numeric" required autocomplete="current-password">
<p><button type="submit">Log in</button></p>
</form>
<p>Managers log in with their own staff id and passcode. The cloud's operator uses the one-time
login link the cloud prints when it starts (or asks the admin API for a new one).</p>`,
  );
}

export function linkPage(token: string): string {
  return layout(
    'Store dashboard — operator login',
    `<h1>Operator login</h1>
<p>This one-time link logs you in to the store dashboard as the cloud's operator. It works once.</p>
<form method="post" action="/dashboard/link"><input type="hidden" name="token" value="${e(token)}">
<button type="submit">Log in as the operator</button></form>`,
  );
}

export function messagePage(title: string, message: string, back = '/dashboard'): string {
  return layout(
    title,
    `<h1>${e(title)}</h1><p class="error" role="alert">${e(message)}</p><p><a href="${e(back)}">Back</a></p>`,
  );
}

export function codePage(o: {
  storeId: string;
  storeName: string;
  code: string;
  expiresAt: string;
  issuedBy: string;
}): string {
  return layout(
    `${o.storeName} — provisioning code`,
    `<h1>Provisioning code for ${e(o.storeName)}</h1>
<p class="code" data-testid="provisioning-code">${e(o.code)}</p>
<p>Type it into the new lane (Manager → Connect this lane to the store cloud). It works once and
expires at ${e(o.expiresAt)} (15 minutes). Issued by ${e(o.issuedBy)}. This page shows it only once.</p>
<p><a href="/dashboard/${e(o.storeId)}">Back to the dashboard</a></p>`,
  );
}

export function storeListPage(
  stores: readonly { id: string; name: string }[],
  actor: DashboardActor,
  csrf: string,
): string {
  return layout(
    'Store dashboard — stores',
    `<header><h1>Stores</h1>${whoBar(actor, csrf)}</header>
<ul>${stores.map((s) => `<li><a href="/dashboard/${e(s.id)}">${e(s.name)}</a> (${e(s.id)})</li>`).join('')}</ul>`,
  );
}
