/**
 * The Opportunity fields the connector selects: the reader's listing and reads by ID, and the writer's
 * version check just before a save, which must hash the same content as the read it compares with
 * (row-version.ts).
 */
import { OWN_STATUS_FIELDS, selectFields } from '../../mappings/fields.salesforce.js';
import type { AssembleContext } from './assemble.js';
import { F } from '../../mappings/custom-fields.salesforce.js';

const BASE_FIELDS = ['Id', 'SystemModstamp', 'StageName', 'Probability', 'IsClosed', 'IsWon', F.optIn, F.response, F.direction, F.invitePartnerId, F.referralStatus, F.microsoftStatus, F.outsideTeam, 'OwnerId', 'Owner.Email'];

/**
 * The base fields, the mapped ones and the connector's own status fields (read back so that a seller's edit
 * of them is written over: connectors/shown-status.ts), each once (field names are case-insensitive).
 */
export function opportunityFields(ctx: Pick<AssembleContext, 'rows'>): string[] {
  const seen = new Set<string>();
  return [...BASE_FIELDS, ...selectFields(ctx.rows), ...OWN_STATUS_FIELDS].filter((f) => {
    const key = f.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
