-- PostgreSQL migration 1: the tenants. One row per partner organisation the connector syncs for.
--
-- Nothing secret is stored here: the tenant's config holds secret *references* only (env:NAME,
-- file:/path, as a config file does), and `cosell tenants add` refuses a config that holds a value where
-- a reference belongs. The Partner Center token cache is stored encrypted with a key derived from the
-- master key for this tenant alone (HKDF, the tenant ID as info; core/tenants/tenant-keys.ts).

CREATE TABLE tenants (
  -- Lower-case letters, digits and hyphens: it appears in job keys, metric labels and log lines.
  tenant_id       TEXT COLLATE "C" PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  display_name    TEXT COLLATE "C" NOT NULL,
  -- The Partner Center organisation: the partner's Microsoft Entra tenant (directory) ID.
  pc_organisation TEXT COLLATE "C" NOT NULL,
  -- The CRM connector (salesforce, dynamics …), also inside config_json; a column for listing and filtering.
  crm_kind        TEXT COLLATE "C" NOT NULL,
  -- The tenant's cosell config without its store and logging sections: crm (with credential references),
  -- partnerCenter (the sign-in: client ID, authority, auth mode, key reference) and sync (the policies).
  config_json     JSON NOT NULL,
  -- When its sync cycle is enqueued: a five-field cron expression (the job queue's scheduler reads it).
  schedule        TEXT COLLATE "C" NOT NULL,
  created_at      TEXT COLLATE "C" NOT NULL,
  updated_at      TEXT COLLATE "C" NOT NULL
);

-- The tenant's msal token cache (its Partner Center refresh token): AES-256-GCM ciphertext only.
CREATE TABLE tenant_token_caches (
  tenant_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  ciphertext TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL
);
