/**
 * Reading opportunities: the change feed and re-reads by ID. Calls grow with pages, not records: one
 * opportunity query batch per page (2,000 rows), then one Composite call whose subrequests fetch the
 * page's primary contact roles, team members and solutions with semi-joins on the page's window, plus
 * at most one more Composite call for related rows that did not fit in one batch.
 */
import { silentLogger, type Logger } from '../../core/logger.js';
import { selectFields, sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { CrmChangePage, CrmCursor, CrmDeal, RelatedRowIndex } from '../types.js';
import { assembleDeal, groupBy, type AssembleContext, type SfRecord } from './assemble.js';
import type { SalesforceClient } from './client.js';
import { runCompositeQueries } from './composite-queries.js';
import { DeletionFeed } from './deletion-feed.js';
import { relatedChangesSince } from './related-changes.js';
import { F, SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { byIdsQuery, changesQuery, laterPosition, relatedQueries, windowCondition, windowMembersQuery, type FeedPosition, type OpportunityScope } from './soql.js';

const BASE_FIELDS = ['Id', 'SystemModstamp', 'StageName', 'Probability', 'IsClosed', 'IsWon', F.optIn, F.response, F.direction, F.invitePartnerId, F.referralStatus, F.microsoftStatus, F.outsideTeam, 'OwnerId', 'Owner.Email'];
/** Explicit ID lists stay well under the 16 KB URL limit (about 21 characters per ID). */
const IDS_PER_QUERY = 200;

export function opportunityFields(ctx: AssembleContext): string[] {
  const seen = new Set<string>();
  return [...BASE_FIELDS, ...selectFields(ctx.rows)].filter((f) => {
    const key = f.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function cursorToPosition(cursor: CrmCursor | undefined): FeedPosition | undefined {
  if (!cursor) return undefined;
  const { modstamp, id } = cursor;
  return typeof modstamp === 'string' && typeof id === 'string' ? { modstamp, id } : undefined;
}

function positionOf(record: SfRecord): FeedPosition {
  return { modstamp: sfDatetimeToIso(record.SystemModstamp) ?? '', id: record.Id };
}

interface RelatedRows {
  contactRoles: SfRecord[];
  team: SfRecord[];
  solutions: SfRecord[];
  invitations: SfRecord[];
  windowIds?: Set<string>;
}

export class SalesforceReader {
  /** The StageName last read per opportunity, so that a stage write-back does not replace an equivalent stage. */
  readonly lastStage = new Map<string, string>();

  private readonly deletionFeed: DeletionFeed;

  constructor(
    private readonly client: SalesforceClient,
    private readonly pageSize: number,
    /** Related row → opportunity, so that a deleted related row leads back to its opportunity. */
    private readonly index: RelatedRowIndex,
    private readonly now: () => number,
    log: Logger = silentLogger(),
    /** How far before the stored watermark a new run starts reading again (see readChanges). */
    private readonly rereadMs = 300_000,
  ) {
    this.deletionFeed = new DeletionFeed(client, index, log);
  }

  /** One Composite call for all related queries, then one more per round of continuations. */
  private async related(scope: OpportunityScope): Promise<RelatedRows> {
    const q = relatedQueries(scope);
    const rows = await runCompositeQueries(this.client, {
      contactRoles: q.contactRoles,
      team: q.team,
      solutions: q.solutions,
      invitations: q.invitations,
      ...('window' in scope ? { window: windowMembersQuery(scope.window) } : {}),
    });
    return {
      contactRoles: rows.contactRoles!,
      team: rows.team!,
      solutions: rows.solutions!,
      invitations: rows.invitations!,
      ...('window' in scope ? { windowIds: new Set(rows.window!.map((r) => r.Id)) } : {}),
    };
  }

  private assemble(opportunities: readonly SfRecord[], related: RelatedRows, ctx: AssembleContext): CrmDeal[] {
    const roles = groupBy(related.contactRoles, 'OpportunityId');
    const team = groupBy(related.team, 'OpportunityId');
    const solutions = groupBy(related.solutions, SOLUTION_PARENT_FIELD);
    const invitations = groupBy(related.invitations, SOLUTION_PARENT_FIELD);
    this.index.rememberRelatedRows([
      ...[...related.contactRoles, ...related.team].map((r) => ({ rowId: r.Id, parentId: String(r.OpportunityId) })),
      ...[...related.solutions, ...related.invitations].map((r) => ({ rowId: r.Id, parentId: String(r[SOLUTION_PARENT_FIELD]) })),
    ]);
    return opportunities.map((opp) => {
      if (typeof opp.StageName === 'string') this.lastStage.set(opp.Id, opp.StageName);
      const contactRole = roles.get(opp.Id)?.[0];
      return assembleDeal(opp, { ...(contactRole ? { contactRole } : {}), team: team.get(opp.Id) ?? [], solutions: solutions.get(opp.Id) ?? [], invitations: invitations.get(opp.Id) ?? [] }, ctx);
    });
  }

  private async buildPage(chunk: SfRecord[], from: FeedPosition | undefined, ctx: AssembleContext): Promise<CrmChangePage> {
    const to = positionOf(chunk[chunk.length - 1]!);
    const related = await this.related({ window: windowCondition(from, to) });
    // An opportunity edited after the page was read has left the window; its related rows were not
    // fetched, so it is left out here and comes back, complete, on a later page.
    const current = chunk.filter((r) => related.windowIds?.has(r.Id) ?? true);
    return { deals: this.assemble(current, related, ctx), deletedIds: [], cursor: { modstamp: to.modstamp, id: to.id } };
  }

  /**
   * Opportunities deleted since the last run, and opportunities whose related rows were deleted (a full
   * read needs neither). The window's end is reported back as `deletedThrough` for the next run.
   */
  private async deletions(cursor: CrmCursor | undefined, from: FeedPosition | undefined): Promise<{ ids: string[]; parents: Map<string, string>; through?: string; gap?: boolean }> {
    if (!from) return { ids: [], parents: new Map() };
    const since = typeof cursor?.deletedThrough === 'string' ? cursor.deletedThrough : from.modstamp;
    const found = await this.deletionFeed.since(since, this.now());
    return { ids: found.opportunityIds, parents: found.changedParents, through: found.through, gap: found.gap };
  }

  /**
   * A run resumes `rereadMs` before the stored watermark, because SystemModstamp has one-second
   * precision and a transaction still in flight when the last run read can commit with a stamp before
   * that run's watermark; re-reading that short window catches both. The engine de-duplicates the
   * overlap by crmId and modifiedAt, and the cursor handed back never moves backwards.
   */
  async *readChanges(cursor: CrmCursor | undefined, ctx: AssembleContext): AsyncGenerator<CrmChangePage> {
    const fields = opportunityFields(ctx);
    const resumeAt = cursorToPosition(cursor);
    let from: FeedPosition | undefined = resumeAt && this.rereadMs > 0 ? { modstamp: new Date(Date.parse(resumeAt.modstamp) - this.rereadMs).toISOString(), id: '' } : resumeAt;
    const deleted = await this.deletions(cursor, resumeAt);
    // Deletions older than getDeleted keeps cannot be listed: read every opportunity, as a first run does
    // (the cursor handed back still never moves backwards).
    if (deleted.gap) from = undefined;
    // Related rows changed since the last run (they do not move the opportunity's own SystemModstamp).
    let relatedThrough = typeof cursor?.relatedThrough === 'string' ? cursor.relatedThrough : undefined;
    const changed = resumeAt ? await relatedChangesSince(this.client, new Date(Math.max(Date.parse(relatedThrough ?? resumeAt.modstamp), Date.parse(resumeAt.modstamp)) - this.rereadMs).toISOString()) : new Map<string, string>();
    for (const when of changed.values()) if (!relatedThrough || Date.parse(when) > Date.parse(relatedThrough)) relatedThrough = when;
    // Deals whose related rows were deleted are read again like those whose related rows changed.
    for (const [id, when] of deleted.parents) if (!changed.has(id) || Date.parse(when) > Date.parse(changed.get(id)!)) changed.set(id, when);
    const bump = (deals: CrmDeal[]) => {
      for (const d of deals) {
        const when = changed.get(d.crmId);
        if (when && Date.parse(when) > Date.parse(d.modifiedAt)) d.modifiedAt = when;
        changed.delete(d.crmId);
      }
      return deals;
    };
    let first = true;
    const finish = (page: CrmChangePage): CrmChangePage => {
      const last = cursorToPosition(page.cursor);
      const position = last && resumeAt ? laterPosition(last, resumeAt) : (last ?? resumeAt);
      const out: CrmChangePage = {
        ...page,
        deletedIds: first ? deleted.ids : [],
        ...(first && deleted.gap ? { deletionsIncomplete: true } : {}),
        cursor: {
          ...(position ? { modstamp: position.modstamp, id: position.id } : {}),
          ...(deleted.through ? { deletedThrough: deleted.through } : {}),
          ...(relatedThrough ? { relatedThrough } : {}),
        },
      };
      first = false;
      return out;
    };
    // The last page is held back so that deals changed only through related rows can join it.
    let held: CrmChangePage | undefined;
    let result = await this.client.query<SfRecord>(changesQuery(fields, from), this.pageSize);
    const buffer: SfRecord[] = [...result.records];
    for (;;) {
      while (buffer.length >= this.pageSize || (result.done && buffer.length > 0)) {
        const chunk = buffer.splice(0, this.pageSize);
        const page = await this.buildPage(chunk, from, ctx);
        bump(page.deals);
        if (held) yield finish(held);
        held = page;
        from = positionOf(chunk[chunk.length - 1]!);
      }
      if (result.done || !result.nextRecordsUrl) break;
      try {
        result = await this.client.queryMore<SfRecord>(result.nextRecordsUrl);
      } catch (error) {
        // A locator expires after 15 minutes of inactivity: start a new query where this one stopped.
        if ((error as { context?: { serviceCode?: string } }).context?.serviceCode !== 'INVALID_QUERY_LOCATOR') throw error;
        // The new query starts after the last record handed out, so what is still buffered comes again.
        buffer.length = 0;
        result = await this.client.query<SfRecord>(changesQuery(fields, from), this.pageSize);
      }
      buffer.push(...result.records);
    }
    const extra = bump(await this.getDeals([...changed.keys()], ctx));
    if (!held && !resumeAt && extra.length === 0) return;
    const at = held ? cursorToPosition(held.cursor)! : resumeAt!;
    let page: CrmChangePage = held ?? { deals: [], deletedIds: [], cursor: { modstamp: at.modstamp, id: at.id } };
    for (const deal of extra) {
      if (page.deals.length >= this.pageSize) {
        yield finish(page);
        page = { deals: [], deletedIds: [], cursor: { modstamp: at.modstamp, id: at.id } };
      }
      page.deals.push(deal);
    }
    // Even with nothing changed, a resumed run hands back a page: the deletion window has moved.
    yield finish(page);
  }

  /** The given opportunity IDs that no query finds any more (deleted): one `Id IN` query per 200 IDs. */
  async missingIds(ids: readonly string[]): Promise<string[]> {
    const valid = [...new Set(ids.filter((id) => /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)))];
    const present = new Set<string>();
    for (let i = 0; i < valid.length; i += IDS_PER_QUERY) {
      const result = await this.client.query<SfRecord>(byIdsQuery(['Id'], valid.slice(i, i + IDS_PER_QUERY)));
      for (const r of result.records) present.add(r.Id.slice(0, 15));
    }
    // An ID that is not an opportunity ID at all is not reported: it was never Salesforce's to delete.
    return ids.filter((id) => valid.includes(id) && !present.has(id.slice(0, 15)));
  }

  async getDeals(ids: readonly string[], ctx: AssembleContext): Promise<CrmDeal[]> {
    const unique = [...new Set(ids.filter((id) => /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)))];
    const deals: CrmDeal[] = [];
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique.slice(i, i + IDS_PER_QUERY);
      const result = await this.client.query<SfRecord>(byIdsQuery(opportunityFields(ctx), chunk));
      if (result.records.length === 0) continue;
      const related = await this.related({ ids: result.records.map((r) => r.Id) });
      deals.push(...this.assemble(result.records, related, ctx));
    }
    const order = new Map(ids.map((id, i) => [id.slice(0, 15), i]));
    return deals.sort((a, b) => (order.get(a.crmId.slice(0, 15)) ?? 0) - (order.get(b.crmId.slice(0, 15)) ?? 0));
  }
}
