/**
 * The records one transaction can touch, on PostgreSQL: the `AsyncStoreTransaction` half of the store,
 * run on a pooled client inside a transaction (pg-store.ts) or on the pool outside one. Rows map to
 * records with the SQLite store's mappers (the pool reads json columns as text, see pg-database.ts).
 *
 * Rule checks that SQLite reports as constraint errors are written here as conditional statements (an
 * insert that selects nothing), because a failed statement aborts a PostgreSQL transaction, and the
 * contract lets a caller catch `store.link_conflict` or `store.conflict_open` and carry on. A constraint
 * error can still come from two workers racing on the same row; it is reported with the same code.
 */
import type pg from 'pg';
import type { AsyncStoreTransaction, PageKeys, PageSnapshot, VersionSnapshot } from '../async-state-store.js';
import { conflictAlreadyOpenError, conflictWithoutLinkError, linkConflictError } from '../sqlite-errors.js';
import {
  conflictToRow, intentToRow, linkToRow, parkedToRow, rowToConflict, rowToCursor, rowToIntent, rowToLink, rowToLinkVersion, rowToParked,
  type ConflictRow, type CursorRow, type IntentRow, type LinkRow, type LinkVersionRow, type ParkedRow,
} from '../sqlite-rows.js';
import type { Conflict, ConflictResolution, ConflictSides, CreateIntent, Link, ParkedRecord, Side, StoredCursor } from '../state-store.js';
import { SQL } from './pg-statements.js';
import type { LeadRecord } from '../lead-records.js';

