/**
 * The Salesforce CRM adapter: wires the client, the reader, the writer, setup/check and the mapping
 * tables into a CrmAdapter. Options are validated by `salesforceOptionsSchema` (config.ts).
 */
import { openListing } from '../change-listing.js';
import { StageCache } from '../stage-cache.js';
import { canonicalPathOf, effectiveFieldTable, OWN_STATUS_DATETIMES, OWN_STATUS_MESSAGE, statusValues, textLimitsOf } from '../../mappings/fields.salesforce.js';
import { showsWritten } from '../shown-status.js';
import { labelsOf } from '../../mappings/labels.salesforce.js';
import { buildStageMap, type StageDecision } from '../../mappings/stages.salesforce.js';
import type { CrmAdapter, CrmCursor, CrmStage, KnownVersions, RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { AssembleContext } from './assemble.js';
import { SalesforceClient, type SalesforceDeps } from './client.js';
import { salesforceOptionsSchema, type SalesforceOptionsInput } from './config.js';
import { missingOpportunityIds } from './missing-ids.js';
import { SalesforceReader } from './read.js';
import { queryStages, stageRider } from './stage-listing.js';
import { asyncStateStore } from '../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../core/store/memory-store.js';
import { runCheck, runSetup } from './setup.js';
import { createLeads, findLeads, leadShowsStatus, readLeads, updateLeads } from './leads.js';
import { splitLeadWrites } from '../lead-writes.js';
import { applyWrites, findAllByReferralIds, STAGE_PATHS } from './write.js';

/** An Opportunity ID: key prefix 006, then 12 characters, and the 3-character suffix of the 18-character form. */
const OPPORTUNITY_ID = /^006[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/;

export interface SalesforceAdapter extends CrmAdapter {
  /** The underlying client, for `cosell check` diagnostics. */
  readonly client: SalesforceClient;
}

export function createSalesforceAdapter(input: SalesforceOptionsInput, deps: SalesforceDeps = {}): SalesforceAdapter {
  const options = salesforceOptionsSchema.parse(input);
  const client = new SalesforceClient(options, deps);
  const rows = effectiveFieldTable(options.fieldOverrides);
  const now = deps.now ?? (() => new Date());

  // A record's StageName is a stage's label (MasterLabel); one the list lacks lists the stages again (stage-cache.ts).
  const stageCache = new StageCache(() => queryStages(client), (stages, name) => stages.some((s) => s.name === name), () => now().getTime());
  const listStages = () => stageCache.get();

  async function stageMap(stages?: CrmStage[]): Promise<Map<string, StageDecision>> {
    return buildStageMap(stages ?? (await listStages()), options.stageOverrides, { byProbability: options.stageDefaultByProbability });
  }

  async function assembleContext(stageNames: readonly string[] = []): Promise<AssembleContext> {
    return { rows, stageMap: await stageMap(await stageCache.covering(stageNames)), optInRules: options.optInRules };
  }
  const lazyContext = { rows, load: assembleContext, stageRider: () => stageRider(stageCache) };

  const canonicalOf = (field: string) => canonicalPathOf(field, rows);
  const referralLink = (referralId: string) => options.referralLinkTemplate.replace('{referralId}', encodeURIComponent(referralId));

  /**
   * The adapter over one related-row index: its reader (change feed, re-reads by ID, deletion feed) keeps the
   * index there; the client, the sign-in and the stage cache are shared with `withRelatedRows`'s adapters.
   */
  const over = (index: RelatedRowIndex): SalesforceAdapter => {
    const reader = new SalesforceReader(client, options.pageSize, index, () => now().getTime(), deps.logger, options.rereadSeconds * 1000);
    return {
      displayName: 'Salesforce',
      maxBatchSize: 2000,
      textLimits: textLimitsOf(rows),
      fieldLabels: labelsOf(rows),
      isRecordId: (id) => OPPORTUNITY_ID.test(id),
      // The record's own status fields against what writing this status sends (connectors/shown-status.ts).
      showsStatus: (deal, status, messageSet) => showsWritten(deal.shownStatus ?? {}, status.savedAs ?? statusValues(status), OWN_STATUS_DATETIMES, messageSet ? OWN_STATUS_MESSAGE : new Set()),
      client,
      apiUsage() {
        // Salesforce's daily API request allowance, from the last Sforce-Limit-Info header.
        const budget = client.budget();
        return budget ? { remaining: budget.limit - budget.used } : {};
      },
      // The engine opens its change listing first in each run: a run may list the stages once (stage-cache.ts).
      async *readChanges(cursor: CrmCursor | undefined, known?: KnownVersions) {
        stageCache.beginRun();
        yield* reader.readChanges(cursor, lazyContext, known);
      },
      openChanges(cursor: CrmCursor | undefined, known?: KnownVersions, alsoRead?: readonly string[]) {
        stageCache.beginRun();
        return openListing((announce) => reader.readChanges(cursor, lazyContext, known, announce, alsoRead));
      },
      async getDeals(crmIds) {
        return crmIds.length ? reader.getDeals(crmIds, lazyContext) : [];
      },
      missingIds: (crmIds) => missingOpportunityIds(client, crmIds),
      findAllByReferralIds: (referralIds) => findAllByReferralIds(client, referralIds),
      async write(all) {
        if (all.length === 0) return [];
        const { creates, changes, writes } = splitLeadWrites(all);
        const leadResults = [...(creates.length ? await createLeads(client, creates, referralLink) : []), ...(changes.length ? await updateLeads(client, changes) : [])];
        if (writes.length === 0) return leadResults;
        // Stages matter only for creates and stage changes; status batches skip the query.
        const needsStages = writes.some((w) => w.kind === 'create' || (w.kind === 'update' && w.changedFields.some((f) => STAGE_PATHS.includes(f))));
        const stages = needsStages ? await stageMap() : new Map<string, StageDecision>();
        return [...leadResults, ...(await applyWrites({ client, rows, stageMap: stages, referralLink, canonicalOf, currentStage: (id) => reader.lastStage.get(id), copiedFields: (id) => reader.copies.get(id), recheck: (ids) => ids.forEach((id) => reader.recheck.add(id)) }, writes))];
      },
      showsLeadStatus: leadShowsStatus,
      readLeads: async (leadIds) => (leadIds.length ? readLeads(client, leadIds) : new Map()),
      findLeads: async (referralIds) => (referralIds.length ? findLeads(client, referralIds) : new Map()),
      listStages,
      setup: () => runSetup(client),
      check: () =>
        runCheck(client, rows, async () => {
          const stages = await stageCache.fresh();
          return { stageMap: await stageMap(stages), active: new Set(stages.filter((s) => s.isActive).map((s) => s.name)), overridden: Object.keys(options.stageOverrides) };
        }, options.budgetShare),
      withRelatedRows: over,
    };
  };
  return over(deps.relatedRows ?? asyncStateStore(openMemoryStore()));
}

export { salesforceOptionsSchema, type SalesforceOptions, type SalesforceOptionsInput } from './config.js';
export type { SalesforceDeps } from './client.js';
