-- PostgreSQL migration 5: the version of each related row as the CRM adapter last read it, equal to the
-- SQLite state schema at its version 7 (core/store/sqlite-schema.ts: related_row_versions).
-- Equals SQLite schema version: 7

ALTER TABLE crm_related_rows ADD COLUMN version TEXT COLLATE "C";
