/**
 * `cosell explain`'s "the next sync would …", read from a dry run of the one record (core/engine/
 * record-preview.ts): the values each side would get, and the sync state the record would then show when
 * it is not plain "synced" (held, conflict, error: why something is not sent), or is *synced* with a note
 * naming a rule (a seller's edit put back or not sent: an invitation that cannot be withdrawn, a field only
 * Partner Center writes, a close Partner Center's final state replaced).
 */
import type { PlannedChange } from '../../engine/dry-run-plan.js';

export interface NextSync {
  nextSync: { toPartnerCenter: Record<string, unknown>; toCrm: Record<string, unknown> };
  /** The state the record would show after the sync, when it is not "synced" or carries a rule's note. */
  recordWouldShow?: { state: string; message?: string };
  /** The dry run's writes for this record, as `sync --dry-run` lists them. */
  plan: PlannedChange[];
}

/** A message that names a rule (`[invitation.cannot_withdraw]`): what a seller is told beside "synced". */
const RULE_NOTE = /\[[a-z_]+(\.[a-z_]+)+\]/;

export function nextSyncOf(plan: readonly PlannedChange[]): NextSync {
  const toPartnerCenter: Record<string, unknown> = {};
  const toCrm: Record<string, unknown> = {};
  let shown: NextSync['recordWouldShow'];
  for (const change of plan) {
    if (change.kind === 'update') Object.assign(change.side === 'crm' ? toCrm : toPartnerCenter, change.values ?? {});
    const told = change.state !== 'synced' || RULE_NOTE.test(change.message ?? '');
    if (change.side === 'crm' && change.kind !== 'create' && change.state && told) shown = { state: change.state, ...(change.message ? { message: change.message } : {}) };
  }
  return { nextSync: { toPartnerCenter, toCrm }, ...(shown ? { recordWouldShow: shown } : {}), plan: [...plan] };
}

/**
 * For a CRM record without a link: what the dry run did with it, in the words `explain` uses (`otherwise`:
 * the merge-free reading, for a record the run leaves alone).
 */
export function unlinkedNextSync(otherwise: string, plan: readonly PlannedChange[]): Omit<NextSync, 'nextSync'> & { nextSync: string } {
  const { recordWouldShow } = nextSyncOf(plan);
  const nextSync = plan.some((p) => p.side === 'partner-center' && p.kind === 'create')
    ? 'create a referral in Partner Center'
    : recordWouldShow?.state === 'error'
      ? 'park it with the reasons below, written onto the record'
      : otherwise;
  return { nextSync, ...(recordWouldShow ? { recordWouldShow } : {}), plan: [...plan] };
}

/** For a referral without a link: what the dry run did with it. */
export function referralNextSync(plan: readonly PlannedChange[]): string {
  const created = plan.find((p) => p.side === 'crm' && p.kind === 'create');
  if (created) return 'create a CRM opportunity for it (an inbound referral, or one carrying a CRM ID of yours)';
  if (plan.some((p) => p.side === 'partner-center' || p.side === 'crm')) return `make ${plan.length} write(s) for it (cosell sync --once --dry-run lists them)`;
  return 'nothing: it is not an inbound referral and names no CRM record of yours, or the CRM record it names cannot take it (see cosell status)';
}
