/**
 * The SQLite state database's schema as an ordered list of numbered migrations, applied at open.
 *
 * Rules for adding a migration: append, never edit or renumber a released one (a database that already
 * applied version N never runs it again, so an edit would silently diverge); number them 1, 2, 3 … with
 * no gaps; keep each one forward-only SQL that is safe inside a transaction. They are applied by
 * sqlite-migrate.ts.
 */
export interface Migration {
  version: number;
  /** A short name for `schema_migrations`, so an admin can see what ran. */
  name: string;
  sql: string;
}

/**
 * Version 1: every table the `StateStore` interface needs.
 *
 * - Tables are STRICT, so a wrong type is an error rather than a silent coercion.
 * - Snapshots (`base`, the conflict's three sides, `reasons`, `lastStatus`, cursors, run counts) are JSON
 *   text exactly as given: the store never interprets them, and a later model change needs no migration.
 * - Instants are ISO 8601 text. `held_until` is normalised to `Date#toISOString()` by the store, because
 *   `dueHolds` compares it as text through its index.
 * - The lock's heartbeat is epoch milliseconds (the interface's `now: number`), compared arithmetically.
 */
const V1_INITIAL = `
CREATE TABLE links (
  crm_id           TEXT PRIMARY KEY NOT NULL,
  referral_id      TEXT NOT NULL UNIQUE,
  engagement_id    TEXT,
  state            TEXT NOT NULL CHECK (state IN ('active', 'crm-deleted', 'referral-missing')),
  base_json        TEXT NOT NULL,
  pc_etag          TEXT,
  crm_etag         TEXT,
  crm_modified_at  TEXT,
  pc_updated_at    TEXT,
  last_status_json TEXT,
  held_until       TEXT,
  updated_at       TEXT NOT NULL
) STRICT;
-- dueHolds: a range scan over held links only, already in the order it returns them.
CREATE INDEX links_due_holds ON links (held_until, crm_id) WHERE held_until IS NOT NULL;
-- listLinks (newest first, optionally by state) and countLinks.
CREATE INDEX links_by_update ON links (updated_at DESC, crm_id);
CREATE INDEX links_by_state ON links (state, updated_at DESC, crm_id);

CREATE TABLE create_intents (
  target     TEXT NOT NULL CHECK (target IN ('referral', 'crm')),
  source_id  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts   INTEGER NOT NULL,
  PRIMARY KEY (target, source_id)
) STRICT;

CREATE TABLE parked_records (
  side         TEXT NOT NULL CHECK (side IN ('crm', 'partner-center')),
  record_id    TEXT NOT NULL,
  reasons_json TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  parked_at    TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  PRIMARY KEY (side, record_id)
) STRICT;
CREATE INDEX parked_by_time ON parked_records (parked_at DESC, side, record_id);

-- A conflict is always about a linked pair, hence the foreign key to links.
CREATE TABLE conflicts (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  crm_id              TEXT NOT NULL REFERENCES links (crm_id),
  referral_id         TEXT NOT NULL,
  fields_json         TEXT NOT NULL,
  base_json           TEXT NOT NULL,
  crm_json            TEXT NOT NULL,
  partner_center_json TEXT NOT NULL,
  detected_at         TEXT NOT NULL,
  resolved_at         TEXT,
  resolution          TEXT CHECK (resolution IN ('crm', 'partner-center')),
  CHECK ((resolved_at IS NULL) = (resolution IS NULL))
) STRICT;
-- "At most one is open at a time" per link, enforced rather than hoped for.
CREATE UNIQUE INDEX conflicts_one_open_per_link ON conflicts (crm_id) WHERE resolved_at IS NULL;
CREATE INDEX conflicts_by_link ON conflicts (crm_id, id);

CREATE TABLE cursors (
  side        TEXT PRIMARY KEY NOT NULL CHECK (side IN ('crm', 'partner-center')),
  cursor_json TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  outcome     TEXT CHECK (outcome IN ('ok', 'partial', 'failed', 'paused')),
  counts_json TEXT NOT NULL,
  message     TEXT
) STRICT;

-- The single-runner lock: at most one row (id = 1); no row means nobody holds it.
CREATE TABLE runner_lock (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  owner        TEXT NOT NULL,
  acquired_ms  INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL
) STRICT;
`;

