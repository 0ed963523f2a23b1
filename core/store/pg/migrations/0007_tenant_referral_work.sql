-- PostgreSQL migration 7: referrals a webhook named, waiting for a targeted sync of their tenant
-- (docs/scale-out.md, "Webhooks"). PostgreSQL only: a single install keeps them in its own event queue.
-- A row stays until a targeted sync that read it finished; a later announcement of the same referral
-- moves requested_at forward, so a sync that read the older one does not delete the newer.
CREATE TABLE tenant_referral_work (
  tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  referral_id  TEXT COLLATE "C" NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, referral_id)
);
