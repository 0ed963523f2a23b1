/**
 * Running the same import file twice creates nothing twice. Each create row has a key that Partner
 * Center stores on the deal as its `externalReferenceId` (the CSV's "CRM ID"), and before creating, the
 * import looks the key up:
 * - a row with a CRM ID is keyed by it ("Identifier of this specific referral in your CRM system");
 * - a row without one is keyed by its content: `csv-` and the SHA-256 of the deal it describes (every
 *   field the row sets, in a canonical JSON form), which is then stored as the deal's CRM ID and
 *   written into the results file's CRM ID column.
 *
 * A create row whose key already names a deal is reported unchanged, with that deal's IDs in the results
 * file; to change the deal, upload the row with its Referral ID. Two rows of one file with the same key
 * are the same deal: the second is refused. A row keyed by content that is edited before it is uploaded
 * again is a different deal; the results file carries the IDs precisely so that corrected rows are
 * uploaded as updates.
 */
import { createHash } from 'node:crypto';
import type { Referral } from '../model/index.js';
import { canonicalJson } from '../canonical-json.js';

export const CONTENT_KEY_PREFIX = 'csv-';

/** The content key of a new deal built from a row (its own `crmId` left out). */
export function contentKey(referral: Referral): string {
  const { crmId: _crmId, ...content } = referral;
  return `${CONTENT_KEY_PREFIX}${createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)}`;
}

export type CreateKey = { kind: 'crm-id' | 'content'; value: string };

export function createKey(referral: Referral): CreateKey {
  return referral.crmId ? { kind: 'crm-id', value: referral.crmId } : { kind: 'content', value: contentKey(referral) };
}
