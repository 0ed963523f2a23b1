/**
 * One record of each side as the floor (floor.ts) carries it, taken from the sandboxes after the initial
 * sync, so that the floor moves records of the size the connector moves rather than a made-up 300-byte
 * object (issue 13: "a bare loopback server answering the same minimum calls", each with its records as JSON).
 * - Partner Center: one of our referrals as the API answers it (`@odata.context`, every property, `links`),
 *   the body a GET by ID or a create answers (routes/referrals.ts); about 2 KB. The connector sends about
 *   1.25 KB per create and reads whole referrals, so this is the record both ways to within a factor 1.6.
 * - CRM: one opportunity row as the CRM stores it, every column (about 2 KB on both CRMs). What the connector
 *   reads per deal is a subset of those columns plus its related rows' selected columns (contact role, team
 *   member, solution: a few hundred bytes each), so the row stands in for a read record; a write-back
 *   (the referral ID and sync status) is far smaller, so the CRM writes of the floor are generous to the
 *   connector. At 50,000 the CRM calls are under 1% of the minimum calls (floor.ts reports each side's CPU).
 * The record is the median-sized of a few deals spread over the store, the same one for every call.
 */
import type { SandboxSet } from '../sandbox/launch.js';
import { entityContext } from '../sandbox/partner-center/routes/referrals.js';
import { linksOf } from '../sandbox/partner-center/domain/derived.js';
import { OUR_PARTNER_ORG } from '../sandbox/partner-center/index.js';
import type { CrmKind } from '../sandbox/world.js';

export interface RecordSamples {
  partnerCenter: unknown;
  crm: unknown;
}

const SAMPLES = 5;

/** `count` items evenly spread over `items`. */
function spreadOut<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, i) => i % step === 0).slice(0, count);
}

/** The sample whose JSON is the median length. */
function median<T>(samples: readonly T[]): T | undefined {
  const sized = samples.map((s) => ({ s, n: JSON.stringify(s).length })).sort((a, b) => a.n - b.n);
  return sized[Math.floor(sized.length / 2)]?.s;
}

function opportunityRows(set: SandboxSet, kind: CrmKind): unknown[] {
  return kind === 'salesforce' ? set.salesforce.store.all('Opportunity') : [...(set.dataverse.store.table('opportunity')?.rows.values() ?? [])];
}

export function recordSamples(set: SandboxSet, kind: CrmKind): RecordSamples {
  const baseUrl = set.partnerCenter.apiBaseUrl;
  const referrals = spreadOut(set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG), SAMPLES).map((r) => ({ '@odata.context': entityContext(baseUrl), ...r, links: linksOf(r, baseUrl) }));
  return { partnerCenter: median(referrals) ?? {}, crm: median(spreadOut(opportunityRows(set, kind), SAMPLES)) ?? {} };
}
