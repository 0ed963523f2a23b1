/**
 * Charts as inline SVG (no script, no build step): a horizontal bar chart of the pipeline by stage and a
 * small bar chart of recent run durations coloured by outcome. Each chart carries a title and a text
 * description for screen readers, and the same numbers are in a table next to it.
 */
import { html, money, type Html } from './html.js';
import type { StageRow } from './pipeline.js';
import type { RunView } from './queries.js';

const BAR_HEIGHT = 22;
const GAP = 10;
const LABEL_WIDTH = 112;
const CHART_WIDTH = 560;

/** Value per stage (light bar) with the weighted value over it (dark bar). */
export function pipelineChart(stages: readonly StageRow[], currency?: string): Html {
  const max = Math.max(1, ...stages.map((s) => s.value));
  const barSpace = CHART_WIDTH - LABEL_WIDTH - 96;
  const height = stages.length * (BAR_HEIGHT + GAP) + GAP;
  const rows = stages.map((s, i) => {
    const y = GAP + i * (BAR_HEIGHT + GAP);
    const full = (s.value / max) * barSpace;
    const weighted = (s.weighted / max) * barSpace;
    return html`<g>
<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT / 2 + 5}" text-anchor="end" class="chart-label">${s.stage} ${s.percent}%</text>
<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(full, s.count ? 2 : 0).toFixed(1)}" height="${BAR_HEIGHT}" rx="3" class="bar-value"><title>${s.stage}: ${s.count} deal(s), ${money(s.value, currency)}</title></rect>
<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(weighted, s.count ? 1 : 0).toFixed(1)}" height="${BAR_HEIGHT}" rx="3" class="bar-weighted"><title>${s.stage}: weighted ${money(s.weighted, currency)}</title></rect>
<text x="${LABEL_WIDTH + full + 6}" y="${y + BAR_HEIGHT / 2 + 5}" class="chart-value">${s.count} · ${money(s.value, currency)}</text>
</g>`;
  });
  const summary = stages.map((s) => `${s.stage}: ${s.count} deals, ${money(s.value, currency)}`).join('; ');
  return html`<svg class="chart" viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-labelledby="pipeline-chart-title pipeline-chart-desc">
<title id="pipeline-chart-title">Pipeline by sales stage</title><desc id="pipeline-chart-desc">${summary}</desc>${rows}</svg>`;
}

const OUTCOME_CLASS: Record<string, string> = { ok: 'bar-ok', partial: 'bar-warn', paused: 'bar-warn', failed: 'bar-bad' };

/** Recent runs, oldest on the left: bar height = duration, colour = outcome. */
export function runsChart(runs: readonly RunView[]): Html {
  const shown = [...runs].reverse();
  const width = 320;
  const height = 64;
  const slot = width / Math.max(shown.length, 1);
  const max = Math.max(1, ...shown.map((r) => r.durationMs ?? 0));
  const bars = shown.map((run, i) => {
    const h = Math.max(3, ((run.durationMs ?? 0) / max) * (height - 4));
    return html`<rect x="${(i * slot + 2).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(slot - 4, 2).toFixed(1)}" height="${h.toFixed(1)}" rx="2" class="${OUTCOME_CLASS[run.outcome ?? ''] ?? 'bar-running'}"><title>Run ${run.id}: ${run.outcome ?? 'running'}</title></rect>`;
  });
  return html`<svg class="chart runs-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Durations of the last ${shown.length} runs, coloured by outcome">${bars}</svg>`;
}

/** How much of the 14 days is left, as a bar (red under 48 hours). */
export function timeLeftBar(msLeft: number): Html {
  const total = 14 * 86_400_000;
  const share = Math.min(1, Math.max(0, msLeft / total));
  const urgent = msLeft < 48 * 3_600_000;
  return html`<svg class="time-left" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect width="100" height="8" rx="4" class="track"/><rect width="${(share * 100).toFixed(1)}" height="8" rx="4" class="${urgent ? 'fill-urgent' : 'fill-ok'}"/></svg>`;
}
