-- PostgreSQL migration 10: the referrals a webhook announced and no sync has covered yet, one row per
-- referral and tenant (core/store/pending-referrals.ts), equal to the SQLite state schema at its version 9
-- (core/store/sqlite-schema.ts: pending_referrals). A list saved by the old layout (one store_meta value,
-- serve.pendingReferrals) is moved into the rows, so nothing waiting is lost.
-- Equals SQLite schema version: 9

CREATE TABLE pending_referrals (
  tenant_id    TEXT COLLATE "C" NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  referral_id  TEXT COLLATE "C" NOT NULL,
  received_ms  BIGINT NOT NULL,
  events       INTEGER NOT NULL,
  failure_json JSON,
  updated_at   TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, referral_id)
);

INSERT INTO pending_referrals (tenant_id, referral_id, received_ms, events, failure_json, updated_at)
SELECT m.tenant_id, e ->> 'referralId', (e ->> 'receivedMs')::bigint, COALESCE((e ->> 'events')::integer, 1), e -> 'failure', m.updated_at
FROM store_meta AS m,
     json_array_elements(CASE WHEN json_typeof(m.value_json) = 'array' THEN m.value_json ELSE '[]'::json END) AS e
WHERE m.key = 'serve.pendingReferrals' AND json_typeof(e -> 'referralId') = 'string' AND e ->> 'receivedMs' IS NOT NULL
ON CONFLICT (tenant_id, referral_id) DO NOTHING;
DELETE FROM store_meta WHERE key = 'serve.pendingReferrals';
