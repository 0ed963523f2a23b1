/**
 * Opted-in CRM deals without a referral: checked against every creation rule and created once in Partner
 * Center. A CRM page decides all its creates first (`prepareCreates`) and records their create intents in
 * one transaction before any is sent; each is then sent by the page's lanes (`sendCreate`).
 *
 * The intent is what makes a create idempotent across a crash: a run that finds one looks the referral up
 * by the CRM ID before creating it again. Recording it in its own transaction per deal, just before the
 * call, made an initial sync of 50,000 deals open and commit 50,000 SQLite transactions (the largest
 * single item of that run's profile after the HTTP client, issue 13). Recorded for the whole page, a crash
 * midway leaves intents for deals not sent yet: the next run looks those up first (one read each), which
 * costs calls after a crash only and never makes a duplicate.
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { statusWriteOnRead } from './crm-write-types.js';
import { RemoteValidationError } from '../errors.js';
import { sameValue } from '../model/diff.js';
import type { Referral } from '../model/referral.js';
import { checkCreate, isAssessmentDeal } from '../rules/index.js';
import { describeViolations, withRuleErrors, type Violation } from '../rules/violation.js';
import type { CreateIntent, Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { contentFingerprint } from './fingerprint.js';
import { writeUnit } from './merge/units.js';
import { newReferralDraft } from './outgoing-referral.js';
import type { PageOutcome } from './page-outcome.js';
import { syncPair } from './pair.js';
import { parkFor, withCrmVersion } from './parking.js';
import { teamEmails } from './merge/sets.js';
import { buildStatus } from './sync-status.js';
import { recordShowsRefusal } from './shown-status.js';

/** A create decided on and to be sent: the referral to create, and the intent an earlier attempt left. */
export interface PreparedCreate {
  draft: Referral;
  earlier: CreateIntent | undefined;
}

/** Whether syncing this deal creates a referral (no link, no referral it claims, opted in). */
export function isCreateCandidate(ctx: RunContext, deal: CrmDeal): boolean {
  return deal.intent.optedIn && !deal.referral.referralId && !ctx.records.getLinkByCrmId(deal.crmId);
}

/**
 * Parks an unlinked deal that cannot be created, writing the reasons onto the record once: a retry that
 * fails for the same reasons (after the back-off) counts again but writes nothing new onto the record.
 */
export function refuse(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, reasons: Violation[]): void {
  const print = contentFingerprint(deal.referral);
  const previous = ctx.records.getParked('crm', deal.crmId);
  ctx.logger.debug({ crmId: deal.crmId, parkedBefore: previous?.fingerprint, now: print, reasons: reasons.map((r) => r.code) }, 'refuse');
  const record = parkFor(ctx, { side: 'crm', recordId: deal.crmId, ...(deal.referral.dealName ? { name: deal.referral.dealName } : {}), team: teamEmails(deal.referral.team), reasons, fingerprint: print });
  const status = buildStatus({ state: 'error', message: describeViolations(reasons, ctx.crm.fieldLabels), now: ctx.nowIso });
  // Written once, and again only when the record no longer shows it (its status fields edited: shown-status.ts).
  const told = previous?.fingerprint === print && sameValue(previous.reasons, reasons);
  // On the version read, so that a write no one else's save preceded reports the record's new version.
  const write = told && recordShowsRefusal(ctx.crm, deal, status) ? undefined : statusWriteOnRead(deal, status);
  if (write) writes.push(write);
  // `record` is undefined when unchanged since parked and not due for a retry (and so already told on the
  // record); the park is stored again only to keep the record's version (echoes.ts: not read back).
  const stored = record ?? previous;
  if (!stored) return;
  outcome.apply.push(async (tx, results) => {
    const versioned = withCrmVersion(stored, deal.etag, write ? results.get(write.key) : null);
    if (record || versioned.crmEtag !== previous?.crmEtag) await tx.park(versioned);
  });
}