/**
 * Version 2: what unattended running needs.
 * - The lock names its holder's process and host, so a lock left by a dead process is taken over at once.
 * - A parked record may carry a time to retry even when nothing changed (a refusal that can pass later).
 * - `store_meta` keeps small facts about the store itself, such as when links were last rebuilt.
 */
const V2_UNATTENDED = `
ALTER TABLE runner_lock ADD COLUMN pid INTEGER;
ALTER TABLE runner_lock ADD COLUMN host TEXT;
ALTER TABLE parked_records ADD COLUMN retry_at TEXT;
CREATE INDEX parked_due ON parked_records (retry_at, side, record_id) WHERE retry_at IS NOT NULL;
CREATE TABLE store_meta (
  key        TEXT PRIMARY KEY NOT NULL,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;

/**
 * Version 3: a parked record keeps the deal's name, so that `cosell status` can show which deal a refused
 * inbound referral is even though no CRM record (and no link) exists for it yet.
 */
const V3_PARKED_NAME = `
ALTER TABLE parked_records ADD COLUMN name TEXT;
`;

/**
 * Version 4: the CRM's related rows (team members, contact roles, solution rows) → their opportunity, so
 * that a deletion feed naming only the deleted row leads back to the opportunity to re-read. One row per
 * related record: a table, not a `store_meta` value, because it grows with the CRM and changes a few rows
 * per run. `gone_at` marks rows reported deleted; they are dropped once no deletion window can name them.
 */
const V4_RELATED_ROWS = `
CREATE TABLE crm_related_rows (
  row_id    TEXT PRIMARY KEY NOT NULL,
  parent_id TEXT NOT NULL,
  gone_at   TEXT
) STRICT;
CREATE INDEX crm_related_rows_gone ON crm_related_rows (gone_at) WHERE gone_at IS NOT NULL;
`;

/**
 * Version 5: the CRM leads the connector created for referrals Partner Center classifies as leads
 * (lead-records.ts): one row per lead, marked with the opportunity it became once the seller converts it.
 */
const V5_CRM_LEADS = `
CREATE TABLE crm_leads (
  lead_id      TEXT PRIMARY KEY NOT NULL,
  referral_id  TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  converted_to TEXT,
  converted_at TEXT
) STRICT;
CREATE INDEX crm_leads_open ON crm_leads (created_at, lead_id) WHERE converted_to IS NULL;
`;

/**
 * Version 6: notifications sent through Microsoft Graph (core/notify/), one row per cause ("inbound
 * referral X is new", "X has under 48 hours left", "record Y parked with fingerprint F"), so that each
 * cause is told once although every run sees it again. A row waits (`sent_at` NULL) until `send_after`:
 * quiet hours and the daily digest hold it back; a failed send moves `send_after` on.
 */
const V6_NOTIFICATIONS = `
CREATE TABLE notifications (
  cause       TEXT PRIMARY KEY NOT NULL,
  kind        TEXT NOT NULL,
  notice_json TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  send_after  TEXT NOT NULL,
  sent_at     TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT
) STRICT;
CREATE INDEX notifications_waiting ON notifications (send_after, cause) WHERE sent_at IS NULL;
CREATE INDEX notifications_recent ON notifications (created_at DESC, cause);
`;

/**
 * Version 7: the version of each related row as the engine last processed it (a hash of what the deal is
 * built from), so that a related-row change listed again by a re-read margin is known and costs nothing
 * (issue 13). A version read in a run is pending (`pending_version`, `pending_run`) until that run is known
 * committed; NULL for rows remembered before.
 */
const V7_RELATED_ROW_VERSIONS = `
ALTER TABLE crm_related_rows ADD COLUMN version TEXT;
ALTER TABLE crm_related_rows ADD COLUMN pending_version TEXT;
ALTER TABLE crm_related_rows ADD COLUMN pending_run TEXT;
CREATE INDEX crm_related_rows_pending ON crm_related_rows (pending_run) WHERE pending_run IS NOT NULL;
`;

/**
 * Version 8: a parked record keeps its deal's team (email addresses), so that the "fix needed" notice of a
 * deal refused before it reached Partner Center (no link yet) reaches its sellers, not only the mailbox.
 */
const V8_PARKED_TEAM = `
ALTER TABLE parked_records ADD COLUMN team_json TEXT;
`;

/**
 * Version 9: the referrals `cosell serve` was told about by webhook and has not synced yet, one row each
 * (pending-referrals.ts). They were one `store_meta` value (`serve.pendingReferrals`, the whole list) written
 * on every event, quadratic in a burst; a list saved that way is moved into the rows here, in the
 * migration's transaction, so nothing waiting is lost on upgrade.
 */
const V9_PENDING_REFERRALS = `
CREATE TABLE pending_referrals (
  referral_id  TEXT PRIMARY KEY NOT NULL,
  received_ms  INTEGER NOT NULL,
  events       INTEGER NOT NULL,
  failure_json TEXT,
  updated_at   TEXT NOT NULL
) STRICT;
INSERT OR REPLACE INTO pending_referrals (referral_id, received_ms, events, failure_json, updated_at)
SELECT json_extract(e.value, '$.referralId'), CAST(json_extract(e.value, '$.receivedMs') AS INTEGER),
       COALESCE(json_extract(e.value, '$.events'), 1), json_extract(e.value, '$.failure'), m.updated_at
