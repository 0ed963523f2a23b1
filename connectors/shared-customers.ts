/**
 * The other deals of a customer row an update edited, for every adapter (Salesforce related-writes.ts,
 * Dynamics 365 shared-customers.ts): each CRM finds which opportunities use the edited account or contact its
 * own way, and this names them per write (`customerSharedWith`), leaving out the write's own opportunity. Pure.
 */

/** A successful update that edited a customer row. */
export interface CustomerWriter {
  key: string;
  crmId: string;
}

/** Notes that `writer` edited the row `rowId` (row ID → the writes that edited it). */
export function addWriter<W>(rows: Map<string, W[]>, rowId: string, writer: W): void {
  rows.set(rowId, [...(rows.get(rowId) ?? []), writer]);
}

/**
 * Write key → the other opportunities using a row it edited. `users`: each opportunity found using an edited
 * row, with the writes that edited that row; `idOf`: an ID in the form the CRM compares (Salesforce's 15
 * characters, Dataverse's lower case).
 */
export function otherDealsOf(users: Iterable<{ writers: readonly CustomerWriter[] | undefined; opportunityId: string }>, idOf: (id: string) => string): Map<string, string[]> {
  const shared = new Map<string, Set<string>>();
  for (const { writers, opportunityId } of users) {
    for (const w of writers ?? []) {
      if (idOf(opportunityId) !== idOf(w.crmId)) shared.set(w.key, (shared.get(w.key) ?? new Set()).add(opportunityId));
    }
  }
  return new Map([...shared].map(([key, ids]) => [key, [...ids]]));
}
