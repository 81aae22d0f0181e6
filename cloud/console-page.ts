import { KIOSK_OFFLINE_AFTER_MS } from '../common/kiosk/wire';
import { CURRENCIES, isCurrencyCode } from '../common/money';
import { escapeHtml as e, PAGE_STYLE } from './html';
import type { KioskView } from './kiosks';

/**
 * The attendant console's page: every kiosk of the store with its light, basket and pending
 * interventions (how long each has waited), approve and deny as plain form POSTs. A small script
 * of our own (served from /console/console.js, the page's only script) keeps the list live from
 * the server-sent events stream and ticks the waiting times; without it the page still works.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

const STYLE = `${PAGE_STYLE}
.kiosks{display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
.kiosk{border:2px solid #888;border-radius:10px;padding:.8rem}.kiosk.offline{opacity:.75;border-style:dashed}
.light{display:inline-block;width:1.1rem;height:1.1rem;border-radius:50%;border:2px solid #111;vertical-align:middle;margin-right:.4rem;background:#555}
.light.green{background:#16a34a}.light.yellow{background:#facc15}.light.red,.light.flashing{background:#dc2626}
ul.iv{list-style:none;padding:0}ul.iv li{border-top:1px solid #ccc;padding:.4rem 0}
button{min-height:44px;min-width:44px}.red{color:#991b1b;font-weight:600}`;

export interface ConsolePageInput {
  readonly storeId: string;
  readonly storeName: string;
  readonly who: string;
  readonly csrf: string;
  readonly kiosks: readonly KioskView[];
  readonly notice: string | null;
}

export function kioskCard(k: KioskView, storeId: string, csrf: string, now: number): string {
  const s = k.status;
  const light = k.online ? s.light : 'off';
  const items = s.interventions
    .map((i) => {
      const waited = Math.max(0, Math.round((now - Date.parse(i.raisedAt)) / 1000));
      const decided = k.decided.includes(i.id);
      const action = `/console/${e(storeId)}/kiosks/${e(k.terminalId)}/interventions/${encodeURIComponent(i.id)}`;
      const form = (d: 'approve' | 'deny', label: string) =>
        `<form class="inline" method="post" action="${action}"><input type="hidden" name="csrf" value="${e(csrf)}"><input type="hidden" name="decision" value="${d}"><button type="submit">${label}</button></form>`;
      return `<li data-testid="console-intervention" data-kind="${e(i.kind)}"><span class="${i.severity === 'red' ? 'red' : ''}">${e(i.what)}</span> · <span data-raised="${e(i.raisedAt)}">waiting ${waited} s</span><br>${
        decided
          ? '<em>Decided — waiting for the kiosk</em>'
          : `${form('approve', 'Approve')} ${form('deny', 'Deny')}`
      }</li>`;
    })
    .join('');
  return `<section class="kiosk${k.online ? '' : ' offline'}" data-testid="console-kiosk" data-terminal="${e(k.terminalId)}" data-light="${e(light)}" data-online="${k.online}">
<h2><span class="light ${e(light)}" role="img" aria-label="Light: ${e(light)}"></span>Lane ${e(k.laneCode)} <small>· ${e(k.terminalId.slice(0, 8))}</small>${k.online ? '' : ' — <strong data-testid="console-offline">offline</strong>'}</h2>
<p>Basket: <strong data-testid="console-basket">${e(formatBasket(s.basket))}</strong> · ${s.items} item(s) · ${e(s.screen)}</p>
${s.interventions.length ? `<ul class="iv">${items}</ul>` : '<p>No interventions.</p>'}
${k.online ? '' : `<p>Last heard ${e(k.reportedAt)} (offline after ${KIOSK_OFFLINE_AFTER_MS / 1000} s of silence).</p>`}
</section>`;
}

function formatBasket(m: { amount: number; currency: string }): string {
  const digits = isCurrencyCode(m.currency) ? CURRENCIES[m.currency].exponent : 2;
  return `${(m.amount / 10 ** digits).toFixed(digits)} ${m.currency}`;
}

export function kioskCards(
  kiosks: readonly KioskView[],
  storeId: string,
  csrf: string,
  now: number,
) {
  return kiosks.length
    ? kiosks.map((k) => kioskCard(k, storeId, csrf, now)).join('\n')
    : '<p>No kiosk has reported yet.</p>';
}

export function consolePage(p: ConsolePageInput, now: number): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attendant console · ${e(p.storeName)}</title>
<style>${STYLE}</style><script src="/console/console.js" defer></script></head><body>
<header><h1>Attendant console · ${e(p.storeName)}</h1><span>${e(p.who)}
<form class="inline" method="post" action="/console/logout"><input type="hidden" name="csrf" value="${e(p.csrf)}"><button type="submit">Log out</button></form></span></header>
${p.notice ? `<p class="notice" role="status">${e(p.notice)}</p>` : ''}
<p><span data-testid="console-live" data-state="connecting">Connecting…</span></p>
<main id="kiosks" class="kiosks" data-store="${e(p.storeId)}" aria-live="polite">
${kioskCards(p.kiosks, p.storeId, p.csrf, now)}
</main></body></html>`;
}

export function consoleLoginPage(o: { storeId?: string; message?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Attendant console · log in</title><style>${STYLE}</style></head><body>
<h1>Attendant console</h1>
${o.message ? `<p class="error" role="alert">${e(o.message)}</p>` : ''}
<form method="post" action="/console/login">
<label for="storeId">Store</label><input id="storeId" name="storeId" value="${e(o.storeId ?? '')}" required>
<label for="staffId">Staff id</label><input id="staffId" name="staffId" autocomplete="username" required>
<label for="passcode">Passcode</label><input id="passcode" name="passcode" type="password" inputmode="numeric" autocomplete="current-password" required>
<p><button type="submit">Log in</button></p></form></body></html>`;
}

/**
 * The console's script: replaces the kiosk list with each `kiosks` event (HTML the server
 * rendered and escaped, for this session's CSRF token), and ticks the waiting times.
 */
export const CONSOLE_SCRIPT = `'use strict';
(function () {
  var main = document.getElementById('kiosks');
  var live = document.querySelector('[data-testid="console-live"]');
  if (!main || !window.EventSource) return;
  var es = new EventSource('/console/' + encodeURIComponent(main.dataset.store) + '/events');
  es.addEventListener('kiosks', function (ev) {
    var doc = new DOMParser().parseFromString('<main>' + JSON.parse(ev.data) + '</main>', 'text/html');
    main.replaceChildren.apply(main, Array.prototype.slice.call(doc.body.firstChild.childNodes));
    live.textContent = 'Live'; live.dataset.state = 'live';
  });
  es.onerror = function () { live.textContent = 'Reconnecting…'; live.dataset.state = 'reconnecting'; };
  setInterval(function () {
    document.querySelectorAll('[data-raised]').forEach(function (el) {
      var s = Math.max(0, Math.round((Date.now() - Date.parse(el.dataset.raised)) / 1000));
      el.textContent = 'waiting ' + s + ' s';
    });
  }, 1000);
})();
`;
