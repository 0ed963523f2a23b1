-- PostgreSQL migration 8: a tenant's bulk CSV imports and exports, run by a worker (docs/scale-out.md,
-- "Import and export jobs"). PostgreSQL only. The CSV an admin submits and the file the job produces (the
-- export, or the import's results file with every row's outcome) are kept here until the command that
-- submitted the job has written them out; the job queue only carries the row's ID.
CREATE TABLE tenant_csv_jobs (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('import', 'export')),
  options_json JSON NOT NULL,
  -- The submitted file as bytes: invalid UTF-8 must reach the importer, which refuses its row by name.
  input        BYTEA,
  state        TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'running', 'done', 'failed')),
  output       TEXT,
  summary_json JSON,
  message      TEXT,
  created_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ
);
CREATE INDEX tenant_csv_jobs_tenant ON tenant_csv_jobs (tenant_id, created_at);
