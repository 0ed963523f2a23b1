/**
 * Every SQL statement the SQLite store runs, prepared once per open store (preparing is the expensive
 * part; a sync run executes the same few statements thousands of times).
 */
import type Database from 'better-sqlite3';
import type { ConflictRow, CursorRow, IntentRow, LinkRow, LinkVersionRow, LockRow, ParkedRow, PipelineDealRow, RunRow } from './sqlite-rows.js';
import type { ConflictResolution, CreateIntent, LinkState, Side } from './state-store.js';

const LINK_COLUMNS =
  'crm_id, referral_id, engagement_id, state, base_json, pc_etag, crm_etag, crm_modified_at, pc_updated_at, last_status_json, held_until, updated_at';
const VERSION_COLUMNS = 'crm_id, referral_id, state, pc_etag, crm_etag, held_until';
const CONFLICT_COLUMNS = 'id, crm_id, referral_id, fields_json, base_json, crm_json, partner_center_json, detected_at, resolved_at, resolution';
const RUN_COLUMNS = 'id, started_at, finished_at, outcome, counts_json, message';
const PARKED_COLUMNS = 'side, record_id, reasons_json, fingerprint, parked_at, attempts, retry_at, name, team_json, crm_etag';

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  return {
    // Links. The upsert keys on crm_id; a referral_id already linked to another CRM record violates the
    // UNIQUE constraint, which the store turns into a `store.link_conflict` error.
    linkByCrmId: db.prepare<[string], LinkRow>(`SELECT ${LINK_COLUMNS} FROM links WHERE crm_id = ?`),
    linkByReferralId: db.prepare<[string], LinkRow>(`SELECT ${LINK_COLUMNS} FROM links WHERE referral_id = ?`),
    // A page's records at once; the IDs come as one JSON array (json_each), so the statement is prepared once.
    linksFor: db.prepare<[string, string], LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE crm_id IN (SELECT value FROM json_each(?)) UNION SELECT ${LINK_COLUMNS} FROM links WHERE referral_id IN (SELECT value FROM json_each(?))`,
    ),
    // The same links' versions only (`loadVersions`): no base or status to read and parse per link.
    linkVersionsFor: db.prepare<[string, string], LinkVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM links WHERE crm_id IN (SELECT value FROM json_each(?)) UNION SELECT ${VERSION_COLUMNS} FROM links WHERE referral_id IN (SELECT value FROM json_each(?))`,
    ),
    // A page snapshot's intents and parked records: the CRM IDs' (target `referral`, side `crm`) and the
    // referral IDs' (target `crm`, side `partner-center`), each list one JSON array.
    intentsFor: db.prepare<[string, string], IntentRow>(
      `SELECT target, source_id, created_at, attempts FROM create_intents WHERE target = 'referral' AND source_id IN (SELECT value FROM json_each(?))
       UNION ALL SELECT target, source_id, created_at, attempts FROM create_intents WHERE target = 'crm' AND source_id IN (SELECT value FROM json_each(?))`,
    ),
    parkedOnSides: db.prepare<[string, string], ParkedRow>(
      `SELECT ${PARKED_COLUMNS} FROM parked_records WHERE side = 'crm' AND record_id IN (SELECT value FROM json_each(?))
       UNION ALL SELECT ${PARKED_COLUMNS} FROM parked_records WHERE side = 'partner-center' AND record_id IN (SELECT value FROM json_each(?))`,
    ),
    parkedFor: db.prepare<[string], ParkedRow>(`SELECT ${PARKED_COLUMNS} FROM parked_records WHERE side IN ('crm', 'partner-center') AND record_id IN (SELECT value FROM json_each(?))`),
    openConflictsFor: db.prepare<[string], ConflictRow>(`SELECT ${CONFLICT_COLUMNS} FROM conflicts WHERE resolved_at IS NULL AND crm_id IN (SELECT value FROM json_each(?))`),
    // Its conflicts go with it, as PostgreSQL's ON DELETE CASCADE takes them (conflicts.crm_id references links).
    deleteLinkConflicts: db.prepare<[string]>('DELETE FROM conflicts WHERE crm_id = ?'),
    deleteLink: db.prepare<[string]>('DELETE FROM links WHERE crm_id = ?'),
    upsertLink: db.prepare<[LinkRow]>(
      `INSERT INTO links (${LINK_COLUMNS}) VALUES (@crm_id, @referral_id, @engagement_id, @state, @base_json, @pc_etag, @crm_etag,
         @crm_modified_at, @pc_updated_at, @last_status_json, @held_until, @updated_at)
       ON CONFLICT (crm_id) DO UPDATE SET referral_id = excluded.referral_id, engagement_id = excluded.engagement_id,
         state = excluded.state, base_json = excluded.base_json, pc_etag = excluded.pc_etag, crm_etag = excluded.crm_etag,
         crm_modified_at = excluded.crm_modified_at, pc_updated_at = excluded.pc_updated_at,
         last_status_json = excluded.last_status_json, held_until = excluded.held_until, updated_at = excluded.updated_at`,
    ),
    // `held_until <= ?` implies `held_until IS NOT NULL`, so SQLite uses the partial index links_due_holds.
    dueHolds: db.prepare<[string], LinkRow>(`SELECT ${LINK_COLUMNS} FROM links WHERE held_until <= ? ORDER BY held_until, crm_id`),
    listLinks: db.prepare<[number, number], LinkRow>(`SELECT ${LINK_COLUMNS} FROM links ORDER BY updated_at DESC, crm_id LIMIT ? OFFSET ?`),
    listLinksByState: db.prepare<[LinkState, number, number], LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE state = ? ORDER BY updated_at DESC, crm_id LIMIT ? OFFSET ?`,
    ),
    countLinksByState: db.prepare<[], { state: LinkState; n: number }>('SELECT state, COUNT(*) AS n FROM links GROUP BY state'),
    // needsAttention (state-store.ts) in SQL: JSON true reads back as 1.
    attentionLinks: db.prepare<[], LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE state = 'active' AND (
         (json_extract(base_json, '$.direction') = 'inbound' AND json_extract(base_json, '$.status') = 'New')
         OR json_extract(last_status_json, '$.registrationEligible') = 1)
       ORDER BY updated_at DESC, crm_id`,
    ),
    pipelineDeals: db.prepare<[], PipelineDealRow>(
      `SELECT json_extract(base_json, '$.direction') AS direction, json_extract(base_json, '$.status') AS status,
         json_extract(base_json, '$.substatus') AS substatus, json_extract(base_json, '$.salesStage') AS sales_stage,
         json_extract(base_json, '$.value') AS value, json_extract(base_json, '$.currency') AS currency
       FROM links WHERE state = 'active'`,
    ),

    // Create intents.
    intent: db.prepare<[CreateIntent['target'], string], IntentRow>(
      'SELECT target, source_id, created_at, attempts FROM create_intents WHERE target = ? AND source_id = ?',
    ),
    upsertIntent: db.prepare<[IntentRow]>(
      `INSERT INTO create_intents (target, source_id, created_at, attempts) VALUES (@target, @source_id, @created_at, @attempts)
       ON CONFLICT (target, source_id) DO UPDATE SET created_at = excluded.created_at, attempts = excluded.attempts`,
    ),
    deleteIntent: db.prepare<[CreateIntent['target'], string]>('DELETE FROM create_intents WHERE target = ? AND source_id = ?'),
    listIntents: db.prepare<[], IntentRow>('SELECT target, source_id, created_at, attempts FROM create_intents ORDER BY created_at, target, source_id'),

    // Parked records.
    parked: db.prepare<[Side, string], ParkedRow>(`SELECT ${PARKED_COLUMNS} FROM parked_records WHERE side = ? AND record_id = ?`),
    upsertParked: db.prepare<[ParkedRow]>(
      `INSERT INTO parked_records (${PARKED_COLUMNS})
       VALUES (@side, @record_id, @reasons_json, @fingerprint, @parked_at, @attempts, @retry_at, @name, @team_json, @crm_etag)
       ON CONFLICT (side, record_id) DO UPDATE SET reasons_json = excluded.reasons_json, fingerprint = excluded.fingerprint,
         parked_at = excluded.parked_at, attempts = excluded.attempts, retry_at = excluded.retry_at, name = excluded.name, team_json = excluded.team_json,
         crm_etag = excluded.crm_etag`,
    ),
    deleteParked: db.prepare<[Side, string]>('DELETE FROM parked_records WHERE side = ? AND record_id = ?'),
    listParked: db.prepare<[number], ParkedRow>(`SELECT ${PARKED_COLUMNS} FROM parked_records ORDER BY parked_at DESC, side, record_id LIMIT ?`),
    listParkedBySide: db.prepare<[Side, number], ParkedRow>(
      `SELECT ${PARKED_COLUMNS} FROM parked_records WHERE side = ? ORDER BY parked_at DESC, side, record_id LIMIT ?`,
    ),
    // `retry_at <= ?` implies NOT NULL, so the partial index parked_due serves it.
    dueParked: db.prepare<[string, number], ParkedRow>(
      `SELECT ${PARKED_COLUMNS} FROM parked_records WHERE retry_at <= ? ORDER BY retry_at, side, record_id LIMIT ?`,
    ),
    countParked: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM parked_records'),

    // Conflicts.
    insertConflict: db.prepare<[Omit<ConflictRow, 'id'>]>(
      `INSERT INTO conflicts (crm_id, referral_id, fields_json, base_json, crm_json, partner_center_json, detected_at, resolved_at, resolution)
       VALUES (@crm_id, @referral_id, @fields_json, @base_json, @crm_json, @partner_center_json, @detected_at, @resolved_at, @resolution)`,
    ),
    conflict: db.prepare<[number], ConflictRow>(`SELECT ${CONFLICT_COLUMNS} FROM conflicts WHERE id = ?`),
    listOpenConflicts: db.prepare<[], ConflictRow>(`SELECT ${CONFLICT_COLUMNS} FROM conflicts WHERE resolved_at IS NULL ORDER BY id`),
    listAllConflicts: db.prepare<[], ConflictRow>(`SELECT ${CONFLICT_COLUMNS} FROM conflicts ORDER BY id`),
    openConflictFor: db.prepare<[string], ConflictRow>(`SELECT ${CONFLICT_COLUMNS} FROM conflicts WHERE crm_id = ? AND resolved_at IS NULL`),
    refreshConflict: db.prepare<[string, string, number]>('UPDATE conflicts SET crm_json = ?, partner_center_json = ? WHERE id = ? AND resolved_at IS NULL'),
    resolveConflict: db.prepare<[ConflictResolution, string, number]>(
      'UPDATE conflicts SET resolution = ?, resolved_at = ? WHERE id = ? AND resolved_at IS NULL',
    ),

    // Cursors.
    cursor: db.prepare<[Side], CursorRow>('SELECT cursor_json FROM cursors WHERE side = ?'),
    upsertCursor: db.prepare<[Side, string]>(
      'INSERT INTO cursors (side, cursor_json) VALUES (?, ?) ON CONFLICT (side) DO UPDATE SET cursor_json = excluded.cursor_json',
    ),

    // Runs.
    insertRun: db.prepare<[string]>("INSERT INTO runs (started_at, counts_json) VALUES (?, '{}')"),
    pruneRuns: db.prepare<[number]>('DELETE FROM runs WHERE id <= (SELECT id FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?)'),
    run: db.prepare<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
    finishRun: db.prepare<[Omit<RunRow, 'started_at'> & { started_at: string | null }]>(
      'UPDATE runs SET started_at = COALESCE(@started_at, started_at), finished_at = @finished_at, outcome = @outcome, counts_json = @counts_json, message = @message WHERE id = @id',
    ),
    listRuns: db.prepare<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`),
    failUnfinishedRuns: db.prepare<[string, string]>("UPDATE runs SET outcome = 'failed', finished_at = ?, message = ? WHERE finished_at IS NULL"),

    // Facts about the store.
    meta: db.prepare<[string], { value_json: string }>('SELECT value_json FROM store_meta WHERE key = ?'),
    upsertMeta: db.prepare<[string, string, string]>(
      `INSERT INTO store_meta (key, value_json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
    ),
    deleteMeta: db.prepare<[string]>('DELETE FROM store_meta WHERE key = ?'),

    // The CRM adapter's related-row index (a row seen again is no longer gone; a version read in a run is pending until the run is settled).
    // A row read again under the same opportunity at the version already known, with nothing pending, is left
    // as it is: settling would give it that version again, and a write per unchanged row of every deal read
    // (the usual case) costs a page write and two index changes each way.
    rememberRelated: db.prepare<[string, string, string | null, string | null]>(
      `INSERT INTO crm_related_rows (row_id, parent_id, pending_version, pending_run) VALUES (?, ?, ?, ?)
       ON CONFLICT (row_id) DO UPDATE SET parent_id = excluded.parent_id, gone_at = NULL,
         pending_version = COALESCE(excluded.pending_version, crm_related_rows.pending_version),
         pending_run = COALESCE(excluded.pending_run, crm_related_rows.pending_run)
       WHERE NOT (crm_related_rows.parent_id = excluded.parent_id AND crm_related_rows.gone_at IS NULL AND crm_related_rows.pending_run IS NULL
         AND excluded.pending_version IS NOT NULL AND crm_related_rows.version = excluded.pending_version)`,
    ),
    settleRelated: db.prepare<[string]>('UPDATE crm_related_rows SET version = pending_version, pending_version = NULL, pending_run = NULL WHERE pending_run = ?'),
    relatedParent: db.prepare<[string], { parent_id: string; version: string | null }>('SELECT parent_id, version FROM crm_related_rows WHERE row_id = ?'),
    markRelatedGone: db.prepare<[string, string]>('UPDATE crm_related_rows SET gone_at = ? WHERE row_id = ? AND gone_at IS NULL'),
    forgetRelatedGone: db.prepare<[string]>('DELETE FROM crm_related_rows WHERE gone_at IS NOT NULL AND gone_at < ?'),

    // The runner lock, taken in one statement so that two processes cannot both win: the row is inserted
    // when free, or taken over when the same owner re-acquires or the holder's heartbeat is stale.
    acquireLock: db.prepare<[{ owner: string; now: number; stale_ms: number; pid: number | null; host: string | null }]>(
      `INSERT INTO runner_lock (id, owner, acquired_ms, heartbeat_ms, pid, host) VALUES (1, @owner, @now, @now, @pid, @host)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, heartbeat_ms = excluded.heartbeat_ms, pid = excluded.pid, host = excluded.host,
         acquired_ms = CASE WHEN runner_lock.owner = excluded.owner THEN runner_lock.acquired_ms ELSE excluded.acquired_ms END
       WHERE runner_lock.owner = excluded.owner OR excluded.heartbeat_ms - runner_lock.heartbeat_ms >= @stale_ms`,
    ),
    renewLock: db.prepare<[number, string]>('UPDATE runner_lock SET heartbeat_ms = ? WHERE owner = ?'),
    releaseLock: db.prepare<[string]>('DELETE FROM runner_lock WHERE owner = ?'),
    lockHolder: db.prepare<[], LockRow>('SELECT owner, pid, host, acquired_ms, heartbeat_ms FROM runner_lock WHERE id = 1'),
    breakLock: db.prepare<[string, number]>('DELETE FROM runner_lock WHERE owner = ? AND heartbeat_ms = ?'),
  };
}
