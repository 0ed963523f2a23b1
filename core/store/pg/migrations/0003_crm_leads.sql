-- PostgreSQL migration 3: CRM leads created for Partner Center lead referrals and their conversion
-- (SQLite migration 5, crm_leads), keyed by tenant like every state table.
-- Equals SQLite schema version: 5

CREATE TABLE crm_leads (
  tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  lead_id      TEXT COLLATE "C" NOT NULL,
  referral_id  TEXT COLLATE "C" NOT NULL,
  created_at   TEXT COLLATE "C" NOT NULL,
  converted_to TEXT COLLATE "C",
  converted_at TEXT COLLATE "C",
  PRIMARY KEY (tenant_id, lead_id)
);
CREATE INDEX crm_leads_open ON crm_leads (tenant_id, created_at, lead_id) WHERE converted_to IS NULL;
