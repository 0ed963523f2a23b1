/**
 * Creating opportunities for inbound referrals without duplicates: accounts are matched (D-U-N-S, then
 * name + postal code + country) and contacts matched by email before any is created, and the
 * opportunity is upserted on the referral ID (an external ID), so a retried create can never make a
 * second opportunity. Every step is batched: one query per ~300 lookup values, 200 records per save.
 */
import { Direction, HelpType, SolutionKind } from '../../core/model/enums.js';
import type { Referral } from '../../core/model/referral.js';
import { billingStreet, getPath, statusValues, type SalesforceFieldRow } from '../../mappings/fields.salesforce.js';
import { salesforceStageFor, stageTarget, type StageDecision } from '../../mappings/stages.salesforce.js';
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { saveRecords, type ItemOutcome } from './collections.js';
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { itemFailure } from './errors.js';
import { customerKey, matchAccount, matchContact, type AccountCandidate, type ContactCandidate } from './matching.js';
import { queryInList, queryInLists } from './in-list-queries.js';
import { quote } from './soql.js';
import { writeTeam } from './related-writes.js';
import { contactFailure } from './customer-writes.js';
import { failWritersOf } from './related-write-parts.js';

export type CreateWrite = Extract<CrmWrite, { kind: 'create' }>;

export interface CreateContext {
  client: SalesforceClient;
  rows: readonly SalesforceFieldRow[];
  stageMap: ReadonlyMap<string, StageDecision>;
  referralLink: (referralId: string) => string;
  canonicalOf: (field: string) => string | undefined;
}

const accountField = (rows: readonly SalesforceFieldRow[], canonical: string, fallback: string): string =>
  rows.find((r) => r.canonical === canonical)?.field.replace(/^Account\./, '') ?? fallback;

/** Account values for a new customer account, from the field table's `customer.*` → `Account.*` rows. */
function accountValues(referral: Referral, rows: readonly SalesforceFieldRow[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const row of rows) {
    if (!row.canonical.startsWith('customer.') || !row.field.startsWith('Account.')) continue;
    const v = getPath(referral, row.canonical);
    if (v !== undefined && v !== '') values[row.field.slice('Account.'.length)] = v;
  }
  if ('BillingStreet' in values || referral.customer.addressLine2) values.BillingStreet = billingStreet(referral.customer);
  return values;
}

async function findAccounts(ctx: CreateContext, creates: readonly CreateWrite[]): Promise<AccountCandidate[]> {
  const duns = accountField(ctx.rows, 'customer.duns', 'DunsNumber');
  const postal = accountField(ctx.rows, 'customer.postalCode', 'BillingPostalCode');
  const country = accountField(ctx.rows, 'customer.country', 'BillingCountry');
  const dunsValues = [...new Set(creates.map((c) => c.referral.customer.duns?.replace(/\D/g, '')).filter((v): v is string => Boolean(v)))];
  const names = [...new Set(creates.map((c) => c.referral.customer.name.trim()).filter(Boolean))];
  const select = `SELECT Id, Name, ${duns}, ${postal}, ${country} FROM Account WHERE`;
  // Both lookups in the same Composite calls (in-list-queries.ts).
  const found = (await queryInLists(ctx.client, [
    { soqlFor: (list) => `${select} ${duns} IN (${list.join(', ')})`, values: dunsValues, quote },
    { soqlFor: (list) => `${select} Name IN (${list.join(', ')})`, values: names, quote },
  ])).flat() as unknown as AccountCandidate[];
  return found.map((a) => ({ ...a, DunsNumber: a[duns] as string | null, BillingPostalCode: a[postal] as string | null, BillingCountry: a[country] as string | null }));
}

async function findContacts(ctx: CreateContext, emails: readonly string[]): Promise<ContactCandidate[]> {
  // Every batch (continuations followed): one email may match more contacts than a batch holds, and the one on the deal's account may come last.
  const found = await queryInList(ctx.client, { soqlFor: (list) => `SELECT Id, Email, AccountId FROM Contact WHERE Email IN (${list.join(', ')})`, values: emails, quote });
  return found as unknown as ContactCandidate[];
}

function opportunityValues(w: CreateWrite, ctx: CreateContext, accountId: string, stageName: string): Record<string, unknown> {
  const r = w.referral;
  const values: Record<string, unknown> = { attributes: { type: 'Opportunity' } };
  for (const row of ctx.rows) {
    if (row.direction !== 'both' || row.field.includes('.')) continue;
    const v = getPath(r, row.canonical);
    if (v !== undefined) values[row.field] = row.toSalesforce ? row.toSalesforce(v) : v;
  }
  Object.assign(values, {
    AccountId: accountId,
    StageName: stageName,
    [F.optIn]: true,
    [F.referralId]: r.referralId,
    [F.direction]: Direction.toCode(r.direction),
    [F.referralStatus]: `${r.status}/${r.substatus}`,
    [F.helpType]: r.helpType ? HelpType.label(r.helpType) : null,
    [F.shareWithMicrosoft]: r.shareWithMicrosoftSellers,
    [F.notesToMicrosoft]: r.notesToMicrosoft ?? null,
    ...(r.engagementId ? { [F.engagementId]: r.engagementId } : {}),
    ...statusValues({ ...w.status, referralId: r.referralId, ...(r.engagementId ? { engagementId: r.engagementId } : {}), referralLink: w.status.referralLink ?? ctx.referralLink(r.referralId!) }),
  });
  return values;
}

