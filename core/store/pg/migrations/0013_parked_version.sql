-- PostgreSQL migration 13: a parked record keeps the CRM record's version as the engine last read or wrote
-- it, so that the next listings do not read a parked deal back for the engine's own write of its reason;
-- equal to the SQLite state schema at its version 11 (core/store/sqlite-schema.ts: parked_version).
-- Equals SQLite schema version: 11

ALTER TABLE parked_records ADD COLUMN crm_etag TEXT COLLATE "C";
