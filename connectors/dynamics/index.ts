/**
 * The Dynamics 365 (Dataverse) adapter: wires the client, the field and stage tables, the change
 * feed, the batch writer and setup/check into a {@link CrmAdapter}.
 */
import { openListing } from '../change-listing.js';
import { StageCache } from '../stage-cache.js';
import type { SharedCallBudget } from '../../core/http/shared-budget.js';
import { createLeads, findLeads, leadShowsStatus, readLeads, updateLeads } from './leads.js';
import { splitLeadWrites } from '../lead-writes.js';
import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../../core/logger.js';
import { effectiveFieldTable, textLimitsOf } from '../../mappings/fields.dynamics.js';
import { labelsOf } from '../../mappings/labels.dynamics.js';
import { effectiveStageTable, normaliseStageName } from '../../mappings/stages.dynamics.js';
import type { CrmAdapter, CrmCursor, CrmDeal, CrmLead, CrmWrite, CrmWriteResult, KnownVersions, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { oldestCarriers } from '../../core/engine/crm-port.js';
import { hydrate } from './hydrate.js';
import { missingOpportunities } from './missing-opportunities.js';
import { allRows, allRowsInBatch } from './pages.js';
import { listProcessStages, stageRider, type ListedStages } from './process-stages.js';
import { readRun } from './feed-run.js';
import { CustomerReads } from './customer-reads.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import { DataverseClient, MAX_BATCH_OPERATIONS } from './client.js';
import { resolveSecret } from '../../config/secrets.js';
import { refuseSecretInClear } from '../../config/secret-transport.js';
import { dynamicsTokenIssuer, parseDynamicsOptions, type DynamicsOptions } from './config.js';
import { chunks } from '../../core/chunks.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';
import type { ReadContext } from './records.js';
import { ownStatusRows, statusColumns } from './payloads.js';
import { showsWritten } from '../shown-status.js';
import { connectorNames } from './schema-names.js';
import { runCheck, runSetup } from './setup.js';
import { applyWrites } from './writes.js';

/** A Dataverse row key: a GUID (the connector's own opportunities and any a seller makes). */
const DATAVERSE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { dynamicsOptionsSchema, parseDynamicsOptions, type DynamicsOptions, type DynamicsOptionsInput } from './config.js';

export interface DynamicsAdapterDeps {
  logger?: Logger;
  /** The adapter's clock (for the 7-day delta token life). */
  now?: () => Date;
  /** Resolves the client secret reference; defaults to `env:` / `file:` resolution. */
  resolveSecret?: (ref: string) => Promise<string>;
  sleep?: (ms: number) => Promise<void>;
  newId?: () => string;
  /** The state store's related-row index (a deleted child row names only itself); in memory when absent. */
  relatedRows?: RelatedRowIndex;
  /** The environment's call budget shared with other workers (multi-tenant installs). */
  sharedBudget?: SharedCallBudget;
}

/** Fills the Partner Center link from the referral ID when the engine did not give one. */
function withReferralLink(write: CrmWrite, template: string): CrmWrite {
  const status = write.status;
  if (!status?.referralId || status.referralLink) return write;
  return { ...write, status: { ...status, referralLink: template.replace('{id}', encodeURIComponent(status.referralId)) } } as CrmWrite;
}

export function createDynamicsAdapter(input: unknown, deps: DynamicsAdapterDeps = {}): CrmAdapter {
  const options: DynamicsOptions = parseDynamicsOptions(input);
  // Named by whoever made the logger (the runtime binds `crm`, as for Salesforce): a second `crm` binding
  // here wrote the key twice into every line.
  const logger = deps.logger ?? silentLogger();
  const now = deps.now ?? (() => new Date());
  const names = connectorNames(options.publisherPrefix);
  const fields = effectiveFieldTable(options.publisherPrefix, options.fieldOverrides);
  const ownStatusDatetimes = new Set(ownStatusRows(fields).filter((f) => f.kind === 'datetime').map((f) => f.column));
  const ownStatusMessage = new Set(ownStatusRows(fields).filter((f) => f.path === 'sync.message').map((f) => f.column));
  const stages = effectiveStageTable(options.stageOverrides);
  let clientPromise: Promise<DataverseClient> | undefined;
  /** The client once made, for `apiUsage()` (which must not make one). */
  let signedIn: DataverseClient | undefined;
  // Read again when Entra ID refuses the secret in use (client.ts): a rotated `file:` secret needs no restart.
  // A secret goes over plain http to a sandbox's token endpoint only if it is the sandbox's (secret-transport.ts).
  const readSecret = async () => {
    const secret = await (deps.resolveSecret ?? ((ref: string) => resolveSecret(ref, 'crm > dynamics > clientSecret')))(options.clientSecret);
    refuseSecretInClear('crm > dynamics > clientSecret', dynamicsTokenIssuer(options), secret);
    return secret;
  };
  const client = () =>
    (clientPromise ??= readSecret().then(
      (clientSecret) => (signedIn = new DataverseClient(options, { logger, clientSecret, readSecret, ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.sharedBudget ? { sharedBudget: deps.sharedBudget } : {}) })),
    ));

  const listStages = async () => listProcessStages(await client(), stages);
  // A record's `stageid` (a processstage's ID) or a stage write's name the list lacks lists the stages again (stage-cache.ts).
  const stageCache = new StageCache(listStages, (listed, stage) => listed.names.has(stage) || listed.processStages.has(normaliseStageName(stage)), () => now().getTime());
  const loadStages = () => stageCache.get();
  const contextOf = (listed: ListedStages): ReadContext => ({ fields, stages, names, stageNames: listed.names, covering: async (ids) => contextOf(await stageCache.covering(ids)) });
  const context = async (): Promise<ReadContext> => contextOf(await loadStages());
  /** The stage listing, in the run's first `$batch` when the kept list is old (process-stages.ts). */
  const ridingStages = (c: DataverseClient) => {
    const rider = stageRider(stageCache, c, stages);
    return rider ? { stageListing: rider } : {};
  };

  let currencyCache: Map<string, string> | undefined;
  async function currencyIds(): Promise<Map<string, string>> {
    if (currencyCache) return currencyCache;
    // https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/transactioncurrency
    const rows = await allRows<{ transactioncurrencyid: string; isocurrencycode: string }>(await client(), 'listing currencies', 'transactioncurrencies?$select=transactioncurrencyid,isocurrencycode');
    currencyCache = new Map(rows.map((r) => [r.isocurrencycode.toUpperCase(), r.transactioncurrencyid]));
    return currencyCache;
  }

  async function findByReferralIds(referralIds: readonly string[]): Promise<Map<string, string>> {
    return oldestCarriers(await findAllByReferralIds(referralIds));
  }

  /** Every opportunity carrying each referral ID, oldest first. */
  async function findAllByReferralIds(referralIds: readonly string[]): Promise<Map<string, string[]>> {
    const column = fields.find((f) => f.path === 'referralId')!.column;
    const found = new Map<string, string[]>();
    const idChunks = chunks([...new Set(referralIds)], IDS_PER_QUERY);
    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows — every chunk in one $batch.
    const urls = idChunks.map((chunk) => query('opportunities', { $select: `opportunityid,${column}`, $filter: inFilter(column, chunk), $orderby: 'createdon asc' }));
    const answers = await allRowsInBatch<Record<string, unknown>>(await client(), 'finding opportunities by referral ID', urls);
    answers.forEach((rows, i) => {
      for (const row of rows) {
        const id = String(row[column] ?? '').toLowerCase();
        const wanted = idChunks[i]!.find((r) => r.toLowerCase() === id);
        if (wanted) found.set(wanted, [...(found.get(wanted) ?? []), String(row.opportunityid)]);
      }
    });
    return found;
  }

  const setupDeps = async () => ({ client: await client(), fields, stages, names, overriddenStages: options.stageOverrides.map((row) => row.crmStage), overriddenFields: Object.keys(options.fieldOverrides), listStages: async () => (await stageCache.fresh()).stages });

  const adapter: Omit<CrmAdapter, 'readChanges' | 'openChanges' | 'withRelatedRows' | 'getDeals'> = {
    displayName: 'Dynamics 365',
    // Dataverse's documented record address ("Open forms, views, dialogs, and reports with a URL").
    recordUrlTemplate: `${options.environmentUrl}/main.aspx?pagetype=entityrecord&etn=opportunity&id={crmId}`,
    maxBatchSize: MAX_BATCH_OPERATIONS,
    textLimits: textLimitsOf(fields),
    fieldLabels: labelsOf(fields),
    isRecordId: (id) => DATAVERSE_ID.test(id),
    // The record's own status columns against what writing this status sends (connectors/shown-status.ts).
    showsStatus: (deal, status, messageSet) => showsWritten(deal.shownStatus ?? {}, status.savedAs ?? statusColumns(fields, status), ownStatusDatetimes, messageSet ? ownStatusMessage : new Set()),
    async missingIds(crmIds: readonly string[]): Promise<string[]> {
      return missingOpportunities(await client(), crmIds);
    },
    findAllByReferralIds,
    async write(all: readonly CrmWrite[]): Promise<CrmWriteResult[]> {
      if (all.length === 0) return [];
      const linked = all.map((w) => withReferralLink(w, options.referralLinkTemplate));
      const { creates, changes, writes } = splitLeadWrites(linked);
      const leadResults = [
        ...(creates.length ? await createLeads(await client(), names.prefix, creates, deps.newId ?? randomUUID) : []),
        ...(changes.length ? await updateLeads(await client(), names.prefix, changes) : []),
      ];
      if (writes.length === 0) return leadResults;
      return [...leadResults, ...(await applyWrites({ client: await client(), fields, stages, names, logger, newId: deps.newId ?? randomUUID, findByReferralIds, currencyIds, processStages: async (wanted) => (await stageCache.covering(wanted)).processStages }, writes))];
    },
    showsLeadStatus: (lead, status) => leadShowsStatus(names.prefix, lead, status),
    async readLeads(leadIds: readonly string[]) {
      return leadIds.length ? readLeads(await client(), names.prefix, leadIds) : new Map<string, CrmLead>();
    },
    async findLeads(referralIds: readonly string[]) {
      return referralIds.length ? findLeads(await client(), names.prefix, referralIds) : new Map<string, CrmLead>();
    },
    async listStages() {
      return (await stageCache.fresh()).stages;
    },
    async setup() {
      return runSetup(await setupDeps());
    },
    async check() {
      const c = await client();
      return runCheck(await setupDeps(), () => c.lastBurstRemaining);
    },
    apiUsage() {
      if (!signedIn) return {};
      return { throttleWaits: signedIn.throttleWaits, ...(signedIn.lastBurstRemaining !== undefined ? { remaining: signedIn.lastBurstRemaining } : {}) };
    },
  };
  /** The adapter whose change feed keeps its related-row index in `index` (the rest is shared: `withRelatedRows`). */
  const over = (index: RelatedRowIndex): CrmAdapter => {
    // One per index: the engine's own reads of a run remember the customer versions they saw as the feed's do.
    const customerReads = new CustomerReads(index);
    return {
      ...adapter,
      async getDeals(crmIds: readonly string[]): Promise<CrmDeal[]> {
        if (crmIds.length === 0) return [];
        return hydrate({ client: await client(), customerReads }, [...new Set(crmIds.map((id) => id.toLowerCase()))], await context());
      },
      // The engine opens its change listing first in each run: a run may list the stages once (stage-cache.ts).
      async *readChanges(cursor: CrmCursor | undefined, known?: KnownVersions) {
        stageCache.beginRun();
        const c = await client();
        yield* readRun({ client: c, ...ridingStages(c), pageSize: options.pageSize, logger, now, context, index, names, fields, clientId: options.clientId, customerReads, ...(known ? { known } : {}) }, cursor);
      },
      async openChanges(cursor: CrmCursor | undefined, known?: KnownVersions, alsoRead?: readonly string[]) {
        stageCache.beginRun();
        const c = await client();
        return openListing((announce) => readRun({ client: c, ...ridingStages(c), pageSize: options.pageSize, logger, now, context, index, names, fields, clientId: options.clientId, customerReads, ...(known ? { known } : {}), listing: { announce }, ...(alsoRead?.length ? { asked: alsoRead } : {}) }, cursor));
      },
      withRelatedRows: over,
    };
  };

  return over(deps.relatedRows ?? asyncStateStore(openMemoryStore()));
}
