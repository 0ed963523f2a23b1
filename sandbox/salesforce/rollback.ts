/**
 * All-or-none transactions: a copy of the org's records and delete log taken before a request's work,
 * put back when the work must be rolled back (sObject Collections and Composite with `allOrNone: true`).
 */
import type { Rec, SalesforceStore } from './store.js';

export interface Savepoint {
  rollback(): void;
}

export function savepoint(store: SalesforceStore): Savepoint {
  const names = [...store.objects.keys()];
  const tables = JSON.stringify(names.map((name) => store.all(name)));
  const deletions = store.deletedLog.length;
  return {
    rollback() {
      const saved = JSON.parse(tables) as Rec[][];
      names.forEach((name, i) => {
        for (const r of store.all(name)) store.remove(name, r.Id);
        for (const r of saved[i] ?? []) store.put(name, r);
      });
      store.deletedLog.length = deletions;
    },
  };
}
