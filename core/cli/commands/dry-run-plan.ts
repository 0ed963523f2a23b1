/**
 * `sync --dry-run`: says it was a dry run, then lists what each side would get, record by record, from
 * the engine's plan (the writes it decided and did not send). `--json` prints the same as one object.
 * Fields are named as the CRM record's messages name them (the CRM's labels, `Amount`; one it has no field
 * for spelt out, `CRM ID`): until 2026-12-06 the text showed the engine's paths (`update crmId`), which the
 * rest of the output never uses. The JSON keeps the canonical paths, for scripts.
 */
import type { PlannedChange } from '../../engine/dry-run-plan.js';
import type { RunReport } from '../../engine/sync-engine.js';
import { terminalSafe } from '../../errors.js';
import { fieldLabels, type FieldLabels } from '../../rules/field-labels.js';
import { terminalJson } from '../output.js';

const SIDE = { 'partner-center': 'Partner Center', crm: 'CRM' } as const;

function line(p: PlannedChange, labels: FieldLabels): string {
  const who = [p.crmId ? `CRM ${p.crmId}` : undefined, p.referralId ? `referral ${p.referralId}` : undefined].filter(Boolean).join(', ');
  const name = p.dealName ? `"${p.dealName}"` : '';
  const what = p.kind === 'create' ? 'create' : p.kind === 'update' ? `update ${fieldLabels(p.fields ?? [], labels)}` : `status ${p.state ?? ''}`.trim();
  return `  ${what.padEnd(10)} ${name}${who ? ` (${who})` : ''}`;
}

export function dryRunPlanText(report: RunReport, labels: FieldLabels = {}): string {
  const plan = report.plan ?? [];
  const out = [`DRY RUN: nothing was written to Partner Center, the CRM or the state store. A real run from this state would make ${plan.length} write(s).`];
  for (const side of ['partner-center', 'crm'] as const) {
    const items = plan.filter((p) => p.side === side);
    const count = (k: PlannedChange['kind']) => items.filter((p) => p.kind === k).length;
    out.push(`${SIDE[side]} would get ${count('create')} create(s), ${count('update')} update(s), ${count('status')} status write(s)${items.length ? ':' : '.'}`);
    for (const p of items) out.push(line(p, labels));
  }
  if (report.message) out.push(report.message);
  return out.join('\n');
}

export function printDryRunPlan(report: RunReport, json: boolean, labels: FieldLabels): void {
  // The plan quotes CRM and Partner Center values: nothing in them may drive the terminal.
  if (json) console.log(terminalJson({ dryRun: true, outcome: report.outcome, counts: report.counts, plan: report.plan ?? [] }));
  else console.log(terminalSafe(dryRunPlanText(report, labels)));
}
