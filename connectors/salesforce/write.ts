/**
 * Applying a batch of writes: creates (see create.ts), then updates and status write-backs merged into
 * one sObject Collections update per 200 opportunities. Updates write only the Salesforce fields behind
 * `changedFields`. Each write gets its own result; nothing here throws for one bad record.
 */
import { rewrittenOnSave, savedStatusOf } from '../save-rewrites.js';
import { clearedStatusValues, opportunityValuesFor, OWN_STATUS_FIELDS, statusValues } from '../../mappings/fields.salesforce.js';
import { salesforceStageFor, stageTarget, type StageDecision } from '../../mappings/stages.salesforce.js';
import type { Referral } from '../../core/model/referral.js';
import { assessmentCrmStageFor } from '../../mappings/assessment-stages.js';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import { oldestCarriers } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { saveRecords } from './collections.js';
import { MAX_CHUNKS_PER_CALL, type ReadsAround } from './checked-patches.js';
import { applyCreates, type CreateContext, type CreateWrite } from './create.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import { itemFailure } from './errors.js';
import { applyRelatedChanges } from './related-writes.js';
import { queryInList } from './in-list-queries.js';
import { inList, quote, quoteId } from './soql.js';
import { opportunityFields } from './opportunity-fields.js';
import { listingFields } from './long-text-apart.js';
import { dealVersion, type SfRecord } from './assemble.js';
import { changedBesidesSave, lastSavedByAnother } from './own-save.js';
import { MODIFIED_BY } from './account-changes.js';

/** https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm */
export async function findByReferralIds(client: SalesforceClient, referralIds: readonly string[]): Promise<Map<string, string>> {
  return oldestCarriers(await findAllByReferralIds(client, referralIds));
}