/** Creates (or finds) the opportunity of each inbound referral. */
export async function applyCreates(ctx: CreateContext, creates: readonly CreateWrite[]): Promise<Map<string, CrmWriteResult>> {
  const results = new Map<string, CrmWriteResult>();
  const fail = (w: CreateWrite, message: string, field?: string) => results.set(w.key, { key: w.key, ok: false, code: 'validation', message: `Referral ${w.referral.referralId ?? w.key}: ${message}`, ...(field ? { field } : {}) });
  const pending = creates.filter((w) => {
    if (!w.referral.referralId) return void fail(w, 'has no referral ID; a create needs one so that it can never be duplicated', 'referralId');
    if (!w.referral.closeDate) return void fail(w, 'has no estimated close date, which Salesforce requires (CloseDate)', 'closeDate');
    if (!w.referral.customer.name.trim()) return void fail(w, 'has no customer name, which a Salesforce account requires', 'customer.name');
    return true;
  });
  // A referral that closed before its first sync (declined, expired, won) arrives closed, never open.
  const stageName = (r: Referral) => salesforceStageFor(stageTarget(r) ?? 'Created', ctx.stageMap) ?? salesforceStageFor('Created', ctx.stageMap);

  // 1. Accounts: match, then create the missing ones once per distinct customer.
  const candidates = await findAccounts(ctx, pending);
  const accountOf = new Map<string, string>();
  const toCreate = new Map<string, CreateWrite>();
  for (const w of pending) {
    const match = matchAccount(w.referral.customer, candidates, { duns: 'DunsNumber' });
    if (match) accountOf.set(w.key, match.Id);
    else if (!toCreate.has(customerKey(w.referral.customer))) toCreate.set(customerKey(w.referral.customer), w);
  }
  const accountSaves = await saveRecords(ctx.client, 'POST', '/composite/sobjects', [...toCreate].map(([key, w]) => ({ key, record: { attributes: { type: 'Account' }, ...accountValues(w.referral, ctx.rows) } })));
  const accountFailure = new Map<string, ItemOutcome>();
  for (const w of pending) {
    if (accountOf.has(w.key)) continue;
    const outcome = accountSaves.get(customerKey(w.referral.customer));
    if (outcome?.ok) accountOf.set(w.key, outcome.id);
    else if (outcome) accountFailure.set(w.key, outcome);
  }
  for (const [key, outcome] of accountFailure) {
    const w = pending.find((p) => p.key === key)!;
    if (!outcome.ok) results.set(key, itemFailure(key, `account for customer "${w.referral.customer.name}"`, outcome.errors, (f) => ctx.canonicalOf(`Account.${f}`)));
  }
  const ready = pending.filter((w) => accountOf.has(w.key));

  // 2. The opportunities, upserted on the referral ID.
  const oppSaves = await saveRecords(ctx.client, 'PATCH', `/composite/sobjects/Opportunity/${F.referralId}`, ready.map((w) => ({ key: w.key, record: opportunityValues(w, ctx, accountOf.get(w.key)!, stageName(w.referral) ?? 'Prospecting') })));
  const created: CreateWrite[] = [];
  for (const w of ready) {
    const outcome = oppSaves.get(w.key);
    if (outcome?.ok) {
      results.set(w.key, { key: w.key, ok: true, crmId: outcome.id });
      if (outcome.created !== false) created.push(w);
    } else if (outcome) {
      results.set(w.key, itemFailure(w.key, `opportunity for referral ${w.referral.referralId}`, outcome.errors, ctx.canonicalOf));
    }
  }
  await addContactRoles(ctx, created, accountOf, results);
  await addSolutions(ctx, created, results);
  // The referral's team: users join the opportunity team, the others are kept beside it (never dropped).
  // Only for creates still whole: one whose rows failed above has no CRM ID here, and the next run finishes it.
  const teamWrites = created.flatMap((w) => {
    const r = results.get(w.key);
    return r?.ok && w.referral.team.length > 0 ? [{ key: w.key, crmId: r.crmId, referral: w.referral, changed: ['team'] }] : [];
  });
  const teamFailures = new Map<string, CrmWriteResult>();
  await writeTeam(ctx, teamWrites, teamFailures as Map<string, Extract<CrmWriteResult, { ok: false }>>);
  for (const [key, failure] of teamFailures) results.set(key, failure);
  // A create whose rows failed still made its opportunity: the engine reads it in the same run (core/engine/crm-listing.ts).
  for (const w of created) {
    const result = results.get(w.key);
    const saved = oppSaves.get(w.key);
    if (result && !result.ok && saved?.ok) results.set(w.key, { ...result, savedCrmId: saved.id });
  }
  return results;
}