/** Checks one create against the rules: the create to send, or nothing (refused and parked, or planned in a dry run). */
async function decideCreate(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal): Promise<PreparedCreate | undefined> {
  const draft = newReferralDraft(deal, ctx.options);
  const problems: Violation[] = deal.problems.map((p) => ({ ...p, severity: 'error' as const }));
  // Asked only for an assessment deal, so other creates cost no extra request.
  const assessmentsAllowed = isAssessmentDeal(draft) ? await ctx.partnerCenter.assessmentsAllowed() : undefined;
  const violations = withRuleErrors(problems, checkCreate(draft, { actor: 'us', now: ctx.now(), ...(assessmentsAllowed === undefined ? {} : { assessmentsAllowed }) }));
  if (violations.length > 0) {
    refuse(ctx, outcome, writes, deal, violations);
    return undefined;
  }
  return { draft, earlier: ctx.records.getIntent('referral', deal.crmId) };
}

/**
 * The page's creates, decided in order before any is sent, with their intents recorded in one transaction
 * (this module's comment). Refusals are parked and planned writes listed as each is decided.
 */
export async function prepareCreates(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deals: readonly CrmDeal[]): Promise<Map<string, PreparedCreate>> {
  const prepared = new Map<string, PreparedCreate>();
  for (const deal of deals) {
    if (!isCreateCandidate(ctx, deal)) continue;
    const create = await decideCreate(ctx, outcome, writes, deal);
    if (create) prepared.set(deal.crmId, create);
  }
  if (prepared.size > 0) {
    await ctx.store.transaction(async (tx) => {
      for (const [crmId, { earlier }] of prepared) await tx.putIntent({ target: 'referral', sourceId: crmId, createdAt: ctx.nowIso, attempts: (earlier?.attempts ?? 0) + 1 });
    });
  }
  return prepared;
}

/** Sends one prepared create, links the referral and merges the rest of the deal like any linked pair. */
export async function sendCreate(ctx: RunContext, outcome: PageOutcome, writes: CrmWrite[], deal: CrmDeal, { draft, earlier }: PreparedCreate): Promise<void> {
  // The intent was recorded before the call (prepareCreates). Only after an earlier attempt can the referral
  // exist already (a referral carrying this CRM ID from anywhere else was linked by this run's Partner Center
  // phase), so only then look up first.
  let created;
  try {
    created = await ctx.partnerCenter.createIdempotent(draft, { lookupFirst: earlier !== undefined });
  } catch (error) {
    if (error instanceof RemoteValidationError) {
      return refuse(ctx, outcome, writes, deal, [{ code: 'remote.refused', field: error.context.field ?? error.context.target ?? 'referral', message: error.message, severity: 'error' }]);
    }
    throw error;
  }
  const referral = created.referral;
  ctx.tally.add(created.created ? 'pcCreated' : 'linked');
  // A referral this run created has nothing in the store; one an earlier attempt created is read.
  if (created.created) ctx.records.addNew([referral.referralId!]);
  else await ctx.records.add(ctx.store, [referral.referralId!]);
  const link: Link = {
    crmId: deal.crmId,
    referralId: referral.referralId!,
    ...(referral.engagementId ? { engagementId: referral.engagementId } : {}),
    // A record created without a location names none: the base holds none either, so the pair below writes
    // Partner Center's location onto the record and the seller sees which one the deal got.
    base: deal.referral.location === undefined ? writeUnit(referral, 'location', undefined) : referral,
    ...(referral.eTag ? { pcEtag: referral.eTag } : {}),
    ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}),
    crmModifiedAt: deal.modifiedAt,
    state: 'active',
    updatedAt: ctx.nowIso,
  };
  // The rest of the deal (what Partner Center did not keep at creation) is merged like any linked pair.
  const pair = await syncPair(ctx, link, deal, referral);
  outcome.pairs.push(pair);
  // Always there: the new link has no status shown yet, so the pair's status differs from it (pair-record.ts
  // `statusChanged`) and it writes an update on the version read, carrying the referral ID and the status.
  // syncPair's other path, a paused pair, is a deal not opted in: never a create candidate. (Until 2026-12-08 a
  // status-only write stood in here for a missing one, which was never reached.)
  writes.push(pair.crmWrite!);
  outcome.apply.push(async (tx) => {
    await tx.deleteIntent('referral', deal.crmId);
    await tx.unpark('crm', deal.crmId);
  });
}