/** Every opportunity carrying each referral ID, oldest first (CreatedDate, then Id). */
export async function findAllByReferralIds(client: SalesforceClient, referralIds: readonly string[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const wanted = [...new Set(referralIds.filter(Boolean))];
  // Salesforce compares the text field without case: an answer is told by its lower-case form.
  const asked = new Map(wanted.map((w) => [w.toLowerCase(), w]));
  // Statements of about 1,000 referral IDs, five a Composite call (in-list-queries.ts); each referral ID is in
  // one statement, whose rows come oldest first.
  const rows = await queryInList(client, { soqlFor: (list) => `SELECT Id, ${F.referralId} FROM Opportunity WHERE ${F.referralId} IN (${list.join(', ')}) ORDER BY CreatedDate ASC, Id ASC`, values: wanted, quote });
  for (const r of rows) {
    const referralId = asked.get(String(r[F.referralId]).toLowerCase());
    if (referralId) found.set(referralId, [...(found.get(referralId) ?? []), r.Id]);
  }
  return found;
}

interface UpdateItem {
  key: string;
  crmId: string;
  values: Record<string, unknown>;
  /** The record version the engine read (the write's `etag`), checked before the save. */
  readVersion?: string;
}

/** Canonical paths written outside the Opportunity row (related-writes.ts). */
const RELATED_PATHS = ['solutions', 'team', 'customerContact', 'customer'];

/** Canonical paths that move the Salesforce stage. */
export const STAGE_PATHS = ['salesStage', 'status', 'substatus'];

/**
 * The StageName for a stage change from Partner Center, or undefined to leave the stage alone: when no
 * stage means the target, or when the opportunity's current stage already means it (a seller's
 * "Needs Analysis" is not replaced by "Qualification" because both mean Qualified).
 */
export function stageNameFor(referral: Referral, stageMap: ReadonlyMap<string, StageDecision>, currentStage: string | undefined): string | undefined {
  const target = stageTarget(referral);
  if (!target) return undefined;
  // An assessment deal stays in the assessment sales process, when the org has its stage.
  const assessment = assessmentCrmStageFor(referral, target);
  const name = (assessment && stageMap.get(assessment)?.meaning ? assessment : undefined) ?? salesforceStageFor(target, stageMap);
  if (!name || !currentStage) return name;
  const current = stageMap.get(currentStage)?.meaning;
  const wanted = stageMap.get(name)?.meaning;
  return JSON.stringify(current) === JSON.stringify(wanted) ? undefined : name;
}

export interface WriteContext extends CreateContext {
  /** The StageName last read for an opportunity, if this adapter read it. */
  currentStage: (crmId: string) => string | undefined;
  /** The copied write-backs an opportunity without a referral ID held when last read (a clone's): none when absent. */
  copiedFields?: (crmId: string) => readonly string[] | undefined;
  /** Told of records that changed after the engine read them (or whose read is unknown): read again next run. */
  recheck?: (crmIds: string[]) => void;
}

/**
 * The check an ETag would make, in the same calls as the save (checked-patches.ts): each record's version
 * (row-version.ts) read just before its PATCH against the one the engine read (`etag`). A record someone changed in between, or written
 * without a read version (a status write-back not made on a read), is re-read next run, whoever changed it last
 * (feed-window.ts); its write still goes through, as it did before this check.
 */
function versionCheck(saved: readonly { crmId: string; readVersion?: string | undefined; values: Record<string, unknown> }[], fields: readonly string[], recheck: (crmIds: string[]) => void, versions: Map<string, string>, savedStatus: Map<string, Record<string, unknown>>, userId: string | undefined): ReadsAround {
  const read = new Map(saved.map((u) => [u.crmId.slice(0, 15), { crmId: u.crmId, version: u.readVersion, values: u.values }] as const));
  const listing = listingFields(fields);
  // Who saved each row last (own-save.ts `lastSavedByAnother`): added to the statement, taken off each row
  // (in place: the rows are the answer's own) before its version, which must hash the listing's fields only.
  const added = listing.some((f) => f.toLowerCase() === MODIFIED_BY.toLowerCase()) ? undefined : MODIFIED_BY;
  const dropAddedField = (row: Record<string, unknown>): void => {
    if (added) delete row[added];
  };
  const takeSavedBy = (row: Record<string, unknown>): unknown => {
    const by = row[MODIFIED_BY];
    dropAddedField(row);
    return by;
  };
  const changed = new Set<string>();
  /** Each record's row just before the PATCH: what its row after must equal, with the values sent applied. */
  const before = new Map<string, Record<string, unknown>>();
  return {
    // The fields the reader's listing selects, so that the row's version is computed from the same content:
    // the connector-kept long text fields are left out (long-text-apart.ts: a row's version does not hold
    // them), so the statement selects one custom long text field and answers a read's records (two calls'
    // chunks, up to 1,600) in one 2,000-record batch (checked-patches.ts).
    // A seller's edit of those kept fields alone between the reads is not told from the save (they are the
    // connector's, written over at its next sync); every other field is compared as before (own-save.ts).
    soql: (ids) => `SELECT ${[...listing, ...(added ? [added] : [])].join(', ')} FROM Opportunity WHERE Id IN ${inList(ids, quoteId)}`,
    chunksPerCall: MAX_CHUNKS_PER_CALL,
    // Only the records about to be PATCHed (`ids`): a record of a later call is not in this answer, and is
    // not changed for that (every write of more than 200 records was re-read next run, issue 13).
    rows: (ids, records) => {
      const now = new Map<string, Record<string, unknown>>();
      for (const r of records) {
        dropAddedField(r);
        before.set(String(r.Id).slice(0, 15), r);
        now.set(String(r.Id).slice(0, 15), r);
      }
      const changedHere: string[] = [];
      for (const id of ids.map((i) => i.slice(0, 15))) {
        const w = read.get(id);
        // The version only where there is a read one to compare it with (a status write-back has none): it
        // hashes every field selected, and most writes of a 1% cycle are status write-backs. The deal's own
        // function of the row (assemble.ts `dealVersion`): a clone's copied write-backs are not a change.
        const row = w?.version === undefined ? undefined : now.get(id);
        if (w && (w.version === undefined || (row === undefined ? undefined : dealVersion(row as SfRecord)) !== w.version)) {
          changed.add(id);
          changedHere.push(w.crmId);
        }
      }
      if (changedHere.length) recheck(changedHere);
    },
    // A record no one else changed before the save: its new version is the engine's own (echoes.ts),
    // unless the org's before-save automation rewrote a value sent (save-rewrites.ts), or someone else's
    // save committed between the PATCH and the read after it (own-save.ts): then it is read back. A record
    // `rows` found changed is rechecked already.
    saved: (records) => {
      const rewritten: string[] = [];
      for (const r of records) {
        const id = String(r.Id).slice(0, 15);
        const w = read.get(id);
        const by = takeSavedBy(r);
        if (!w || changed.has(id)) continue;
        const rewrites = rewrittenOnSave(w.values, r);
        if (rewrites.length || changedBesidesSave(before.get(id), w.values, r).length || lastSavedByAnother(by, userId)) rewritten.push(w.crmId);
        else versions.set(id, dealVersion(r as SfRecord));
        // The status fields as saved, when the automation rewrote one: the record's form of the status (shown-status.ts).
        const shown = savedStatusOf(w.values, r, OWN_STATUS_FIELDS, rewrites);
        if (shown) savedStatus.set(id, shown);
      }
      if (rewritten.length) recheck(rewritten);
    },
    // No read after: nothing tells whether someone else saved the record after the engine's PATCH (which
    // hides it from the next window): it is read again. Its write still counts.
    unread: (ids) => recheck(ids.map((id) => read.get(id.slice(0, 15))?.crmId ?? id)),
  };
}

function updateItem(w: Exclude<CrmWrite, { kind: 'create' }>, ctx: WriteContext): UpdateItem {
  const rows = ctx.rows;
  const values = w.kind === 'update' ? opportunityValuesFor(w.referral, rows, w.changedFields).values : {};
  if (w.kind === 'update' && w.changedFields.some((f) => STAGE_PATHS.includes(f))) {
    const stage = stageNameFor(w.referral, ctx.stageMap, ctx.currentStage(w.crmId));
    if (stage) values.StageName = stage;
    values[F.referralStatus] = `${w.referral.status}/${w.referral.substatus}`;
  }
  if (w.kind === 'status' && w.cleared) Object.assign(values, clearedStatusValues());
  else if (w.status) Object.assign(values, statusValues(w.status));
  // The record's first referral (or none, its status emptied): what a clone copied from another deal goes, so that it is not read as this deal's.
  if (w.status?.referralId || (w.kind === 'status' && w.cleared)) for (const field of ctx.copiedFields?.(w.crmId) ?? []) if (!(field in values)) values[field] = null;
  // A status write made on a read carries its version too (crm-write-types.ts): checked as an update's is.
  return { key: w.key, crmId: w.crmId, values, ...(w.etag ? { readVersion: w.etag } : {}) };
}

export async function applyWrites(ctx: WriteContext, writes: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
  const results = new Map<string, CrmWriteResult>();
  const creates = writes.filter((w): w is CreateWrite => w.kind === 'create');
  const others: UpdateItem[] = writes.filter((w): w is Exclude<CrmWrite, { kind: 'create' }> => w.kind !== 'create').map((w) => updateItem(w, ctx));

  if (creates.length) {
    // A referral that already has an opportunity is never created again: only its status is written.
    const existing = await findByReferralIds(ctx.client, creates.map((c) => c.referral.referralId ?? ''));
    const fresh: CreateWrite[] = [];
    for (const c of creates) {
      const crmId = c.referral.referralId ? existing.get(c.referral.referralId) : undefined;
      if (crmId) others.push({ key: c.key, crmId, values: statusValues(c.status) });
      else fresh.push(c);
    }
    for (const [key, result] of await applyCreates(ctx, fresh)) results.set(key, result);
  }

  // A write with nothing Salesforce should change (only read-only paths changed) needs no call.
  for (const u of others.filter((o) => Object.keys(o.values).length === 0)) results.set(u.key, { key: u.key, ok: true, crmId: u.crmId });
  const toSave = others.filter((o) => Object.keys(o.values).length > 0);
  /** Record (15-character ID) → its version after a save no one else's change preceded. */
  const versions = new Map<string, string>();
  /** Record (15-character ID) → its status fields as saved, when a before-save automation rewrote them. */
  const savedStatus = new Map<string, Record<string, unknown>>();
  const saves = await saveRecords(ctx.client, 'PATCH', '/composite/sobjects', toSave.map((u) => ({
    key: u.key,
    record: { attributes: { type: 'Opportunity' }, id: u.crmId, ...u.values },
  })), ctx.recheck ? versionCheck(toSave, opportunityFields(ctx), ctx.recheck, versions, savedStatus, ctx.client.userId()) : undefined);
  for (const u of others) {
    const outcome = saves.get(u.key);
    if (!outcome) continue;
    const version = versions.get(u.crmId.slice(0, 15));
    const shown = savedStatus.get(u.crmId.slice(0, 15));
    results.set(u.key, outcome.ok ? { key: u.key, ok: true, crmId: outcome.id, ...(version ? { etag: version } : {}), ...(shown ? { savedStatus: shown } : {}) } : itemFailure(u.key, `opportunity ${u.crmId}`, outcome.errors, ctx.canonicalOf));
  }
  // Solutions, team, contact and account live in other records: written after the opportunity.
  const related = writes.flatMap((w) => (w.kind === 'update' && results.get(w.key)?.ok && w.changedFields.some((f) => RELATED_PATHS.some((p) => f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`))) ? [{ key: w.key, crmId: w.crmId, referral: w.referral, changed: w.changedFields, ...(w.asRead ? { asRead: w.asRead } : {}) }] : []));
  if (related.length) {
    const { failures, sharedWith } = await applyRelatedChanges(ctx, related);
    for (const [key, failure] of failures) results.set(key, failure);
    for (const [key, others] of sharedWith) {
      const result = results.get(key);
      if (result?.ok) results.set(key, { ...result, customerSharedWith: others });
    }
  }
  return writes.map((w) => results.get(w.key) ?? { key: w.key, ok: false, code: 'failed', message: `No result for write ${w.key}` });
}
