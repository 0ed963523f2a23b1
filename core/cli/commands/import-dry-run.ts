/**
 * `import --dry-run`: says it was a dry run, then what a real import of the file would do, row by row,
 * from the check phase's plans (the same plans a real import carries out).
 */
import type { ImportResult } from '../../csv/import.js';
import type { RowPlan } from '../../csv/plan.js';
import { changedPaths } from '../../model/index.js';

function rowLine(plan: RowPlan): string {
  const at = `  row ${plan.row.row}:`;
  const problems = plan.errors.map((e) => `${e.column ?? e.field ?? ''}${e.column || e.field ? ': ' : ''}${e.message} [${e.code}]`);
  const warnings = problems.length && plan.kind !== 'refused' ? ` (warning: ${problems.join('; ')})` : '';
  switch (plan.kind) {
    case 'create':
      return `${at} create "${plan.referral.dealName}"${warnings}`;
    case 'update':
      return `${at} update referral ${plan.previous.referralId ?? '?'} "${plan.next.dealName}": ${changedPaths(plan.previous, plan.next).join(', ')}${warnings}`;
    case 'unchanged':
      return `${at} unchanged${plan.referral.referralId ? ` referral ${plan.referral.referralId}` : ''} "${plan.referral.dealName}"${warnings}`;
    case 'refused':
      return `${at} not processed: ${problems.join('; ')}`;
    case 'empty':
      return `${at} empty: nothing to import`;
  }
}

export function importDryRunText(result: ImportResult): string {
  const s = result.summary;
  const out = [
    'DRY RUN: nothing was sent to Partner Center.',
    result.fileErrors.length > 0
      ? 'A real import would refuse the whole file.'
      : `A real import of this file would create ${s.created}, update ${s.updated}, leave ${s.unchanged} unchanged, skip ${s.empty} empty row(s) and not process ${s.notProcessed}:`,
  ];
  for (const plan of result.plans) out.push(rowLine(plan));
  return out.join('\n');
}
