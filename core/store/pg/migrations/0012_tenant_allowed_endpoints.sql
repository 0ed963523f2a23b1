-- PostgreSQL migration 12: PostgreSQL only (a single install has no tenants; its consent is COSELL_ALLOW_ENDPOINTS).
-- The hosts other than Microsoft's and Salesforce's well-known ones that the operator allowed a tenant's
-- credentials to go to (config/endpoint-consent.ts), set by `cosell tenants add --allow-endpoint` and
-- `cosell tenants allow-endpoint`, never by the tenant's config. Exact `host` or `host:port` entries.
ALTER TABLE tenants ADD COLUMN allowed_endpoints TEXT[] NOT NULL DEFAULT '{}';
