/**
 * The page shell: header with the signed-in admin (or a sign-in link), the flash message, the panels,
 * and a few lines of script (with a per-response nonce) that refresh the panels every 30 seconds and stop
 * double submits. Security headers go with every page: a strict CSP, no framing, no referrer.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { html, raw, when, type Html } from './html.js';
import { conflictsPanel, healthPanel, inboundPanel, parkedPanel, pipelinePanel, runsPanel, summaryCards, type Viewer } from './panels.js';
import type { DashboardData } from './queries.js';
import { DASHBOARD_CSS } from './styles.js';

const REFRESH_SCRIPT = `
document.querySelectorAll('form[data-enhance]').forEach(function (f) { f.addEventListener('submit', function () { var b = f.querySelector('button'); if (b) { b.disabled = true; b.textContent = 'Working…'; } }); });
setInterval(function () {
  if (document.activeElement && document.activeElement.closest && document.activeElement.closest('form')) return;
  var query = new URLSearchParams(location.search); query.set('fragment', '1');
  fetch('?' + query.toString(), { credentials: 'same-origin' }).then(function (r) { return r.ok ? r.text() : null; }).then(function (t) { if (t) { var live = document.getElementById('live'); if (live) live.innerHTML = t; } }).catch(function () {});
}, 30000);`;

function securityHeaders(reply: FastifyReply, nonce?: string): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'${nonce ? `; script-src 'nonce-${nonce}'` : ''}`)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

function shell(title: string, header: Html, body: Html, nonce?: string): Html {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${raw(DASHBOARD_CSS)}</style></head>
<body>${header}<main>${body}</main>${nonce ? html`<script nonce="${nonce}">${raw(REFRESH_SCRIPT)}</script>` : ''}</body></html>`;
}

/** The panels alone (what the 30-second refresh replaces). */
export function livePanels(data: DashboardData, viewer: Viewer, crmName: string): Html {
  return html`${summaryCards(data)}<div class="grid">${pipelinePanel(data)}${inboundPanel(data, viewer, crmName)}${parkedPanel(data, viewer)}${conflictsPanel(data, viewer)}${healthPanel(data)}${runsPanel(data, crmName)}</div>
<p class="muted" style="margin-top:1rem">Updated ${when(data.generatedAt)}.</p>`;
}

/** What sits in the header beside the title: a multi-tenant dashboard's picker. */
export interface PageChrome {
  picker?: Html;
  flash?: { ok: boolean; text: string };
}

export function dashboardPage(reply: FastifyReply, data: DashboardData, viewer: Viewer, crmName: string, chrome: PageChrome = {}): FastifyReply {
  const { flash, picker } = chrome;
  const nonce = randomBytes(16).toString('base64');
  const who = viewer.user
    ? html`<div class="who"><span>Signed in as <strong>${viewer.user}</strong></span><form method="post" action="auth/sign-out"><input type="hidden" name="csrf" value="${viewer.csrf ?? ''}"><button class="link" type="submit">Sign out</button></form></div>`
    : viewer.signInAvailable
      ? html`<div class="who"><span>Read-only</span><a href="auth/sign-in">Sign in</a></div>`
      : html`<div class="who"><span>Read-only</span></div>`;
  const header = html`<header class="top"><div><h1>Co-sell status</h1><div class="sub">cosell-connector · ${crmName} ⇄ Partner Center</div></div>${picker ?? ''}${who}</header>`;
  const message = flash ? html`<div class="flash ${flash.ok ? 'ok' : 'bad'}" role="status">${flash.text}</div>` : '';
  return securityHeaders(reply, nonce).send(shell('Co-sell status · cosell-connector', header, html`${message}<div id="live">${livePanels(data, viewer, crmName)}</div>`, nonce).text);
}

/** A multi-tenant dashboard before a tenant is chosen: the list of tenants. */
export function tenantsPage(reply: FastifyReply, list: Html): FastifyReply {
  return securityHeaders(reply).send(shell('Tenants · cosell-connector', html`<header class="top"><div><h1>Co-sell status</h1><div class="sub">cosell-connector · every tenant</div></div></header>`, list).text);
}

export function messagePage(reply: FastifyReply, status: number, title: string, body: Html): FastifyReply {
  return securityHeaders(reply.code(status)).send(shell(title, html`<header class="top"><div><h1>Co-sell status</h1></div></header>`, html`<section class="panel"><h2>${title}</h2>${body}</section>`).text);
}

export function fragment(reply: FastifyReply, panels: Html): FastifyReply {
  return securityHeaders(reply).send(panels.text);
}
