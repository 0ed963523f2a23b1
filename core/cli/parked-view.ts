/**
 * The parked records and pending creates as `cosell status` shows them: for each parked record, which
 * side it lives on, the record and deal name, where it could not be written, every reason (field, rule,
 * the service's message), how many attempts were made and when the next retry is. Pure apart from the
 * store reads, so the text and the JSON are tested without a terminal. The reads are the asynchronous
 * store's (a single install's SQLite file or one tenant in PostgreSQL: one code path for both).
 */
import type { StoreReads } from '../store/store-reads.js';
import type { CreateIntent, ParkedRecord, Side } from '../store/state-store.js';

export interface ParkedReason {
  field: string;
  rule: string;
  message: string;
}

export interface ParkedEntry {
  /** Where the record lives: `crm` (a CRM record) or `partner-center` (a referral). */
  side: Side;
  recordId: string;
  name?: string;
  /** What could not happen: sent to Partner Center, written to the CRM, or read at all. */
  blocked: 'not-sent-to-partner-center' | 'not-written-to-crm' | 'unreadable';
  /** The first reason, flattened for scripts; `reasons` has every one. */
  field: string;
  rule: string;
  message: string;
  reasons: ParkedReason[];
  attempts: number;
  parkedAt: string;
  /** When it is tried again if nothing changes (absent: only when the record changes). */
  retryAt?: string;
}

export interface PendingCreate extends CreateIntent {
  /** What is being created: a CRM opportunity for a referral, or a referral for a CRM record. */
  creating: 'crm-opportunity' | 'partner-center-referral';
  name?: string;
}

type NameReads = Pick<StoreReads, 'getLinkByCrmId' | 'getLinkByReferralId'>;

async function nameOf(store: NameReads, side: Side, recordId: string, known?: string): Promise<string | undefined> {
  if (known) return known;
  const link = side === 'crm' ? await store.getLinkByCrmId(recordId) : await store.getLinkByReferralId(recordId);
  return link?.base.dealName || undefined;
}

export async function parkedEntry(store: NameReads, record: ParkedRecord): Promise<ParkedEntry> {
  const reasons = record.reasons.map((r) => ({ field: r.field, rule: r.code, message: r.message }));
  const first = reasons[0] ?? { field: '', rule: '', message: '' };
  const name = await nameOf(store, record.side, record.recordId, record.name);
  const blocked = record.side === 'crm' ? 'not-sent-to-partner-center' : reasons.every((r) => r.rule.startsWith('mapping.')) ? 'unreadable' : 'not-written-to-crm';
  return {
    side: record.side, recordId: record.recordId, ...(name ? { name } : {}), blocked, ...first, reasons,
    attempts: record.attempts, parkedAt: record.parkedAt, ...(record.retryAt ? { retryAt: record.retryAt } : {}),
  };
}

export async function parkedEntries(store: Pick<StoreReads, 'listParked'> & NameReads, limit = 50): Promise<ParkedEntry[]> {
  return Promise.all((await store.listParked({ limit })).map((p) => parkedEntry(store, p)));
}

export async function pendingCreates(store: Pick<StoreReads, 'listIntents' | 'getParked'> & NameReads): Promise<PendingCreate[]> {
  const intents = await store.listIntents();
  return Promise.all(
    intents.map(async (intent): Promise<PendingCreate> => {
      // A CRM create is for a referral (sourceId); a referral create is for a CRM record (sourceId).
      const side: Side = intent.target === 'crm' ? 'partner-center' : 'crm';
      const name = await nameOf(store, side, intent.sourceId, (await store.getParked(side, intent.sourceId))?.name);
      return { ...intent, creating: intent.target === 'crm' ? 'crm-opportunity' : 'partner-center-referral', ...(name ? { name } : {}) };
    }),
  );
}

const BLOCKED_TEXT: Record<ParkedEntry['blocked'], string> = {
  'not-sent-to-partner-center': 'could not be sent to Partner Center',
  'not-written-to-crm': 'could not be written to the CRM',
  unreadable: 'could not be read from Partner Center',
};

function when(iso: string | undefined, now: Date): string {
  if (!iso) return 'when the record changes';
  return Date.parse(iso) <= now.getTime() ? `${iso} (due: the next sync)` : iso;
}

/** The human text: one block per parked record. */
export function renderParked(entries: readonly ParkedEntry[], total: number, now: Date): string[] {
  const lines = [`Parked: ${total}${total ? ' (each is retried when either side changes, and at its next retry)' : ''}`];
  for (const e of entries) {
    const what = e.side === 'crm' ? `CRM record ${e.recordId}` : `Partner Center referral ${e.recordId}`;
    lines.push(`  ${what}${e.name ? ` "${e.name}"` : ''} ${BLOCKED_TEXT[e.blocked]}`);
    for (const r of e.reasons) lines.push(`    ${r.field} [${r.rule}]: ${r.message}`);
    lines.push(`    attempts ${e.attempts}, parked since ${e.parkedAt}, next retry ${when(e.retryAt, now)}`);
  }
  if (total > entries.length) lines.push(`  … and ${total - entries.length} more`);
  return lines;
}

export function renderPendingCreates(pending: readonly PendingCreate[]): string[] {
  const lines = [`Pending creates: ${pending.length}${pending.length ? ' (recorded before the call; the next sync looks each one up before trying again)' : ''}`];
  for (const p of pending) {
    const what = p.creating === 'crm-opportunity' ? `CRM opportunity for referral ${p.sourceId}` : `Partner Center referral for CRM record ${p.sourceId}`;
    lines.push(`  ${what}${p.name ? ` "${p.name}"` : ''}: since ${p.createdAt}, attempts ${p.attempts}`);
  }
  return lines;
}
