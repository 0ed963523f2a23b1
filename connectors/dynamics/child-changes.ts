/**
 * Changes to the connector's three child tables (team members, solutions, partner invitations). A row
 * added, edited or deleted through the Web API does not touch its opportunity, so the opportunity's change
 * tracking never lists it (issue 12 item 4). Each child table is tracked too (setup installs them with
 * `ChangeTrackingEnabled`), with its own delta link in the cursor:
 * - a changed or new row names its opportunity through its lookup (`_<prefix>opportunityid_value`), and is
 *   remembered in the related-row index;
 * - a deleted row comes back as `$deletedEntity` with its ID only, and is traced to its opportunity through
 *   that index (connectors/related-row-deletions.ts, shared with Salesforce).
 * A table's first listing (no delta link yet: the first run, or the first after an upgrade) only fills the
 * index and gets the delta link; it reports nothing, since a new feed reads every opportunity anyway.
 * https://learn.microsoft.com/power-apps/developer/data-platform/use-change-tracking-synchronize-data-external-systems
 */
import type { Logger } from '../../core/logger.js';
import { opportunitiesOfDeletedRows } from '../related-row-deletions.js';
import type { CrmCursor, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { getEach, type BatchGet, type GetAnswer } from './batch-reads.js';
import { isExpiredToken, CHANGE_TRACKING_DAYS, DAY_MS } from './token-life.js';
import type { DataverseClient } from './client.js';
import { apiRelativeLink } from './links.js';
import { query } from './queries.js';
import { isDeleted, type RawRow } from './records.js';
import type { ConnectorNames } from './schema-names.js';
import { mergeLatestChanges, noteLatestChange } from '../latest-change.js';

/** A deleted row stays findable in the index a day past the delta token's life: no later delta can name it. */
const KEEP_GONE_MS = (CHANGE_TRACKING_DAYS + 1) * DAY_MS;
/** Child rows are listed with three columns: Dataverse's largest page. */
const CHILD_PREFER = ['odata.track-changes', 'odata.maxpagesize=5000'];

export interface ChildTable {
  set: string;
  idColumn: string;
  /** The cursor field holding this table's delta link. */
  cursorField: 'teamLink' | 'solutionLink' | 'invitationLink';
}

export function childTables(names: ConnectorNames): ChildTable[] {
  return [
    { set: names.teamSet, idColumn: `${names.teamTable}id`, cursorField: 'teamLink' },
    { set: names.solutionSet, idColumn: `${names.solutionTable}id`, cursorField: 'solutionLink' },
    { set: names.invitationSet, idColumn: `${names.invitationTable}id`, cursorField: 'invitationLink' },
  ];
}

/** The cursor's delta links of the child tables (absent for a table not yet tracked). */
export function childLinksOf(cursor: CrmCursor | undefined): Partial<Record<ChildTable['cursorField'], string>> {
  const out: Partial<Record<ChildTable['cursorField'], string>> = {};
  for (const field of ['teamLink', 'solutionLink', 'invitationLink'] as const) if (typeof cursor?.[field] === 'string') out[field] = cursor[field] as string;
  return out;
}

/** This run's tracking request for a table: its stored delta link, else a first listing. */
export function childRequest(table: ChildTable, names: ConnectorNames, link: string | undefined): BatchGet {
  return { url: link ?? query(table.set, { $select: `${table.idColumn},_${names.lookupColumn}_value,modifiedon` }), prefer: CHILD_PREFER };
}

export interface ChildFeedDeps {
  client: DataverseClient;
  index: RelatedRowIndex;
  names: ConnectorNames;
  logger: Logger;
  now: () => Date;
}

interface ODataPage {
  value: RawRow[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}


/**
 * One table's feed for a run: `request()` is the GET it needs next (none once its delta link came), which
 * the caller sends with the run's other GETs (the first `$batch`, the opportunity's next pages, or
 * {@link drainChildFeeds}) and hands back to `accept`. `result()` gives opportunity ID → the latest change
 * (a row's `modifiedon`, or `readAt`, the server's time of the read, for a deletion, which carries no time)
 * and the new delta link.
 */
export class ChildFeed {
  private next: BatchGet | undefined;
  /** A first listing: fill the index, report nothing. */
  private listing: boolean;
  private restarted = false;
  private readonly changed = new Map<string, string>();
  private readonly gone: { id: string; at: string }[] = [];
  private link: string | undefined;
  /** The answers handed over so far, taken in order; a caller that does not wait for one learns its failure from `result`. */
  private accepting: Promise<void> = Promise.resolve();
  /** Answers handed over and not yet taken in: until then the next request is not known. */
  private taking = 0;

  constructor(private readonly deps: ChildFeedDeps, readonly table: ChildTable, private readonly stored: string | undefined, private readonly readAt: () => string) {
    this.listing = stored === undefined;
    this.next = childRequest(table, deps.names, stored);
  }

  /** The GET this feed needs next; none while an answer is still being taken in (asking then would repeat a page). */
  request(): BatchGet | undefined {
    return this.taking > 0 ? undefined : this.next;
  }

  /** Once every answer handed over is taken in (a refusal is thrown by `result`). */
  async settled(): Promise<void> {
    await this.accepting.catch(() => undefined);
  }

  /** Takes an answer to {@link request}, after those handed over before it. */
  accept(answer: GetAnswer<unknown>): Promise<void> {
    this.taking += 1;
    const accepted = this.accepting.then(() => this.acceptAnswer(answer)).finally(() => {
      this.taking -= 1;
    });
    // Not an unhandled rejection while no one waits for it: `result` and `changedParents` throw it.
    accepted.catch(() => undefined);
    this.accepting = accepted;
    return accepted;
  }

  /**
   * The opportunities changed through this table, when its listing is complete and names no deleted row (a
   * deletion is traced through the index by `result`); else undefined. Changes nothing.
   */
  async changedParents(): Promise<string[] | undefined> {
    await this.accepting;
    if (this.next || !this.link || this.listing || this.gone.length > 0) return undefined;
    return [...this.changed.keys()];
  }

  private async acceptAnswer(answer: GetAnswer<unknown>): Promise<void> {
    const { deps, table } = this;
    if (!answer.ok) {
      if (this.restarted || this.stored === undefined || !isExpiredToken(answer.error)) throw answer.error;
      // Past the 7-day token life: changes in between cannot be listed. The fresh listing names every
      // opportunity with rows in this table, and they are all read again; an opportunity whose last row was
      // deleted in the gap is not found (README, "Child-table changes").
      // The refusal is the server's, by its own clock: a moved Partner Center clock alone never gets here.
      // The admin walk's 12.5-day jump moves the sandboxes' one shared clock (sandbox/common/clock.ts), so
      // Dataverse too is 12.5 days on and refuses all four tokens: the opportunity feed falls back to its
      // watermark (known versions cost nothing) and these listings re-read every opportunity with a child
      // row (39 of the walk's 42 reads; Salesforce's feeds accept 30 days and read 7). Needed as the
      // index stands: it cannot list a parent's rows, so a row deleted in the gap is only seen by reading
      // its opportunity. Naming only changed parents needs the index to list the rows it holds per table.
      deps.logger.warn({ event: 'dynamics.child_tracking_expired', table: table.set }, `Change tracking on ${table.set} expired; every opportunity with ${table.set} rows is read again`);
      this.restarted = true;
      this.listing = false;
      this.next = childRequest(table, deps.names, undefined);
      return;
    }
    const page = answer.body as ODataPage;
    const lookup = `_${deps.names.lookupColumn}_value`;
    const named = page.value.filter((r) => !isDeleted(r) && typeof r[lookup] === 'string')
      .map((r) => ({ rowId: String(r[table.idColumn]).toLowerCase(), parentId: String(r[lookup]).toLowerCase(), at: new Date(String(r.modifiedon ?? this.readAt())).toISOString() }));
    if (!this.listing) {
      // A row moved to another opportunity (its lookup edited) changes the one it left too.
      const before = await deps.index.relatedParents(named.map((r) => r.rowId));
      for (const r of named) {
        noteLatestChange(this.changed, r.parentId, r.at);
        const left = before.get(r.rowId);
        if (left && left !== r.parentId) noteLatestChange(this.changed, left, r.at);
      }
      for (const r of page.value.filter(isDeleted)) this.gone.push({ id: String(r.id).toLowerCase(), at: this.readAt() });
    }
    await deps.index.rememberRelatedRows(named.map(({ rowId, parentId }) => ({ rowId, parentId })));
    const next = page['@odata.nextLink'];
    this.next = next ? { url: next, prefer: CHILD_PREFER } : undefined;
    if (!next) this.link = apiRelativeLink(String(page['@odata.deltaLink']));
  }

  /** The changes once every page is in; deleted rows are traced (and marked gone) in the related-row index here. */
  async result(): Promise<{ changed: Map<string, string>; link: string }> {
    await this.accepting;
    if (this.next || !this.link) throw new Error(`the ${this.table.set} feed has pages left to read`);
    const changed = new Map(this.changed);
    // Marked gone at the service's time of this run's read, not this process's clock; forgetting waits until
    // every table of the run has traced its deletions (forgetChildRowsGone).
    mergeLatestChanges(changed, await opportunitiesOfDeletedRows(this.deps.index, this.gone, { goneAt: this.readAt() }));
    return { changed, link: this.link };
  }
}

/**
 * Forgets the child rows reported gone more than a token's life before the service's time `readAt`, once
 * every table of the run has traced its deletions. Forgetting inside one table's result, by this
 * process's clock, let the team table's feed drop a solution row that another process had marked gone by
 * its own (earlier) clock, before the solution table's feed could trace it: the removal never reached
 * Partner Center (model-based test, Dynamics 365 seeds 230 and 231).
 */
export async function forgetChildRowsGone(index: RelatedRowIndex, readAt: string): Promise<void> {
  await index.forgetRelatedGone(new Date(Date.parse(readAt) - KEEP_GONE_MS).toISOString());
}

/** Reads the pages the feeds still need, theirs together in one `$batch` per round. */
export async function drainChildFeeds(client: DataverseClient, feeds: readonly ChildFeed[]): Promise<void> {
  for (;;) {
    for (const f of feeds) await f.settled();
    const pending = feeds.filter((f) => f.request());
    if (pending.length === 0) return;
    const { answers } = await getEach<unknown>(client, 'reading changed child rows (change tracking)', pending.map((f) => f.request()!));
    for (const [i, f] of pending.entries()) await f.accept(answers[i]!);
  }
}
