-- PostgreSQL migration 9: a parked record keeps its deal's team (email addresses), so that the "fix
-- needed" notice of a deal refused before it reached Partner Center reaches its sellers; equal to the
-- SQLite state schema at its version 8 (core/store/sqlite-schema.ts: parked_team).
-- Equals SQLite schema version: 8

ALTER TABLE parked_records ADD COLUMN team_json TEXT COLLATE "C";
