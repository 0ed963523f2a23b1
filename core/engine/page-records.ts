/**
 * A page's records read from the state store at once: its links, parked records, open conflicts and the
 * leads its links name, in one query each, instead of several point lookups per record (which cost more than the merge itself).
 *
 * The view answers the point lookups of the IDs it was given from what it read, and any other ID from the
 * store. It is valid while the page is decided and committed: nothing else writes those records meanwhile
 * (the write buffer keeps pages that share a record apart), and the page's own changes go into the store
 * in its commit, after which the view is dropped. Transactions and every other method are the store's own.
 */
import type { Conflict, Link, ParkedRecord, Side, StateStore } from '../store/state-store.js';
import type { RunContext } from './context.js';

function preloaded(store: StateStore, ids: readonly string[]): StateStore {
  const known = new Set(ids);
  const records = store.recordsFor([...known]);
  const byCrmId = new Map<string, Link>(records.links.map((l) => [l.crmId, l]));
  const byReferralId = new Map<string, Link>(records.links.map((l) => [l.referralId, l]));
  const parked = new Map<string, ParkedRecord>(records.parked.map((p) => [`${p.side}:${p.recordId}`, p]));
  const conflicts = new Map<string, Conflict>(records.openConflicts.map((c) => [c.crmId, c]));
  const view = Object.create(store) as StateStore;
  view.getLinkByCrmId = (crmId) => (known.has(crmId) ? byCrmId.get(crmId) : store.getLinkByCrmId(crmId));
  view.getLinkByReferralId = (referralId) => (known.has(referralId) ? byReferralId.get(referralId) : store.getLinkByReferralId(referralId));
  view.getParked = (side: Side, recordId) => (known.has(recordId) ? parked.get(`${side}:${recordId}`) : store.getParked(side, recordId));
  view.openConflictFor = (crmId) => (known.has(crmId) ? conflicts.get(crmId) : store.openConflictFor(crmId));
  // The page's links name its leads: read at once too, so a lead referral costs no lookup of its own.
  const linkedCrmIds = records.links.map((l) => l.crmId);
  const leads = new Map(store.leads.getLeads(linkedCrmIds).map((l) => [l.leadId, l]));
  const knownLeads = new Set(linkedCrmIds);
  const leadView = Object.create(store.leads) as StateStore['leads'];
  leadView.getLead = (leadId) => (knownLeads.has(leadId) ? leads.get(leadId) : store.leads.getLead(leadId));
  Object.defineProperty(view, 'leads', { value: leadView });
  view.transaction = (work) => store.transaction(work);
  return view;
}

/** The run context for deciding one page, with the page's records read at once. */
export function withPageRecords(ctx: RunContext, ids: readonly string[]): RunContext {
  return ids.length === 0 ? ctx : { ...ctx, store: preloaded(ctx.store, ids) };
}
