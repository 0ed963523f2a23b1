/**
 * The dashboard's panels as HTML: pipeline, inbound referrals waiting, open conflicts, parked records,
 * last runs and service health. Actions are plain forms (POST with the CSRF token), so everything works
 * without JavaScript; they are shown only to a signed-in admin.
 */
import { responseFieldLabelOf } from '../../connectors/registry.js';
import { pipelineChart, runsChart, timeLeftBar } from './charts.js';
import { duration, html, money, when, type Html } from './html.js';
import type { DashboardData, RunView } from './queries.js';

export interface Viewer {
  /** The signed-in admin's name; absent when reading anonymously. */
  user?: string;
  csrf?: string;
  signInAvailable: boolean;
  recordUrl(crmId: string): string | undefined;
  /** Why no action is offered whoever reads (a tenant's panels); absent when actions depend on sign-in. */
  actionsUnavailable?: string;
}

const BADGE: Record<string, string> = { ok: 'ok', partial: 'warn', paused: 'warn', failed: 'bad' };
const badge = (text: string, kind: string) => html`<span class="badge ${kind}">${text}</span>`;

function recordLink(viewer: Viewer, crmId: string, label: string): Html {
  const url = viewer.recordUrl(crmId);
  return url ? html`<a href="${url}" rel="noopener" target="_blank">${label}</a>` : html`${label}`;
}

function actionForm(viewer: Viewer, action: string, label: string, secondary = false, fields: Record<string, string> = {}): Html {
  if (!viewer.user || !viewer.csrf || viewer.actionsUnavailable) return html``;
  return html`<form method="post" action="${action}" data-enhance><input type="hidden" name="csrf" value="${viewer.csrf}">${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit"${secondary ? html` class="secondary"` : ''}>${label}</button></form>`;
}

const signInNote = (viewer: Viewer) =>
  viewer.actionsUnavailable ? html`<p class="signin-note">${viewer.actionsUnavailable}</p>` : viewer.user ? html`` : viewer.signInAvailable ? html`<p class="signin-note"><a href="auth/sign-in">Sign in</a> as an admin to act on these.</p>` : html`<p class="signin-note">Actions need sign-in, which is not configured (the <code>dashboard.signIn</code> section).</p>`;

export function summaryCards(data: DashboardData): Html {
  const last = data.runs[0];
  const { pipeline } = data;
  const card = (label: string, figure: Html | string, id: string) => html`<div class="card" id="${id}"><div class="label">${label}</div><div class="figure">${figure}</div></div>`;
  return html`<div class="cards">
${card('Last run', last ? badge(last.outcome ?? 'running', BADGE[last.outcome ?? ''] ?? 'neutral') : html`<span class="muted">none yet</span>`, 'card-last-run')}
${card('Parked records', String(data.parked.length), 'card-parked')}
${card('Open conflicts', String(data.conflicts.length), 'card-conflicts')}
${card('Inbound waiting', String(data.inbound.length), 'card-inbound')}
${card('Weighted pipeline', money(Math.round(pipeline.weightedValue), pipeline.currency), 'card-weighted')}
</div>`;
}

export function pipelinePanel(data: DashboardData): Html {
  const { pipeline } = data;
  return html`<section class="panel wide" id="pipeline" aria-labelledby="pipeline-h"><h2 id="pipeline-h">Pipeline by sales stage</h2>
<p class="hint">${pipeline.totalCount} open or won deals, ${money(pipeline.totalValue, pipeline.currency)} in total, ${money(Math.round(pipeline.weightedValue), pipeline.currency)} weighted by Partner Center's stage percentages.</p>
${pipelineChart(pipeline.stages, pipeline.currency)}
<div class="legend"><span><i style="background:var(--bar)"></i>Value</span><span><i style="background:var(--bar-dark)"></i>Weighted value</span></div>
<div class="table-wrap"><table><thead><tr><th>Stage</th><th class="num">%</th><th class="num">Deals</th><th class="num">Inbound</th><th class="num">Outbound</th><th class="num">Value</th><th class="num">Weighted</th></tr></thead><tbody>
${pipeline.stages.map((s) => html`<tr data-stage="${s.stage}"><td>${s.stage}</td><td class="num">${s.percent}</td><td class="num">${s.count}</td><td class="num">${s.inbound}</td><td class="num">${s.outbound}</td><td class="num">${money(s.value, pipeline.currency)}</td><td class="num">${money(Math.round(s.weighted), pipeline.currency)}</td></tr>`)}
</tbody></table></div></section>`;
}

