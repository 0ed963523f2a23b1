/**
 * Writing the parts of a deal that live outside the Opportunity row, when an update changes them:
 * solutions (the connector's child object), the opportunity team (OpportunityTeamMember, which needs a
 * Salesforce user per member), the primary customer contact (OpportunityContactRole) and the customer's
 * account fields. Each needs a lookup query per batch, so they run only for writes that change them.
 * A change Salesforce cannot hold (a team member who is not a user) fails that write with a reason,
 * instead of being dropped and read back as a removal.
 */
import { SolutionKind } from '../../core/model/enums.js';
import type { Referral, Solution } from '../../core/model/referral.js';
import { billingStreet, getPath } from '../../mappings/fields.salesforce.js';
import type { CrmWriteResult } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { deleteRecords, saveRecords, type CollectionItem, type ItemOutcome } from './collections.js';
import type { CreateContext } from './create.js';
import { F, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { outsideTeamValue, person } from './assemble.js';
import { sameValue } from '../../core/model/diff.js';
import { chunkForSoql, matchContact, type ContactCandidate } from './matching.js';
import { queryAllRecords } from './query-pages.js';
import { quote, quoteId } from './soql.js';
import { solutionRowName } from '../solution-names.js';
import { addWriter, otherDealsOf } from '../shared-customers.js';
import { memberKey, readKeys, removedByMerge, solutionKey } from '../related-sets.js';
import { itemFailure } from './errors.js';

export interface RelatedWrite {
  key: string;
  crmId: string;
  referral: Referral;
  changed: readonly string[];
  /** The team, solutions and contact the engine decided on (related-sets.ts): rows added since are kept. */
  asRead?: Pick<Referral, 'team' | 'solutions' | 'customerContact'>;
}

type Row = Record<string, unknown> & { Id: string };
type Failure = Extract<CrmWriteResult, { ok: false }>;

async function queryAll(client: SalesforceClient, soqlFor: (chunk: string[]) => string, values: readonly string[], quoteFn: (v: string) => string = quote): Promise<Row[]> {
  const rows: Row[] = [];
  for (const chunk of chunkForSoql([...new Set(values)], 6000)) rows.push(...(await queryAllRecords<Row>(client, soqlFor(chunk.map(quoteFn)))));
  return rows;
}

const touches = (w: RelatedWrite, path: string) => w.changed.some((c) => c === path || c.startsWith(`${path}.`) || c.startsWith(`${path}[`));
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/**
 * Deletes rows (row ID → the write that removes it); a row Salesforce refuses to delete fails its write, as
 * a refused save does, so the write is retried and the record says why.
 */
async function deleteRows(ctx: Pick<CreateContext, 'client' | 'canonicalOf'>, writerOf: ReadonlyMap<string, RelatedWrite>, what: (w: RelatedWrite) => string, failures: Map<string, Failure>): Promise<void> {
  failWritersOf(await deleteRecords(ctx.client, [...writerOf.keys()]), writerOf, what, ctx.canonicalOf, failures);
}

function solutionRecord(crmId: string, s: Solution): Record<string, unknown> {
  return {
    attributes: { type: SOLUTION_OBJECT }, [SOLUTION_PARENT_FIELD]: crmId, Name: solutionRowName(s).slice(0, 80), [SOLUTION_FIELDS.solutionId]: s.id,
    [SOLUTION_FIELDS.kind]: SolutionKind.label(s.kind), [SOLUTION_FIELDS.price]: s.price ?? null, [SOLUTION_FIELDS.quantity]: s.quantity ?? null,
    [SOLUTION_FIELDS.currency]: s.currency ?? null, [SOLUTION_FIELDS.incentiveEligible]: s.incentiveEligible === true,
    [SOLUTION_FIELDS.assessmentLocation]: s.assessmentLocation ?? null,
  };
}

/**
 * Fails the write behind each refused row (`writerOf`: row item key → its write; `what`: the row, named for
 * the write), unless it failed already. A create's refused rows fail the create (create.ts), an update's the
 * update: dropped without a word, the write said it succeeded and the next run read the record without the
 * row as the seller's removal, sent to Partner Center.
 */
export function failWritersOf<W extends { key: string }>(outcomes: ReadonlyMap<string, ItemOutcome>, writerOf: ReadonlyMap<string, W>, what: (w: W) => string, canonicalOf: (field: string) => string | undefined, failures: Map<string, CrmWriteResult>): void {
  for (const [itemKey, outcome] of outcomes) {
    const w = writerOf.get(itemKey);
    if (w && !outcome.ok && failures.get(w.key)?.ok !== false) failures.set(w.key, itemFailure(w.key, what(w), outcome.errors, canonicalOf));
  }
}

/** A row of an existing opportunity, named for `failWritersOf`. */
const ofOpportunity = (row: string) => (w: RelatedWrite) => `${row} of opportunity ${w.crmId}`;

async function writeSolutions(ctx: CreateContext, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const client = ctx.client;
  /** Row item key → the write it is part of. */
  const writerOf = new Map<string, RelatedWrite>();
  const existing = await queryAll(client, (ids) => `SELECT Id, ${SOLUTION_PARENT_FIELD}, ${SOLUTION_FIELDS.solutionId} FROM ${SOLUTION_OBJECT} WHERE ${SOLUTION_PARENT_FIELD} IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const creates: CollectionItem[] = [];
  const updates: CollectionItem[] = [];
  const removals = new Map<string, RelatedWrite>();
  for (const w of writes) {
    const rows = existing.filter((r) => r[SOLUTION_PARENT_FIELD] === w.crmId);
    const wanted = new Map(w.referral.solutions.map((s) => [solutionKey(s.id), s]));
    const seen = readKeys(w.asRead, 'solutions');
    // Matched rows leave `wanted` (a second row of the same solution is then removed): test against the whole set.
    const merged = new Set(wanted.keys());
    for (const row of rows) {
      const key = solutionKey(String(row[SOLUTION_FIELDS.solutionId] ?? ''));
      const s = wanted.get(key);
      if (!s) {
        if (removedByMerge(key, merged, seen) || merged.has(key)) removals.set(row.Id, w);
      } else {
        const { [SOLUTION_PARENT_FIELD]: _parent, ...values } = solutionRecord(w.crmId, s);
        updates.push({ key: row.Id, record: { ...values, id: row.Id } });
        writerOf.set(row.Id, w);
        wanted.delete(key);
      }
    }
    for (const s of wanted.values()) {
      creates.push({ key: `${w.crmId}:${s.id}`, record: solutionRecord(w.crmId, s) });
      writerOf.set(`${w.crmId}:${s.id}`, w);
    }
  }
  failWritersOf(await saveRecords(client, 'POST', '/composite/sobjects', creates), writerOf, ofOpportunity('solution row'), ctx.canonicalOf, failures);
  failWritersOf(await saveRecords(client, 'PATCH', '/composite/sobjects', updates), writerOf, ofOpportunity('solution row'), ctx.canonicalOf, failures);
  await deleteRows(ctx, removals, ofOpportunity('removed solution row'), failures);
}

/**
 * The opportunity team holds Salesforce users only: members who are users join it, the others (a
 * Microsoft seller, a colleague without a licence) are kept in the outside-team field, so that both
 * read back as the deal's team and neither is lost.
 */
export async function writeTeam(ctx: Pick<CreateContext, 'client' | 'canonicalOf'>, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const client = ctx.client;
  /** Member item key → the write it is part of. */
  const writerOf = new Map<string, RelatedWrite>();
  const members = await queryAll(client, (ids) => `SELECT Id, OpportunityId, UserId, User.Email FROM OpportunityTeamMember WHERE OpportunityId IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const emails = writes.flatMap((w) => w.referral.team.map((m) => m.email).filter(Boolean));
  const users = emails.length ? await queryAll(client, (list) => `SELECT Id, Email FROM User WHERE IsActive = true AND Email IN (${list.join(', ')})`, emails) : [];
  const creates: CollectionItem[] = [];
  const removals = new Map<string, RelatedWrite>();
  const outside: CollectionItem[] = [];
  for (const w of writes) {
    const current = members.filter((m) => m.OpportunityId === w.crmId);
    const wanted = new Set(w.referral.team.map((m) => memberKey(m.email)).filter(Boolean));
    const seen = readKeys(w.asRead, 'team');
    const notUsers = w.referral.team.filter((m) => m.email && !users.some((u) => lower(u.Email) === lower(m.email)));
    for (const email of wanted) {
      if (current.some((m) => lower((m.User as Row | null)?.Email) === email)) continue;
      const user = users.find((u) => lower(u.Email) === email);
      if (!user) continue;
      creates.push({ key: `${w.crmId}:${email}`, record: { attributes: { type: 'OpportunityTeamMember' }, OpportunityId: w.crmId, UserId: user.Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' } });
      writerOf.set(`${w.crmId}:${email}`, w);
    }
    for (const m of current) if (removedByMerge(lower((m.User as Row | null)?.Email), wanted, seen)) removals.set(m.Id, w);
    outside.push({ key: w.key, record: { attributes: { type: 'Opportunity' }, id: w.crmId, [F.outsideTeam]: outsideTeamValue(notUsers) } });
  }
  failWritersOf(await saveRecords(client, 'POST', '/composite/sobjects', creates), writerOf, ofOpportunity('team member'), ctx.canonicalOf, failures);
  await deleteRows(ctx, removals, ofOpportunity('removed team member'), failures);
  for (const [key, outcome] of await saveRecords(client, 'PATCH', '/composite/sobjects', outside)) {
    if (!outcome.ok) failures.set(key, { key, ok: false, code: 'failed', field: 'team', message: `The deal team outside Salesforce could not be saved: ${outcome.errors.map((e) => e.message).join('; ')}` });
  }
}

/** The opportunities' accounts, for account and contact writes. */
async function accountsOf(client: SalesforceClient, writes: readonly RelatedWrite[]): Promise<Map<string, string | undefined>> {
  const rows = writes.length ? await queryAll(client, (ids) => `SELECT Id, AccountId FROM Opportunity WHERE Id IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId) : [];
  return new Map(rows.map((r) => [r.Id, typeof r.AccountId === 'string' ? r.AccountId : undefined]));
}

/** Customer row (account or contact) ID → the writes that edited it. */
type EditedRows = Map<string, RelatedWrite[]>;

/**
 * Links each deal to its contact (creating the Contact when no one has the email) and edits the contacts;
 * returns the Contacts edited. A Contact or contact role the org refuses (a validation rule) fails the
 * deal's write, so its contact stays unsynced, the record says why and the write is retried: until
 * 2026-12-06 it was dropped without a word, and the next run sent the record's missing contact to Partner
 * Center as the seller's removal.
 */
async function writeContacts(ctx: CreateContext, writes: readonly RelatedWrite[], accounts: Map<string, string | undefined>, failures: Map<string, Failure>): Promise<EditedRows> {
  const client = ctx.client;
  const edited: EditedRows = new Map();
  const withEmail = writes.filter((w) => w.referral.customerContact?.email);
  if (!withEmail.length) return edited;
  const contacts = (await queryAll(client, (list) => `SELECT Id, Email, AccountId, FirstName, LastName, Phone FROM Contact WHERE Email IN (${list.join(', ')})`, withEmail.map((w) => w.referral.customerContact!.email))) as unknown as (ContactCandidate & Row)[];
  const primaries = await queryAll(client, (ids) => `SELECT Id, OpportunityId, ContactId FROM OpportunityContactRole WHERE IsPrimary = true AND OpportunityId IN (${ids.join(', ')})`, withEmail.map((w) => w.crmId), quoteId);
  const needContact = withEmail.filter((w) => !matchContact(w.referral.customerContact!, contacts, accounts.get(w.crmId)));
  const created = await saveRecords(client, 'POST', '/composite/sobjects', needContact.map((w) => {
    const c = w.referral.customerContact!;
    return { key: w.key, record: { attributes: { type: 'Contact' }, AccountId: accounts.get(w.crmId) ?? null, FirstName: c.firstName || null, LastName: c.lastName || c.email, Email: c.email, Phone: c.phone || null } };
  }));
  const roles: CollectionItem[] = [];
  const edits = new Map<string, CollectionItem>();
  for (const w of withEmail) {
    const match = matchContact(w.referral.customerContact!, contacts, accounts.get(w.crmId));
    const outcome = created.get(w.key);
    const contactId = match?.Id ?? (outcome?.ok ? outcome.id : undefined);
    if (outcome && !outcome.ok) failures.set(w.key, contactFailure(ctx, w.key, `the customer contact of opportunity ${w.crmId}`, outcome.errors));
    if (!contactId) continue;
    if (!primaries.some((p) => p.OpportunityId === w.crmId && p.ContactId === contactId)) {
      roles.push({ key: w.key, record: { attributes: { type: 'OpportunityContactRole' }, OpportunityId: w.crmId, ContactId: contactId, IsPrimary: true, Role: 'Decision Maker' } });
      continue;
    }
    // The deal's own contact, edited (its phone, its name): their Contact takes the edit. Matched by email
    // alone, it was left as it was, read back unchanged and sent back over Partner Center's edit.
    const values = contactEdits(w.referral.customerContact!, match as Row | undefined);
    if (Object.keys(values).length) {
      edits.set(contactId, { key: contactId, record: { attributes: { type: 'Contact' }, id: contactId, ...values } });
      addWriter(edited, contactId, w);
    }
  }
  for (const [key, outcome] of await saveRecords(client, 'POST', '/composite/sobjects', roles)) {
    if (!outcome.ok) failures.set(key, contactFailure(ctx, key, 'the primary contact role', outcome.errors));
  }
  return savedOnly(edited, await saveRecords(client, 'PATCH', '/composite/sobjects', [...edits.values()]));
}

/** A refused Contact (or contact role) as the failure of the deal's write, named by the contact's path. */
export function contactFailure(ctx: Pick<CreateContext, 'canonicalOf'>, key: string, what: string, errors: Parameters<typeof itemFailure>[2]): Failure {
  return itemFailure(key, what, errors, (f) => ctx.canonicalOf(`Contact.${f}`) ?? 'customerContact');
}

/** The edited rows whose save went through. */
function savedOnly(edited: EditedRows, outcomes: Map<string, { ok: boolean }>): EditedRows {
  return new Map([...edited].filter(([rowId]) => outcomes.get(rowId)?.ok === true));
}

/** The Contact fields that differ from the merged contact (email is what matched it). */
function contactEdits(contact: Referral['customerContact'] & object, row: Row | undefined): Record<string, unknown> {
  if (!row) return {};
  const wanted: Record<string, string | null> = { FirstName: contact.firstName || null, LastName: contact.lastName || contact.email, Phone: contact.phone || null };
  return Object.fromEntries(Object.entries(wanted).filter(([field, value]) => (row[field] ?? null) !== value));
}

/**
 * The customer contact removed (in Partner Center): the deal's primary contact role goes, the Contact stays
 * (other deals and roles use it). Only the role of the contact the engine read: a primary contact a seller
 * set since is theirs, and the next run reads it as their change.
 */
async function removeContacts(ctx: CreateContext, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const primaries = await queryAll(ctx.client, (ids) => `SELECT Id, OpportunityId, Contact.FirstName, Contact.LastName, Contact.Email, Contact.Phone FROM OpportunityContactRole WHERE IsPrimary = true AND OpportunityId IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const removals = new Map(writes.flatMap((w) => primaries.filter((p) => p.OpportunityId === w.crmId && (!w.asRead || sameValue(person(p.Contact), w.asRead.customerContact))).map((p) => [p.Id, w] as const)));
  await deleteRows(ctx, removals, ofOpportunity('removed primary contact role'), failures);
}

/**
 * Edits the deals' accounts (the customer's name and address Partner Center changed); returns the accounts
 * saved. An account the org refuses (a validation rule, a row lock twice) fails the write of every deal that
 * edited it: until 2026-12-06 the refusal was dropped, the deal said synced, and the next run read the
 * account's old values as the seller's edit and sent them over Partner Center's change.
 */
async function writeAccounts(ctx: CreateContext, writes: readonly RelatedWrite[], accounts: Map<string, string | undefined>, failures: Map<string, Failure>): Promise<EditedRows> {
  const items = new Map<string, CollectionItem>();
  const edited: EditedRows = new Map();
  for (const w of writes) {
    const accountId = accounts.get(w.crmId);
    if (!accountId) continue;
    const values: Record<string, unknown> = {};
    for (const row of ctx.rows) {
      if (!row.canonical.startsWith('customer.') || !row.field.startsWith('Account.') || !touches(w, row.canonical)) continue;
      values[row.field.slice('Account.'.length)] = getPath(w.referral, row.canonical) ?? null;
    }
    if ('BillingStreet' in values) values.BillingStreet = billingStreet(w.referral.customer);
    if (!Object.keys(values).length) continue;
    items.set(accountId, { key: accountId, record: { attributes: { type: 'Account' }, id: accountId, ...(items.get(accountId)?.record ?? {}), ...values } });
    addWriter(edited, accountId, w);
  }
  const outcomes = await saveRecords(ctx.client, 'PATCH', '/composite/sobjects', [...items.values()]);
  for (const [accountId, outcome] of outcomes) {
    if (outcome.ok) continue;
    for (const w of edited.get(accountId) ?? []) {
      if (failures.get(w.key)?.ok !== false) failures.set(w.key, itemFailure(w.key, `account ${accountId} of opportunity ${w.crmId}`, outcome.errors, (f) => ctx.canonicalOf(`Account.${f}`) ?? 'customer'));
    }
  }
  return savedOnly(edited, outcomes);
}

/** A record ID as compared: its case-sensitive 15 characters (queries answer with 18). */
const id15 = (id: unknown) => String(id).slice(0, 15);

/**
 * The other opportunities of the accounts and primary contacts these writes edited, by write key: their deals
 * changed with the edit (a customer Partner Center changed on one referral), and their referrals must take it.
 * One query each (per 6,000 characters of IDs), only after such an edit.
 */
async function dealsSharing(client: SalesforceClient, accounts: EditedRows, contacts: EditedRows): Promise<Map<string, string[]>> {
  const users: [unknown, unknown][] = [];
  if (accounts.size) for (const r of await queryAll(client, (ids) => `SELECT Id, AccountId FROM Opportunity WHERE AccountId IN (${ids.join(', ')})`, [...accounts.keys()], quoteId)) users.push([r.AccountId, r.Id]);
  if (contacts.size) for (const r of await queryAll(client, (ids) => `SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE IsPrimary = true AND ContactId IN (${ids.join(', ')})`, [...contacts.keys()], quoteId)) users.push([r.ContactId, r.OpportunityId]);
  const writersOf = new Map([...accounts, ...contacts].map(([rowId, writes]) => [id15(rowId), writes]));
  return otherDealsOf(users.flatMap(([rowId, opportunityId]) => (typeof opportunityId === 'string' ? [{ writers: writersOf.get(id15(rowId)), opportunityId }] : [])), id15);
}

/**
 * Applies the related-record parts of updates; returns a failure for each write that could not be held, and
 * the other opportunities whose customer account or contact a write edited (by write key).
 */
export async function applyRelatedChanges(ctx: CreateContext, writes: readonly RelatedWrite[]): Promise<{ failures: Map<string, Failure>; sharedWith: Map<string, string[]> }> {
  const failures = new Map<string, Failure>();
  await writeSolutions(ctx, writes.filter((w) => touches(w, 'solutions')), failures);
  await writeTeam(ctx, writes.filter((w) => touches(w, 'team')), failures);
  await removeContacts(ctx, writes.filter((w) => touches(w, 'customerContact') && !w.referral.customerContact), failures);
  const setsContact = (w: RelatedWrite) => touches(w, 'customerContact') && w.referral.customerContact !== undefined;
  const needAccount = writes.filter((w) => setsContact(w) || w.changed.some((c) => c.startsWith('customer.') || c === 'customer'));
  if (!needAccount.length) return { failures, sharedWith: new Map() };
  const accounts = await accountsOf(ctx.client, needAccount);
  const contacts = await writeContacts(ctx, needAccount.filter(setsContact), accounts, failures);
  const edited = await writeAccounts(ctx, needAccount.filter((w) => w.changed.some((c) => c.startsWith('customer.') || c === 'customer')), accounts, failures);
  return { failures, sharedWith: await dealsSharing(ctx.client, edited, contacts) };
}
