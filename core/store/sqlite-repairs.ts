/**
 * Data repairs for state databases written by older versions of cosell-connector: facts the old version
 * stored that this version reads differently. Schema migrations (sqlite-schema.ts) change tables; a repair
 * changes rows, and only in a database that was at a schema version below `before` when it was opened,
 * so a database created or already repaired by a newer version is never touched.
 *
 * Rules as for migrations: append, never edit a released repair; each is SQL safe inside the migration's
 * transaction.
 */
import type Database from 'better-sqlite3';

export interface DataRepair {
  /** Runs on a database whose schema version was 1 … before - 1 when this version opened it. */
  before: number;
  name: string;
  /** What it did, as the upgrade notice tells the admin. */
  says: string;
  sql: string;
}

/**
 * Consent became a CRM field (`Consent to share contacts`) together with schema version 4. Versions
 * before it inferred consent and stored `consentToShareContacts: true` in every link's base, while the
 * field `cosell setup` then creates on existing records is unticked. Read against that base, the empty
 * field looked like a seller withdrawing consent: the first sync after the upgrade removed the customer
 * contact from every synced referral in Partner Center, Microsoft's inbound ones included. The base now
 * says what the CRM held then, nothing ticked, and each such link is due for a revisit at once (the
 * revisit reads both sides fresh, as for a hold that ended: revisits.ts), so Partner Center's consent
 * flows into the new field; where the CRM already had the field, both sides agree and nothing is written.
 * A hold already set keeps its time: the pair is read fresh when it ends.
 */
const CONSENT_WAS_INFERRED = `
UPDATE links
SET base_json = json_set(links.base_json, '$.consentToShareContacts', json('false')),
    held_until = COALESCE(links.held_until, due.at)
FROM (
  -- Revisits read both sides one referral at a time: the first 500 at once, then 500 a minute, so a large
  -- store does not spend its Partner Center budget on one run.
  SELECT crm_id,
         CASE WHEN n <= 500 THEN '1970-01-01T00:00:00.000Z'
              ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ((n - 1) / 500) || ' minutes') END AS at
  FROM (SELECT crm_id, ROW_NUMBER() OVER (ORDER BY crm_id) AS n FROM links
        WHERE json_extract(base_json, '$.consentToShareContacts') = 1)
) AS due
WHERE links.crm_id = due.crm_id;
`;

export const DATA_REPAIRS: readonly DataRepair[] = [
  {
    before: 4,
    name: 'consent_was_inferred',
    says: 'consent, inferred by the older version, is read again from Partner Center into the CRM\'s "Consent to share contacts" field at the next sync',
    sql: CONSENT_WAS_INFERRED,
  },
];

/** Applies the repairs for a database that was at `fromVersion` (0: a new file, which needs none); returns what each did. */
export function applyDataRepairs(db: Database.Database, fromVersion: number, repairs: readonly DataRepair[] = DATA_REPAIRS): string[] {
  if (fromVersion === 0) return [];
  const due = repairs.filter((repair) => fromVersion < repair.before);
  for (const repair of due) db.exec(repair.sql);
  return due.map((repair) => repair.says);
}
