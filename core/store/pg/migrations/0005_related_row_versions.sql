-- PostgreSQL migration 5: the version of each related row as the engine last processed it, and the one a
-- run read pending until that run is settled, equal to the SQLite state schema at its version 7
-- (core/store/sqlite-schema.ts: related_row_versions).
-- Equals SQLite schema version: 7

ALTER TABLE crm_related_rows ADD COLUMN version TEXT COLLATE "C";
ALTER TABLE crm_related_rows ADD COLUMN pending_version TEXT COLLATE "C";
ALTER TABLE crm_related_rows ADD COLUMN pending_run TEXT COLLATE "C";
CREATE INDEX crm_related_rows_pending ON crm_related_rows (tenant_id, pending_run) WHERE pending_run IS NOT NULL;