/** A pool (each query on any free connection) or one client (a transaction's connection). */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export class PgRecords implements AsyncStoreTransaction {
  constructor(
    protected readonly db: Queryable,
    readonly tenantId: string,
  ) {}

  protected async rows<R extends pg.QueryResultRow>(sql: string, ...values: unknown[]): Promise<R[]> {
    return (await this.db.query<R>(sql, [this.tenantId, ...values])).rows;
  }

  protected async first<R extends pg.QueryResultRow>(sql: string, ...values: unknown[]): Promise<R | undefined> {
    return (await this.rows<R>(sql, ...values))[0];
  }

  protected async changes(sql: string, ...values: unknown[]): Promise<number> {
    return (await this.db.query(sql, [this.tenantId, ...values])).rowCount ?? 0;
  }

  async putLead(record: Pick<LeadRecord, 'leadId' | 'referralId' | 'createdAt'>): Promise<void> {
    await this.changes(SQL.putLead, record.leadId, record.referralId, record.createdAt);
  }

  async getLinkByCrmId(crmId: string): Promise<Link | undefined> {
    const row = await this.first<LinkRow>(SQL.linkByCrmId, crmId);
    return row && rowToLink(row);
  }

  async getLinkByReferralId(referralId: string): Promise<Link | undefined> {
    const row = await this.first<LinkRow>(SQL.linkByReferralId, referralId);
    return row && rowToLink(row);
  }

  async deleteLink(crmId: string): Promise<void> {
    await this.changes(SQL.deleteLink, crmId);
  }

  async putLink(link: Link): Promise<void> {
    const r = linkToRow(link);
    const values = [r.crm_id, r.referral_id, r.engagement_id, r.state, r.base_json, r.pc_etag, r.crm_etag, r.crm_modified_at, r.pc_updated_at, r.last_status_json, r.held_until, r.updated_at];
    let written: number;
    try {
      written = await this.changes(SQL.upsertLink, ...values);
    } catch (error) {
      if (violated(error, 'links_referral_unique')) throw linkConflictError(link, undefined);
      throw error;
    }
    if (written === 0) throw linkConflictError(link, (await this.getLinkByReferralId(link.referralId))?.crmId);
  }

  async getIntent(target: CreateIntent['target'], sourceId: string): Promise<CreateIntent | undefined> {
    const row = await this.first<IntentRow>(SQL.intent, target, sourceId);
    return row && rowToIntent(row);
  }

  async putIntent(intent: CreateIntent): Promise<void> {
    const r = intentToRow(intent);
    await this.changes(SQL.upsertIntent, r.target, r.source_id, r.created_at, r.attempts);
  }

  async deleteIntent(target: CreateIntent['target'], sourceId: string): Promise<void> {
    await this.changes(SQL.deleteIntent, target, sourceId);
  }

  async getParked(side: Side, recordId: string): Promise<ParkedRecord | undefined> {
    const row = await this.first<ParkedRow>(SQL.parked, side, recordId);
    return row && rowToParked(row);
  }

  async park(record: ParkedRecord): Promise<void> {
    const r = parkedToRow(record);
    await this.changes(SQL.upsertParked, r.side, r.record_id, r.reasons_json, r.fingerprint, r.parked_at, r.attempts, r.retry_at, r.name, r.team_json, r.crm_etag);
  }

  async unpark(side: Side, recordId: string): Promise<void> {
    await this.changes(SQL.deleteParked, side, recordId);
  }

  async addConflict(conflict: Omit<Conflict, 'id'>): Promise<Conflict> {
    const r = conflictToRow(conflict);
    let row: ConflictRow | undefined;
    try {
      row = await this.first<ConflictRow>(SQL.insertConflict, r.crm_id, r.referral_id, r.fields_json, r.base_json, r.crm_json, r.partner_center_json, r.detected_at, r.resolved_at, r.resolution);
    } catch (error) {
      if (violated(error, 'conflicts_one_open_per_link')) throw conflictAlreadyOpenError(conflict.crmId);
      if (violated(error, 'conflicts_link')) throw conflictWithoutLinkError(conflict.crmId);
      throw error;
    }
    if (row) return rowToConflict(row);
    if (!(await this.first(SQL.linkExists, conflict.crmId))) throw conflictWithoutLinkError(conflict.crmId);
    throw conflictAlreadyOpenError(conflict.crmId);
  }

  async closeAgreedConflict(id: number, resolution: ConflictResolution, at: string): Promise<void> {
    await this.changes(SQL.resolveConflict, resolution, at, id);
  }

  async refreshConflict(id: number, sides: ConflictSides): Promise<void> {
    await this.changes(SQL.refreshConflict, JSON.stringify(sides.crm), JSON.stringify(sides.partnerCenter), id);
  }

  async getCursor(side: Side): Promise<StoredCursor | undefined> {
    const row = await this.first<CursorRow>(SQL.cursor, side);
    return row && rowToCursor(row);
  }

  async putCursor(side: Side, cursor: StoredCursor): Promise<void> {
    await this.changes(SQL.upsertCursor, side, JSON.stringify(cursor));
  }

  async getMeta(key: string): Promise<unknown> {
    const row = await this.first<{ value_json: string }>(SQL.meta, key);
    return row && (JSON.parse(row.value_json) as unknown);
  }

  async putMeta(key: string, value: unknown, at: string): Promise<void> {
    await this.changes(SQL.upsertMeta, key, JSON.stringify(value), at);
  }

  async deleteMeta(key: string): Promise<void> {
    await this.changes(SQL.deleteMeta, key);
  }

  async loadPage(keys: PageKeys): Promise<PageSnapshot> {
    const row = await this.first<{ links: string; intents: string; parked: string; conflicts: string }>(SQL.loadPage, keys.crmIds ?? [], keys.referralIds ?? []);
    const parse = <T>(text: string | undefined) => JSON.parse(text ?? '[]') as T[];
    return {
      links: parse<LinkRow>(row?.links).map(rowToLink),
      intents: parse<IntentRow>(row?.intents).map(rowToIntent),
      parked: parse<ParkedRow>(row?.parked).map(rowToParked),
      openConflicts: parse<ConflictRow>(row?.conflicts).map(rowToConflict),
    };
  }

  async loadVersions(keys: PageKeys): Promise<VersionSnapshot> {
    const row = await this.first<{ links: string; parked: string; conflicts: string }>(SQL.loadVersions, keys.crmIds ?? [], keys.referralIds ?? []);
    const parse = <T>(text: string | undefined) => JSON.parse(text ?? '[]') as T[];
    return {
      links: parse<LinkVersionRow>(row?.links).map(rowToLinkVersion),
      parked: parse<ParkedRow>(row?.parked).map(rowToParked),
      openConflicts: parse<ConflictRow>(row?.conflicts).map(rowToConflict),
    };
  }
}

/** A unique or foreign-key violation of the named constraint (pg's `DatabaseError#constraint`). */
export function violated(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return (e?.code === '23505' || e?.code === '23503') && e.constraint === constraint;
}