export function inboundPanel(data: DashboardData, viewer: Viewer, crmName: string): Html {
  const rows = data.inbound.map(
    (r) => html`<tr data-referral="${r.referralId}"><td>${recordLink(viewer, r.crmId, r.dealName)}<div class="muted">${r.customer}</div></td><td class="num">${r.value !== undefined ? money(r.value, r.currency) : '—'}</td>
<td><strong class="time-left-text">${r.timeLeft}</strong> left ${r.msLeft < 48 * 3_600_000 ? badge('under 48 h', 'bad') : ''}${timeLeftBar(r.msLeft)}<div class="muted">answer by ${when(r.expiresAt)}</div></td></tr>`,
  );
  return html`<section class="panel narrow" id="inbound" aria-labelledby="inbound-h"><h2 id="inbound-h">Inbound referrals waiting for an answer</h2>
<p class="hint">Accept or decline in ${crmName} ("${responseFieldLabelOf(crmName)}") within 14 days, or Partner Center archives the referral as Expired.</p>
${data.inbound.length ? html`<div class="table-wrap"><table><thead><tr><th>Deal</th><th class="num">Value</th><th>Time left of 14 days</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">No inbound referral is waiting.</p>`}
</section>`;
}

export function conflictsPanel(data: DashboardData, viewer: Viewer): Html {
  const items = data.conflicts.map(
    (c) => html`<article class="conflict" data-conflict="${c.id}"><h3>${recordLink(viewer, c.crmId, c.dealName)} <span class="muted">· conflict ${c.id} · ${when(c.detectedAt)}</span></h3>
<div class="table-wrap"><table><thead><tr><th>Field</th><th>Last synced</th><th>CRM</th><th>Partner Center</th></tr></thead><tbody>
${c.fields.map((f) => html`<tr><td><code>${f.field}</code></td><td class="muted">${f.base}</td><td>${f.crm}</td><td>${f.partnerCenter}</td></tr>`)}
</tbody></table></div>
<div class="actions">${actionForm(viewer, `conflicts/${c.id}/resolve`, 'Take CRM', false, { take: 'crm' })}${actionForm(viewer, `conflicts/${c.id}/resolve`, 'Take Partner Center', true, { take: 'partner-center' })}</div></article>`,
  );
  return html`<section class="panel half" id="conflicts" aria-labelledby="conflicts-h"><h2 id="conflicts-h">Open conflicts</h2>
<p class="hint">Both sides changed the same fields since the last sync. The chosen side's values are sent to the other side by the next sync.</p>
${items.length ? items : html`<p class="empty">No open conflicts.</p>`}${items.length ? signInNote(viewer) : ''}</section>`;
}

export function parkedPanel(data: DashboardData, viewer: Viewer): Html {
  const rows = data.parked.map(
    (p) => html`<tr data-parked="${p.side}:${p.recordId}"><td>${p.side === 'crm' ? 'CRM' : 'Partner Center'}</td><td>${p.side === 'crm' ? recordLink(viewer, p.recordId, p.name ?? p.recordId) : html`${p.name ?? p.recordId}`}<div class="muted"><code>${p.recordId}</code></div></td>
<td><code>${p.field}</code></td><td><code>${p.rule}</code></td><td>${p.message}</td><td class="num">${p.attempts}</td><td>${p.retryAt ? (p.retryAt <= data.generatedAt ? html`<strong>due</strong> <span class="muted">(next sync)</span>` : when(p.retryAt)) : html`<span class="muted">when changed</span>`}${actionForm(viewer, `parked/${p.side}/${encodeURIComponent(p.recordId)}/retry`, 'Retry now', true)}</td></tr>`,
  );
  return html`<section class="panel" id="parked" aria-labelledby="parked-h"><h2 id="parked-h">Parked records</h2>
<p class="hint">Records that could not sync, with the rule they broke. Each is retried when it changes; "Retry now" tries it on the next sync.</p>
${rows.length ? html`<div class="table-wrap"><table><thead><tr><th>Side</th><th>Record</th><th>Field</th><th>Rule</th><th>Message</th><th class="num">Tries</th><th>Next retry</th></tr></thead><tbody>${rows}</tbody></table></div>${signInNote(viewer)}` : html`<p class="empty">Nothing is parked.</p>`}
</section>`;
}

const perSide = (run: RunView, crm: string, pc: string) => `${run.counts[crm] ?? 0} / ${run.counts[pc] ?? 0}`;
const written = (run: RunView, side: 'crm' | 'pc') => (run.counts[`${side}Created`] ?? 0) + (run.counts[`${side}Updated`] ?? 0) + (side === 'crm' ? run.counts.statusWritten ?? 0 : 0);

export function runsPanel(data: DashboardData, crmName: string): Html {
  const rows = data.runs.map(
    (r) => html`<tr data-run="${r.id}"><td>${when(r.startedAt)}</td><td class="num">${duration(r.durationMs)}</td><td class="num">${perSide(r, 'crmRead', 'pcRead')}</td><td class="num">${written(r, 'crm')} / ${written(r, 'pc')}</td>
<td>${badge(r.outcome ?? 'running', BADGE[r.outcome ?? ''] ?? 'neutral')}${r.message ? html`<div class="muted">${r.message}</div>` : ''}</td></tr>`,
  );
  return html`<section class="panel" id="runs" aria-labelledby="runs-h"><h2 id="runs-h">Last runs</h2>
${data.runs.length ? html`${runsChart(data.runs)}<div class="table-wrap"><table><thead><tr><th>Started</th><th class="num">Took</th><th class="num">Read ${crmName} / PC</th><th class="num">Written ${crmName} / PC</th><th>Outcome</th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="empty">No run yet.</p>`}
</section>`;
}

export function healthPanel(data: DashboardData): Html {
  const r = data.readiness;
  const body = r
    ? html`<p>${badge(r.ready ? 'ready' : 'not ready', r.ready ? 'ok' : 'bad')}</p><div class="table-wrap"><table><tbody>${r.checks.map((c) => html`<tr data-check="${c.name}"><td>${c.name}</td><td>${badge(c.ok ? 'ok' : 'failing', c.ok ? 'ok' : 'bad')}</td><td>${c.detail}</td></tr>`)}</tbody></table></div>`
    : html`<p class="empty">Webhook and poll health is shown when the dashboard runs inside <code>cosell serve</code>.</p>`;
  const notices = data.notices.length
    ? html`<h2 style="margin-top:1rem">Recent notifications</h2><div class="table-wrap"><table><tbody>${data.notices.map((n) => html`<tr><td><code>${n.kind}</code></td><td>${when(n.createdAt)}</td><td>${n.sentAt ? badge('sent', 'ok') : badge('waiting', 'neutral')}</td></tr>`)}</tbody></table></div>`
    : '';
  return html`<section class="panel half" id="health" aria-labelledby="health-h"><h2 id="health-h">Service health</h2><p class="hint">${r?.source ?? html`Webhooks and polling, from <code>/readyz</code>.`}</p>${body}${notices}</section>`;
}
