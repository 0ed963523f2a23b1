/**
 * Every SQL statement of the PostgreSQL store. `$1` is always the tenant ID: no statement reads or
 * writes a row of another tenant. Columns and their order are the SQLite store's (sqlite-statements.ts),
 * so both return the same rows in the same order (text columns use the "C" collation, like SQLite).
 */
import { NOTICE_COLUMNS } from '../sqlite-notices.js';

const LINK = 'crm_id, referral_id, engagement_id, state, base_json, pc_etag, crm_etag, crm_modified_at, pc_updated_at, last_status_json, held_until, updated_at';
const CONFLICT = 'id, crm_id, referral_id, fields_json, base_json, crm_json, partner_center_json, detected_at, resolved_at, resolution';
const RUN = 'id, started_at, finished_at, outcome, counts_json, message';
const PARKED = 'side, record_id, reasons_json, fingerprint, parked_at, attempts, retry_at, name, team_json, crm_etag';
const INTENT = 'target, source_id, created_at, attempts';
const LINK_VERSION = 'crm_id, referral_id, state, pc_etag, crm_etag, held_until';

/** JSON columns as text inside `json_agg`, so a page snapshot's rows have the same shape as single reads. */
const LINK_AS_TEXT = LINK.replace('base_json', 'base_json::text AS base_json').replace('last_status_json', 'last_status_json::text AS last_status_json');
const PARKED_AS_TEXT = PARKED.replace('reasons_json', 'reasons_json::text AS reasons_json');
const CONFLICT_AS_TEXT = CONFLICT.replace(/(\w+_json)/g, '$1::text AS $1');

/** A page's links (these columns) by either ID, with the intents if asked, parked records and open conflicts of every ID found. */
function pageRecords(linkColumns: string, intents: boolean): string {
  const intentsPart = intents
    ? `(SELECT COALESCE(json_agg(i), '[]') FROM (SELECT ${INTENT} FROM create_intents WHERE tenant_id = $1
        AND ((target = 'referral' AND source_id IN (SELECT id FROM c)) OR (target = 'crm' AND source_id IN (SELECT id FROM r)))) i)::text AS intents,`
    : '';
  return `WITH l AS (SELECT ${linkColumns} FROM links WHERE tenant_id = $1 AND (crm_id = ANY($2::text[]) OR referral_id = ANY($3::text[]))),
    c AS (SELECT unnest($2::text[]) AS id UNION SELECT crm_id FROM l),
    r AS (SELECT unnest($3::text[]) AS id UNION SELECT referral_id FROM l)
    SELECT
      (SELECT COALESCE(json_agg(l), '[]') FROM l)::text AS links,
      ${intentsPart}
      (SELECT COALESCE(json_agg(p), '[]') FROM (SELECT ${PARKED_AS_TEXT} FROM parked_records WHERE tenant_id = $1
        AND ((side = 'crm' AND record_id IN (SELECT id FROM c)) OR (side = 'partner-center' AND record_id IN (SELECT id FROM r)))) p)::text AS parked,
      (SELECT COALESCE(json_agg(k), '[]') FROM (SELECT ${CONFLICT_AS_TEXT} FROM conflicts WHERE tenant_id = $1
        AND resolved_at IS NULL AND crm_id IN (SELECT id FROM c)) k)::text AS conflicts`;
}