FROM store_meta AS m, json_each(CASE WHEN json_type(m.value_json) = 'array' THEN m.value_json ELSE '[]' END) AS e
WHERE m.key = 'serve.pendingReferrals' AND json_type(e.value, '$.referralId') = 'text' AND json_extract(e.value, '$.receivedMs') IS NOT NULL;
DELETE FROM store_meta WHERE key = 'serve.pendingReferrals';
`;

/**
 * Orphaned links (`referral-missing`) are checked again on their own at their revisit time (held_until,
 * core/engine/orphan-checks.ts). A link orphaned by a version before those checks has none: it is made due
 * now, once, here, so that the engine finds every orphaned link through the held_until index and never
 * pages through all orphaned links on every run to find the unscheduled ones. The epoch sorts before any
 * real instant (held_until is compared as text).
 */
const V10_ORPHAN_CHECKS = `
UPDATE links SET held_until = '1970-01-01T00:00:00.000Z' WHERE state = 'referral-missing' AND held_until IS NULL;
`;

/**
 * Version 11: a parked record keeps the CRM record's version as the engine last read or wrote it (the write
 * of the park reason), so that the next listings take that version for the engine's own and do not read the
 * deal back (issue 13: a parked deal has no link to keep a version on).
 */
const V11_PARKED_VERSION = `
ALTER TABLE parked_records ADD COLUMN crm_etag TEXT;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: V1_INITIAL },
  { version: 2, name: 'unattended', sql: V2_UNATTENDED },
  { version: 3, name: 'parked_name', sql: V3_PARKED_NAME },
  { version: 4, name: 'related_rows', sql: V4_RELATED_ROWS },
  { version: 5, name: 'crm_leads', sql: V5_CRM_LEADS },
  { version: 6, name: 'notifications', sql: V6_NOTIFICATIONS },
  { version: 7, name: 'related_row_versions', sql: V7_RELATED_ROW_VERSIONS },
  { version: 8, name: 'parked_team', sql: V8_PARKED_TEAM },
  { version: 9, name: 'pending_referrals', sql: V9_PENDING_REFERRALS },
  { version: 10, name: 'orphan_checks', sql: V10_ORPHAN_CHECKS },
  { version: 11, name: 'parked_version', sql: V11_PARKED_VERSION },
];
