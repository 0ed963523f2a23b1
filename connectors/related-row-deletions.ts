/**
 * A deleted related row (team member, contact role, solution, partner invitation) is named by its own ID
 * only: Salesforce's getDeleted lists IDs, Dataverse change tracking answers `$deletedEntity` rows with
 * the ID alone. The opportunity it belonged to is found in the related-row index the adapter fills as it
 * reads (`RelatedRowIndex`, kept in the state store). Shared by both adapters.
 */
import type { RelatedRowIndex } from '../core/engine/crm-port.js';
import { noteLatestChange } from './latest-change.js';

/**
 * Opportunity ID → the latest deletion among `rows` that belonged to it. The rows found are marked gone at
 * `goneAt` (still findable, so that a deletion list read again after a crash still leads to its
 * opportunity), and, when `forgetBefore` is given, rows marked gone before it are forgotten: no later
 * deletion list can name them. Rows the index never saw are left out.
 */
export async function opportunitiesOfDeletedRows(index: RelatedRowIndex, rows: readonly { id: string; at: string | undefined }[], marks: { goneAt: string; forgetBefore?: string }): Promise<Map<string, string>> {
  const parents = await index.relatedParents(rows.map((r) => r.id));
  const changed = new Map<string, string>();
  for (const row of rows) {
    const parent = parents.get(row.id);
    if (parent && row.at) noteLatestChange(changed, parent, row.at);
  }
  await index.markRelatedGone([...parents.keys()], marks.goneAt);
  if (marks.forgetBefore) await index.forgetRelatedGone(marks.forgetBefore);
  return changed;
}