export const SQL = {
  // CRM leads (the rest of their statements are in pg-leads.ts); also written inside a page's transaction.
  putLead: `INSERT INTO crm_leads (tenant_id, lead_id, referral_id, created_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (tenant_id, lead_id) DO UPDATE SET referral_id = excluded.referral_id`,
  // Links. A referral linked to another CRM record of the tenant makes the insert select nothing (no row
  // written, no error that would abort the transaction); the store reports `store.link_conflict`.
  linkByCrmId: `SELECT ${LINK} FROM links WHERE tenant_id = $1 AND crm_id = $2`,
  linkByReferralId: `SELECT ${LINK} FROM links WHERE tenant_id = $1 AND referral_id = $2`,
  // Its conflicts go with it (conflicts_link: ON DELETE CASCADE), as the SQLite and memory stores delete them.
  deleteLink: 'DELETE FROM links WHERE tenant_id = $1 AND crm_id = $2',
  upsertLink: `INSERT INTO links (tenant_id, ${LINK})
    SELECT $1, $2, $3, $4, $5, $6::json, $7, $8, $9, $10, $11::json, $12, $13
    WHERE NOT EXISTS (SELECT 1 FROM links WHERE tenant_id = $1 AND referral_id = $3 AND crm_id <> $2)
    ON CONFLICT (tenant_id, crm_id) DO UPDATE SET referral_id = excluded.referral_id, engagement_id = excluded.engagement_id,
      state = excluded.state, base_json = excluded.base_json, pc_etag = excluded.pc_etag, crm_etag = excluded.crm_etag,
      crm_modified_at = excluded.crm_modified_at, pc_updated_at = excluded.pc_updated_at,
      last_status_json = excluded.last_status_json, held_until = excluded.held_until, updated_at = excluded.updated_at`,
  dueHolds: `SELECT ${LINK} FROM links WHERE tenant_id = $1 AND held_until <= $2 ORDER BY held_until, crm_id`,
  listLinks: `SELECT ${LINK} FROM links WHERE tenant_id = $1 ORDER BY updated_at DESC, crm_id LIMIT $2 OFFSET $3`,
  listLinksByState: `SELECT ${LINK} FROM links WHERE tenant_id = $1 AND state = $2 ORDER BY updated_at DESC, crm_id LIMIT $3 OFFSET $4`,
  // needsAttention (state-store.ts) in SQL, as the SQLite store's statement.
  attentionLinks: `SELECT ${LINK} FROM links WHERE tenant_id = $1 AND state = 'active' AND (
      (base_json->>'direction' = 'inbound' AND base_json->>'status' = 'New') OR last_status_json->>'registrationEligible' = 'true')
    ORDER BY updated_at DESC, crm_id`,
  pipelineDeals: `SELECT base_json->>'direction' AS direction, base_json->>'status' AS status, base_json->>'substatus' AS substatus,
      base_json->>'salesStage' AS sales_stage, (base_json->>'value')::double precision AS value, base_json->>'currency' AS currency
    FROM links WHERE tenant_id = $1 AND state = 'active'`,
  countLinksByState: 'SELECT state, COUNT(*)::int AS n FROM links WHERE tenant_id = $1 GROUP BY state',

  intent: `SELECT ${INTENT} FROM create_intents WHERE tenant_id = $1 AND target = $2 AND source_id = $3`,
  upsertIntent: `INSERT INTO create_intents (tenant_id, ${INTENT}) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (tenant_id, target, source_id) DO UPDATE SET created_at = excluded.created_at, attempts = excluded.attempts`,
  deleteIntent: 'DELETE FROM create_intents WHERE tenant_id = $1 AND target = $2 AND source_id = $3',
  listIntents: `SELECT ${INTENT} FROM create_intents WHERE tenant_id = $1 ORDER BY created_at, target, source_id`,

  parked: `SELECT ${PARKED} FROM parked_records WHERE tenant_id = $1 AND side = $2 AND record_id = $3`,
  upsertParked: `INSERT INTO parked_records (tenant_id, ${PARKED}) VALUES ($1, $2, $3, $4::json, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (tenant_id, side, record_id) DO UPDATE SET reasons_json = excluded.reasons_json, fingerprint = excluded.fingerprint,
      parked_at = excluded.parked_at, attempts = excluded.attempts, retry_at = excluded.retry_at, name = excluded.name, team_json = excluded.team_json,
      crm_etag = excluded.crm_etag`,
  deleteParked: 'DELETE FROM parked_records WHERE tenant_id = $1 AND side = $2 AND record_id = $3',
  listParked: `SELECT ${PARKED} FROM parked_records WHERE tenant_id = $1 ORDER BY parked_at DESC, side, record_id LIMIT $2`,
  listParkedBySide: `SELECT ${PARKED} FROM parked_records WHERE tenant_id = $1 AND side = $2 ORDER BY parked_at DESC, side, record_id LIMIT $3`,
  dueParked: `SELECT ${PARKED} FROM parked_records WHERE tenant_id = $1 AND retry_at <= $2 ORDER BY retry_at, side, record_id LIMIT $3`,
  countParked: 'SELECT COUNT(*)::int AS n FROM parked_records WHERE tenant_id = $1',

  // Conflicts: an insert that would break "a link exists" or "one open conflict per link" selects nothing.
  insertConflict: `INSERT INTO conflicts (tenant_id, crm_id, referral_id, fields_json, base_json, crm_json, partner_center_json, detected_at, resolved_at, resolution)
    SELECT $1, $2, $3, $4::json, $5::json, $6::json, $7::json, $8, $9, $10
    WHERE EXISTS (SELECT 1 FROM links WHERE tenant_id = $1 AND crm_id = $2)
      AND ($9::text IS NOT NULL OR NOT EXISTS (SELECT 1 FROM conflicts WHERE tenant_id = $1 AND crm_id = $2 AND resolved_at IS NULL))
    RETURNING ${CONFLICT}`,
  linkExists: 'SELECT 1 FROM links WHERE tenant_id = $1 AND crm_id = $2',
  conflict: `SELECT ${CONFLICT} FROM conflicts WHERE tenant_id = $1 AND id = $2`,
  listOpenConflicts: `SELECT ${CONFLICT} FROM conflicts WHERE tenant_id = $1 AND resolved_at IS NULL ORDER BY id`,
  listAllConflicts: `SELECT ${CONFLICT} FROM conflicts WHERE tenant_id = $1 ORDER BY id`,
  openConflictFor: `SELECT ${CONFLICT} FROM conflicts WHERE tenant_id = $1 AND crm_id = $2 AND resolved_at IS NULL`,
  refreshConflict: 'UPDATE conflicts SET crm_json = $2::json, partner_center_json = $3::json WHERE tenant_id = $1 AND id = $4 AND resolved_at IS NULL',
  resolveConflict: 'UPDATE conflicts SET resolution = $2, resolved_at = $3 WHERE tenant_id = $1 AND id = $4 AND resolved_at IS NULL',

  cursor: 'SELECT cursor_json FROM cursors WHERE tenant_id = $1 AND side = $2',
  upsertCursor: `INSERT INTO cursors (tenant_id, side, cursor_json) VALUES ($1, $2, $3::json)
    ON CONFLICT (tenant_id, side) DO UPDATE SET cursor_json = excluded.cursor_json`,

  insertRun: `INSERT INTO runs (tenant_id, started_at, counts_json) VALUES ($1, $2, '{}') RETURNING ${RUN}`,
  pruneRuns: 'DELETE FROM runs WHERE tenant_id = $1 AND id <= (SELECT id FROM runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)',
  finishRun: 'UPDATE runs SET started_at = COALESCE($7, started_at), finished_at = $3, outcome = $4, counts_json = $5::json, message = $6 WHERE tenant_id = $1 AND id = $2',
  recentNotices: `SELECT ${NOTICE_COLUMNS} FROM notifications WHERE tenant_id = $1 ORDER BY created_at DESC, cause LIMIT $2`,
  listRuns: `SELECT ${RUN} FROM runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2`,
  failUnfinishedRuns: "UPDATE runs SET outcome = 'failed', finished_at = $2, message = $3 WHERE tenant_id = $1 AND finished_at IS NULL",

  meta: 'SELECT value_json FROM store_meta WHERE tenant_id = $1 AND key = $2',
  upsertMeta: `INSERT INTO store_meta (tenant_id, key, value_json, updated_at) VALUES ($1, $2, $3::json, $4)
    ON CONFLICT (tenant_id, key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  deleteMeta: 'DELETE FROM store_meta WHERE tenant_id = $1 AND key = $2',

  // Related rows, a batch per statement (the caller removes duplicate row IDs, keeping the last). A row read
  // again under the same opportunity at the version already known, with nothing pending, is left as it is
  // (as in sqlite-statements.ts: settling would give it that version again).
  rememberRelated: `INSERT INTO crm_related_rows (tenant_id, row_id, parent_id, pending_version, pending_run)
    SELECT $1, r, p, v, n FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t (r, p, v, n)
    ON CONFLICT (tenant_id, row_id) DO UPDATE SET parent_id = excluded.parent_id, gone_at = NULL,
      pending_version = COALESCE(excluded.pending_version, crm_related_rows.pending_version),
      pending_run = COALESCE(excluded.pending_run, crm_related_rows.pending_run)
    WHERE NOT (crm_related_rows.parent_id = excluded.parent_id AND crm_related_rows.gone_at IS NULL AND crm_related_rows.pending_run IS NULL
      AND excluded.pending_version IS NOT NULL AND crm_related_rows.version = excluded.pending_version)`,
  settleRelated: 'UPDATE crm_related_rows SET version = pending_version, pending_version = NULL, pending_run = NULL WHERE tenant_id = $1 AND pending_run = $2',
  relatedParents: 'SELECT row_id, parent_id, version FROM crm_related_rows WHERE tenant_id = $1 AND row_id = ANY($2::text[])',
  markRelatedGone: 'UPDATE crm_related_rows SET gone_at = $2 WHERE tenant_id = $1 AND row_id = ANY($3::text[]) AND gone_at IS NULL',
  forgetRelatedGone: 'DELETE FROM crm_related_rows WHERE tenant_id = $1 AND gone_at IS NOT NULL AND gone_at < $2',

  // The runner lock in one statement, as in SQLite: inserted when free, taken over by the same owner or
  // from a holder whose heartbeat is stale. INSERT … ON CONFLICT is atomic under concurrency.
  acquireLock: `INSERT INTO runner_locks (tenant_id, owner, acquired_ms, heartbeat_ms, pid, host) VALUES ($1, $2, $3, $3, $5, $6)
    ON CONFLICT (tenant_id) DO UPDATE SET owner = excluded.owner, heartbeat_ms = excluded.heartbeat_ms, pid = excluded.pid, host = excluded.host,
      acquired_ms = CASE WHEN runner_locks.owner = excluded.owner THEN runner_locks.acquired_ms ELSE excluded.acquired_ms END
    WHERE runner_locks.owner = excluded.owner OR excluded.heartbeat_ms - runner_locks.heartbeat_ms >= $4`,
  renewLock: 'UPDATE runner_locks SET heartbeat_ms = $3 WHERE tenant_id = $1 AND owner = $2',
  releaseLock: 'DELETE FROM runner_locks WHERE tenant_id = $1 AND owner = $2',
  lockHolder: 'SELECT owner, pid, host, acquired_ms, heartbeat_ms FROM runner_locks WHERE tenant_id = $1',
  breakLock: 'DELETE FROM runner_locks WHERE tenant_id = $1 AND owner = $2 AND heartbeat_ms = $3',

  /**
   * One page's records in one round trip: links by either ID, then intents, parked records and open
   * conflicts for every ID of the page and of the links found.
   */
  loadPage: pageRecords(LINK_AS_TEXT, true),
  /** `loadPage` without the links' bases and statuses and without intents (`loadVersions`). */
  loadVersions: pageRecords(LINK_VERSION, false),
} as const;
