-- PostgreSQL migration 2: the sync state, equal to the SQLite state schema at its version 4
-- (core/store/sqlite-schema.ts: initial, unattended, parked_name, related_rows), with every row keyed by
-- its tenant. A later SQLite migration N (N > 4) gets its own PostgreSQL migration here, numbered next,
-- with its own "Equals SQLite schema version: N" line (test/store/pg-migrations.test.ts checks it).
-- Equals SQLite schema version: 4
--
-- As in SQLite: instants are ISO 8601 text (held_until, retry_at and gone_at normalised by the store to
-- Date#toISOString(), so they compare as text through their indexes); snapshots are JSON exactly as given
-- (type json keeps the text verbatim; the store never looks inside); the lock's times are epoch ms.
-- Text columns use the "C" collation: byte order, as SQLite compares text, so listings come back in the
-- same order on both stores whatever the server's locale. Deleting a tenant deletes all of its state.

CREATE TABLE links (
  tenant_id        TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  crm_id           TEXT COLLATE "C" NOT NULL,
  referral_id      TEXT COLLATE "C" NOT NULL,
  engagement_id    TEXT COLLATE "C",
  state            TEXT COLLATE "C" NOT NULL CHECK (state IN ('active', 'crm-deleted', 'referral-missing')),
  base_json        JSON NOT NULL,
  pc_etag          TEXT COLLATE "C",
  crm_etag         TEXT COLLATE "C",
  crm_modified_at  TEXT COLLATE "C",
  pc_updated_at    TEXT COLLATE "C",
  last_status_json JSON,
  held_until       TEXT COLLATE "C",
  updated_at       TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, crm_id),
  CONSTRAINT links_referral_unique UNIQUE (tenant_id, referral_id)
);
CREATE INDEX links_due_holds ON links (tenant_id, held_until, crm_id) WHERE held_until IS NOT NULL;
CREATE INDEX links_by_update ON links (tenant_id, updated_at DESC, crm_id);
CREATE INDEX links_by_state ON links (tenant_id, state, updated_at DESC, crm_id);

CREATE TABLE create_intents (
  tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  target     TEXT COLLATE "C" NOT NULL CHECK (target IN ('referral', 'crm')),
  source_id  TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  attempts   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, target, source_id)
);

CREATE TABLE parked_records (
  tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  side         TEXT COLLATE "C" NOT NULL CHECK (side IN ('crm', 'partner-center')),
  record_id    TEXT COLLATE "C" NOT NULL,
  reasons_json JSON NOT NULL,
  fingerprint  TEXT COLLATE "C" NOT NULL,
  parked_at    TEXT COLLATE "C" NOT NULL,
  attempts     INTEGER NOT NULL,
  retry_at     TEXT COLLATE "C",
  name         TEXT COLLATE "C",
  PRIMARY KEY (tenant_id, side, record_id)
);
CREATE INDEX parked_by_time ON parked_records (tenant_id, parked_at DESC, side, record_id);
CREATE INDEX parked_due ON parked_records (tenant_id, retry_at, side, record_id) WHERE retry_at IS NOT NULL;

CREATE TABLE conflicts (
  id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id           TEXT COLLATE "C" NOT NULL,
  crm_id              TEXT COLLATE "C" NOT NULL,
  referral_id         TEXT COLLATE "C" NOT NULL,
  fields_json         JSON NOT NULL,
  base_json           JSON NOT NULL,
  crm_json            JSON NOT NULL,
  partner_center_json JSON NOT NULL,
  detected_at         TEXT COLLATE "C" NOT NULL,
  resolved_at         TEXT COLLATE "C",
  resolution          TEXT COLLATE "C" CHECK (resolution IN ('crm', 'partner-center')),
  CHECK ((resolved_at IS NULL) = (resolution IS NULL)),
  CONSTRAINT conflicts_link FOREIGN KEY (tenant_id, crm_id) REFERENCES links (tenant_id, crm_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX conflicts_one_open_per_link ON conflicts (tenant_id, crm_id) WHERE resolved_at IS NULL;
CREATE INDEX conflicts_by_tenant ON conflicts (tenant_id, id);

CREATE TABLE cursors (
  tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  side        TEXT COLLATE "C" NOT NULL CHECK (side IN ('crm', 'partner-center')),
  cursor_json JSON NOT NULL,
  PRIMARY KEY (tenant_id, side)
);

CREATE TABLE runs (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  started_at  TEXT COLLATE "C" NOT NULL,
  finished_at TEXT COLLATE "C",
  outcome     TEXT COLLATE "C" CHECK (outcome IN ('ok', 'partial', 'failed', 'paused')),
  counts_json JSON NOT NULL,
  message     TEXT COLLATE "C"
);
CREATE INDEX runs_by_tenant ON runs (tenant_id, id DESC);
CREATE INDEX runs_unfinished ON runs (tenant_id) WHERE finished_at IS NULL;

-- The runner lock and its heartbeat, one row per tenant. With the job queue's one-job-per-tenant rule
-- this is a second line of defence (and what `cosell status` shows), as in a single install.
CREATE TABLE runner_locks (
  tenant_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  owner        TEXT COLLATE "C" NOT NULL,
  acquired_ms  BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL,
  pid          INTEGER,
  host         TEXT COLLATE "C"
);

CREATE TABLE store_meta (
  tenant_id  TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  key        TEXT COLLATE "C" NOT NULL,
  value_json JSON NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE crm_related_rows (
  tenant_id TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  row_id    TEXT COLLATE "C" NOT NULL,
  parent_id TEXT COLLATE "C" NOT NULL,
  gone_at   TEXT COLLATE "C",
  PRIMARY KEY (tenant_id, row_id)
);
CREATE INDEX crm_related_rows_gone ON crm_related_rows (tenant_id, gone_at) WHERE gone_at IS NOT NULL;
