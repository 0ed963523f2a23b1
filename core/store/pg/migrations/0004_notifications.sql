-- PostgreSQL migration 4: the notifications decided on, one row per cause and tenant, equal to the SQLite
-- state schema at its version 6 (core/store/sqlite-schema.ts: notifications; core/notify/ uses it).
-- Equals SQLite schema version: 6

CREATE TABLE notifications (
  tenant_id   TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  cause       TEXT COLLATE "C" NOT NULL,
  kind        TEXT COLLATE "C" NOT NULL,
  notice_json JSON NOT NULL,
  created_at  TEXT COLLATE "C" NOT NULL,
  send_after  TEXT COLLATE "C" NOT NULL,
  sent_at     TEXT COLLATE "C",
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  PRIMARY KEY (tenant_id, cause)
);
CREATE INDEX notifications_waiting ON notifications (tenant_id, send_after, cause) WHERE sent_at IS NULL;
CREATE INDEX notifications_recent ON notifications (tenant_id, created_at DESC, cause);