/** The customer contact, matched by email or created on the account, as the primary contact role. */
async function addContactRoles(ctx: CreateContext, created: readonly CreateWrite[], accountOf: Map<string, string>, results: Map<string, CrmWriteResult>): Promise<void> {
  const withContact = created.filter((w) => w.referral.customerContact?.email || w.referral.customerContact?.lastName);
  const existing = await findContacts(ctx, withContact.map((w) => w.referral.customerContact!.email).filter(Boolean));
  const contactOf = new Map<string, string>();
  const newContacts = new Map<string, CreateWrite>();
  for (const w of withContact) {
    const match = matchContact(w.referral.customerContact!, existing, accountOf.get(w.key));
    if (match) contactOf.set(w.key, match.Id);
    else newContacts.set(w.referral.customerContact!.email.toLowerCase() || w.key, w);
  }
  const saves = await saveRecords(ctx.client, 'POST', '/composite/sobjects', [...newContacts].map(([key, w]) => {
    const c = w.referral.customerContact!;
    return { key, record: { attributes: { type: 'Contact' }, AccountId: accountOf.get(w.key), FirstName: c.firstName || null, LastName: c.lastName || c.email || 'Unknown', Email: c.email || null, Phone: c.phone || null } };
  }));
  for (const w of withContact) {
    if (contactOf.has(w.key)) continue;
    const outcome = saves.get(w.referral.customerContact!.email.toLowerCase() || w.key);
    if (outcome?.ok) contactOf.set(w.key, outcome.id);
    // A contact the org refuses (a validation rule) leaves the create unfinished, as a refused role does:
    // until 2026-12-06 it was dropped without a word, and the next run sent its absence to Partner Center.
    else if (outcome && results.get(w.key)?.ok) results.set(w.key, contactFailure(ctx, w.key, `the customer contact of the new opportunity for referral ${w.referral.referralId}`, outcome.errors));
  }
  const roles = withContact.filter((w) => contactOf.has(w.key) && results.get(w.key)?.ok).map((w) => {
    const r = results.get(w.key) as Extract<CrmWriteResult, { ok: true }>;
    return { key: w.key, record: { attributes: { type: 'OpportunityContactRole' }, OpportunityId: r.crmId, ContactId: contactOf.get(w.key), IsPrimary: true, Role: 'Decision Maker' } };
  });
  failWritersOf(await saveRecords(ctx.client, 'POST', '/composite/sobjects', roles), new Map(created.map((w) => [w.key, w])), ofNewOpportunity('the customer contact role'), ctx.canonicalOf, results);
}

async function addSolutions(ctx: CreateContext, created: readonly CreateWrite[], results: Map<string, CrmWriteResult>): Promise<void> {
  /** Solution row item key → its create. */
  const writerOf = new Map<string, CreateWrite>();
  const items = created.flatMap((w) => {
    const r = results.get(w.key);
    if (!r?.ok) return [];
    return w.referral.solutions.map((s, i) => {
      writerOf.set(`${w.key}#${i}`, w);
      return {
        key: `${w.key}#${i}`,
        record: {
          attributes: { type: SOLUTION_OBJECT }, [SOLUTION_PARENT_FIELD]: r.crmId, Name: (s.name ?? s.id).slice(0, 80), [SOLUTION_FIELDS.solutionId]: s.id,
          [SOLUTION_FIELDS.kind]: SolutionKind.label(s.kind), [SOLUTION_FIELDS.price]: s.price ?? null, [SOLUTION_FIELDS.quantity]: s.quantity ?? null, [SOLUTION_FIELDS.currency]: s.currency ?? null,
          [SOLUTION_FIELDS.incentiveEligible]: s.incentiveEligible === true, [SOLUTION_FIELDS.assessmentLocation]: s.assessmentLocation ?? null,
        },
      };
    });
  });
  failWritersOf(await saveRecords(ctx.client, 'POST', '/composite/sobjects', items), writerOf, ofNewOpportunity('solution'), ctx.canonicalOf, results);
}

/**
 * A create whose related rows were not all saved did not finish: it is reported failed (failWritersOf), as
 * one whose team failed is, naming the opportunity it saved (`savedCrmId`). Its intent stays, and the run's
 * CRM phase reads that record and links it as a create a stopped run made, which writes the referral's rows
 * the record lacks (core/engine/link-from-ids.ts). Until 2026-12-06 the rows were dropped without a word: the create said it
 * succeeded, and the next run read the record without the referral's solution as the seller's removal of
 * the last one (model seed 1807).
 */
const ofNewOpportunity = (row: string) => (w: CreateWrite) => `${row} of the new opportunity for referral ${w.referral.referralId}`;
