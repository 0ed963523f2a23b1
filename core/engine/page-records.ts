/**
 * A page's records read from the state store at once (`AsyncStateStore.loadPage`, one query on
 * PostgreSQL): its links by either ID, the create intents, parked records and open conflicts of every ID
 * of the page and of the links found, and the CRM leads among them. The engine decides the page from this
 * view synchronously, so the merge and rule code never waits on the store, and a page costs two store
 * round trips (this read and its commit) however many records it holds (docs/store-async.md).
 *
 * The view answers only for the IDs it loaded, and refuses any other (`engine.record_not_loaded`): a
 * lookup that silently fell back to "not found" could create a second record for a linked one. It is
 * valid while the page is decided and committed: nothing else writes those records meanwhile (the job
 * queue runs one sync per tenant; the write buffer keeps pages that share a record apart), and the page's
 * own changes go into the store in its commit, after which the view is dropped.
 */
import { ConnectorError } from '../errors.js';
import { PageState, type AsyncStateStore, type PageSnapshot } from '../store/async-state-store.js';
import type { LeadRecord } from '../store/lead-records.js';
import type { Conflict, CreateIntent, Link, ParkedRecord, Side } from '../store/state-store.js';
import type { RunContext } from './context.js';

export class PageRecords {
  /** A context outside any page: every lookup must load its records first. */
  static readonly none = new PageRecords(true);

  private state: PageState;
  private readonly snapshot: PageSnapshot = { links: [], intents: [], parked: [], openConflicts: [] };
  private readonly loaded = new Set<string>();
  private readonly leads = new Map<string, LeadRecord>();

  private constructor(private readonly sealed = false) {
    this.state = new PageState(this.snapshot);
  }

  /** Reads the records of `ids` (CRM IDs and referral IDs, mixed: the two never collide). */
  static async load(store: AsyncStateStore, ids: readonly string[]): Promise<PageRecords> {
    const records = new PageRecords();
    await records.add(store, ids);
    return records;
  }

  /**
   * Reads the records of more IDs into this view, for records a page meets after it was read (the CRM
   * records a search by referral ID found). What the view already holds is not read again.
   */
  async add(store: AsyncStateStore, ids: readonly string[]): Promise<void> {
    if (this.sealed) throw new Error('PageRecords.none holds no records: load a page first.');
    const unique = [...new Set(ids)].filter((id) => !this.loaded.has(id));
    if (unique.length === 0) return;
    const more = await store.loadPage({ crmIds: unique, referralIds: unique });
    const fresh = more.links.filter((l) => !this.loaded.has(l.crmId) && !this.loaded.has(l.referralId));
    for (const id of unique) this.loaded.add(id);
    for (const link of fresh) this.loaded.add(link.crmId).add(link.referralId);
    // Leads are CRM records: the new IDs that are CRM IDs, and the CRM IDs their links name.
    const leads = await store.leads.getLeads([...new Set([...unique, ...fresh.map((l) => l.crmId)])]);
    for (const lead of leads) this.leads.set(lead.leadId, lead);
    this.snapshot.links.push(...fresh);
    this.snapshot.intents.push(...more.intents);
    this.snapshot.parked.push(...more.parked);
    this.snapshot.openConflicts.push(...more.openConflicts);
    this.state = new PageState(this.snapshot);
  }

  /** IDs of records this run just created: the store holds nothing about them yet. */
  addNew(ids: readonly string[]): void {
    if (this.sealed) throw new Error('PageRecords.none holds no records: load a page first.');
    for (const id of ids) this.loaded.add(id);
  }

  has(id: string): boolean {
    return this.loaded.has(id);
  }

  getLinkByCrmId(crmId: string): Link | undefined {
    return this.checked(crmId) && this.state.linkByCrmId(crmId);
  }

  getLinkByReferralId(referralId: string): Link | undefined {
    return this.checked(referralId) && this.state.linkByReferralId(referralId);
  }

  getIntent(target: CreateIntent['target'], sourceId: string): CreateIntent | undefined {
    return this.checked(sourceId) && this.state.intent(target, sourceId);
  }

  getParked(side: Side, recordId: string): ParkedRecord | undefined {
    return this.checked(recordId) && this.state.parked(side, recordId);
  }

  openConflictFor(crmId: string): Conflict | undefined {
    return this.checked(crmId) && this.state.openConflictFor(crmId);
  }

  getLead(leadId: string): LeadRecord | undefined {
    return this.checked(leadId) && this.leads.get(leadId);
  }

  /** `true` for an ID the page loaded (so `&&` reads on); a refusal otherwise. */
  private checked(id: string): true {
    if (this.loaded.has(id)) return true;
    throw new ConnectorError('engine.record_not_loaded', `The engine looked up ${id}, which the current page did not load from the state store (a bug: every record a page consults is read with the page).`, false, { record: id });
  }
}

/** The run context for deciding one page, with the page's records read at once. */
export async function withPageRecords(ctx: RunContext, ids: readonly string[]): Promise<RunContext> {
  return { ...ctx, records: await PageRecords.load(ctx.store, ids) };
}
