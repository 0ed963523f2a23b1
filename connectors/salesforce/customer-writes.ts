/**
 * The customer's rows an update writes: the deal's primary contact (Contact and OpportunityContactRole) and
 * its account's fields. Both are shared by other deals, so each returns the rows it edited, and the deals
 * sharing them take the edit in the same run (`dealsSharing`). A row the org refuses fails the write of each
 * deal that edited it.
 */
import type { Referral } from '../../core/model/referral.js';
import { billingStreet, getPath } from '../../mappings/fields.salesforce.js';
import type { SalesforceClient } from './client.js';
import { saveRecords, type CollectionItem } from './collections.js';
import type { CreateContext } from './create.js';
import { person } from './assemble.js';
import { sameValue } from '../../core/model/diff.js';
import { matchContact, type ContactCandidate } from './matching.js';
import { quoteId } from './soql.js';
import { addWriter, otherDealsOf } from '../shared-customers.js';
import { itemFailure } from './errors.js';
import { deleteRows, failWritersOf, ofOpportunity, queryAll, touches, type Failure, type RelatedWrite, type Row } from './related-write-parts.js';

/** The opportunities' accounts, for account and contact writes. */
export async function accountsOf(client: SalesforceClient, writes: readonly RelatedWrite[]): Promise<Map<string, string | undefined>> {
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
export async function writeContacts(ctx: CreateContext, writes: readonly RelatedWrite[], accounts: Map<string, string | undefined>, failures: Map<string, Failure>): Promise<EditedRows> {
  const client = ctx.client;
  const edited: EditedRows = new Map();
  const withEmail = writes.filter((w) => w.referral.customerContact?.email);
  if (!withEmail.length) return edited;
  const contacts = (await queryAll(client, (list) => `SELECT Id, Email, AccountId, FirstName, LastName, Phone FROM Contact WHERE Email IN (${list.join(', ')})`, withEmail.map((w) => w.referral.customerContact!.email))) as unknown as (ContactCandidate & Row)[];
  const primaries = await queryAll(client, (ids) => `SELECT Id, OpportunityId, ContactId FROM OpportunityContactRole WHERE IsPrimary = true AND OpportunityId IN (${ids.join(', ')})`, withEmail.map((w) => w.crmId), quoteId);
  const matches = new Map(withEmail.map((w) => [w.key, matchContact(w.referral.customerContact!, contacts, accounts.get(w.crmId))]));
  const needContact = withEmail.filter((w) => !matches.get(w.key));
  const created = await saveRecords(client, 'POST', '/composite/sobjects', needContact.map((w) => {
    const c = w.referral.customerContact!;
    return { key: w.key, record: { attributes: { type: 'Contact' }, AccountId: accounts.get(w.crmId) ?? null, FirstName: c.firstName || null, LastName: c.lastName || c.email, Email: c.email, Phone: c.phone || null } };
  }));
  const roles: CollectionItem[] = [];
  const edits = new Map<string, CollectionItem>();
  for (const w of withEmail) {
    const match = matches.get(w.key);
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
  const byKey = new Map(withEmail.map((w) => [w.key, w]));
  failWritersOf(await saveRecords(client, 'POST', '/composite/sobjects', roles), byKey, () => 'the primary contact role', contactField(ctx), failures);
  // A contact shared by several deals fails the write of each deal that edited it.
  const saved = await saveRecords(client, 'PATCH', '/composite/sobjects', [...edits.values()]);
  failWritersOf(saved, edited, (w, contactId) => `contact ${contactId} of opportunity ${w.crmId}`, contactField(ctx), failures);
  return savedOnly(edited, saved);
}

/** A Contact's field as the canonical path a refusal names. */
const contactField = (ctx: Pick<CreateContext, 'canonicalOf'>) => (f: string) => ctx.canonicalOf(`Contact.${f}`) ?? 'customerContact';

/** A refused Contact (or contact role) as the failure of the deal's write, named by the contact's path. */
export function contactFailure(ctx: Pick<CreateContext, 'canonicalOf'>, key: string, what: string, errors: Parameters<typeof itemFailure>[2]): Failure {
  return itemFailure(key, what, errors, contactField(ctx));
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
export async function removeContacts(ctx: CreateContext, writes: readonly RelatedWrite[], failures: Map<string, Failure>): Promise<void> {
  if (!writes.length) return;
  const primaries = await queryAll(ctx.client, (ids) => `SELECT Id, OpportunityId, Contact.FirstName, Contact.LastName, Contact.Email, Contact.Phone FROM OpportunityContactRole WHERE IsPrimary = true AND OpportunityId IN (${ids.join(', ')})`, writes.map((w) => w.crmId), quoteId);
  const removals = new Map(writes.flatMap((w) => primaries.filter((p) => p.OpportunityId === w.crmId && (!w.asRead || sameValue(person(p.Contact), w.asRead.customerContact))).map((p) => [p.Id, w] as const)));
  await deleteRows(ctx, removals, ofOpportunity('removed primary contact role'), failures);
}

/**
 * Edits the deals' accounts (the customer's name and address Partner Center changed); returns the accounts
 * saved. An account the org refuses (a validation rule, a row lock twice) fails the write of every deal that
 * edited it (until 2026-12-06 the refusal was dropped).
 */
export async function writeAccounts(ctx: CreateContext, writes: readonly RelatedWrite[], accounts: Map<string, string | undefined>, failures: Map<string, Failure>): Promise<EditedRows> {
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
  failWritersOf(outcomes, edited, (w, accountId) => `account ${accountId} of opportunity ${w.crmId}`, (f) => ctx.canonicalOf(`Account.${f}`) ?? 'customer', failures);
  return savedOnly(edited, outcomes);
}

/** A record ID as compared: its case-sensitive 15 characters (queries answer with 18). */
const id15 = (id: unknown) => String(id).slice(0, 15);

/**
 * The other opportunities of the accounts and primary contacts these writes edited, by write key: their deals
 * changed with the edit (a customer Partner Center changed on one referral), and their referrals must take it.
 * One query each (per 6,000 characters of IDs), only after such an edit.
 */
export async function dealsSharing(client: SalesforceClient, accounts: EditedRows, contacts: EditedRows): Promise<Map<string, string[]>> {
  const users: [unknown, unknown][] = [];
  if (accounts.size) for (const r of await queryAll(client, (ids) => `SELECT Id, AccountId FROM Opportunity WHERE AccountId IN (${ids.join(', ')})`, [...accounts.keys()], quoteId)) users.push([r.AccountId, r.Id]);
  if (contacts.size) for (const r of await queryAll(client, (ids) => `SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE IsPrimary = true AND ContactId IN (${ids.join(', ')})`, [...contacts.keys()], quoteId)) users.push([r.ContactId, r.OpportunityId]);
  const writersOf = new Map([...accounts, ...contacts].map(([rowId, writes]) => [id15(rowId), writes]));
  return otherDealsOf(users.flatMap(([rowId, opportunityId]) => (typeof opportunityId === 'string' ? [{ writers: writersOf.get(id15(rowId)), opportunityId }] : [])), id15);
}

