/**
 * What the update writers of a deal's related rows share (related-writes.ts for solutions and the team,
 * customer-writes.ts for the account and the contact): the write as they see it, lookup queries, deletions,
 * and the rule that a row Salesforce refuses fails the write behind it.
 */
import type { Referral } from '../../core/model/referral.js';
import type { CrmWriteResult } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { deleteRecords, type ItemOutcome } from './collections.js';
import type { CreateContext } from './create.js';
import { queryInList } from './in-list-queries.js';
import { quote } from './soql.js';
import { itemFailure } from './errors.js';

export interface RelatedWrite {
  key: string;
  crmId: string;
  referral: Referral;
  changed: readonly string[];
  /** The team, solutions and contact the engine decided on (related-sets.ts): rows added since are kept. */
  asRead?: Pick<Referral, 'team' | 'solutions' | 'customerContact'>;
}

export type Row = Record<string, unknown> & { Id: string };
export type Failure = Extract<CrmWriteResult, { ok: false }>;

/** The rows `soqlFor` finds for `values`, statements of many values five a Composite call (in-list-queries.ts). */
export async function queryAll(client: SalesforceClient, soqlFor: (chunk: string[]) => string, values: readonly string[], quoteFn: (v: string) => string = quote): Promise<Row[]> {
  return (await queryInList(client, { soqlFor, values, quote: quoteFn })) as Row[];
}

export const touches = (w: RelatedWrite, path: string) => w.changed.some((c) => c === path || c.startsWith(`${path}.`) || c.startsWith(`${path}[`));
export const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/**
 * Deletes rows (row ID → the write that removes it); a row Salesforce refuses to delete fails its write, as
 * a refused save does, so the write is retried and the record says why.
 */
export async function deleteRows(ctx: Pick<CreateContext, 'client' | 'canonicalOf'>, writerOf: ReadonlyMap<string, RelatedWrite>, what: (w: RelatedWrite) => string, failures: Map<string, Failure>): Promise<void> {
  failWritersOf(await deleteRecords(ctx.client, [...writerOf.keys()]), writerOf, what, ctx.canonicalOf, failures);
}

/**
 * Fails the write behind each refused row (`writerOf`: row item key → its write, or the writes of several
 * deals that edited one shared row, an account or a contact; `what`: the row, named for the write), unless
 * it failed already. A create's refused rows fail the create (create.ts), an update's the update: dropped
 * without a word, the write said it succeeded and the next run read the record without the row (or the row's
 * old values) as the seller's change, sent to Partner Center.
 */
export function failWritersOf<W extends { key: string }>(outcomes: ReadonlyMap<string, ItemOutcome>, writerOf: ReadonlyMap<string, W | readonly W[]>, what: (w: W, itemKey: string) => string, canonicalOf: (field: string) => string | undefined, failures: Map<string, CrmWriteResult>): void {
  for (const [itemKey, outcome] of outcomes) {
    const found = writerOf.get(itemKey);
    if (outcome.ok || found === undefined) continue;
    for (const w of (Array.isArray(found) ? found : [found]) as readonly W[]) {
      if (failures.get(w.key)?.ok !== false) failures.set(w.key, itemFailure(w.key, what(w, itemKey), outcome.errors, canonicalOf));
    }
  }
}

/** A row of an existing opportunity, named for `failWritersOf`. */
export const ofOpportunity = (row: string) => (w: RelatedWrite) => `${row} of opportunity ${w.crmId}`;
