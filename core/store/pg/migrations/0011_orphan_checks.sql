-- PostgreSQL migration 11: an orphaned link (referral-missing) that a version before the orphan checks
-- left without a revisit time is made due now, once (core/engine/orphan-checks.ts finds orphaned links
-- through held_until alone), as the SQLite state schema at its version 10 (core/store/sqlite-schema.ts).
-- Equals SQLite schema version: 10

UPDATE links SET held_until = '1970-01-01T00:00:00.000Z' WHERE state = 'referral-missing' AND held_until IS NULL;
