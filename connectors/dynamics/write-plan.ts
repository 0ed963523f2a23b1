/**
 * Turns each engine write into `$batch` entries (pure): a create becomes one atomic change set
 * (account and contact when new, the opportunity, its team members and solutions, linked by
 * Content-ID); an update becomes a PATCH with `If-Match` plus whatever related rows and close action
 * its changed fields need; a status write-back becomes one PATCH.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { memberKey, readKeys, removedByMerge, solutionKey } from '../related-sets.js';
import { CloseReason } from '../../core/model/enums.js';
import { crmOutcome } from '../../core/model/outcome.js';
import type { Contact, Referral } from '../../core/model/referral.js';
import type { DynamicsFieldRow } from '../../mappings/fields.dynamics.js';
import type { DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import type { CrmWrite, SyncStatus } from '../../core/engine/crm-port.js';
import type { BatchEntry, BatchOperation } from './batch-format.js';
import { touches } from './convert.js';
import { dunsKey, emailKey, nameKey } from './matching.js';
import * as payload from './payloads.js';
import type { ConnectorNames } from './schema-names.js';

export interface PlanContext {
  fields: readonly DynamicsFieldRow[];
  stages: readonly DynamicsStageRow[];
  /** The business process flow stages by normalised name (empty when no write needs them). */
  processStages: payload.ProcessStages;
  names: ConnectorNames;
  newId: () => string;
  currencyIds: ReadonlyMap<string, string>;
  /** Existing accounts by match key, and accounts created earlier in this write call (shared across change sets). */
  accounts: Map<string, string>;
  contacts: Map<string, string>;
}

/** What the adapter knows of an opportunity before updating it. */
export interface CurrentOpportunity {
  statecode: number;
  accountId?: string;
  contactId?: string;
  /** The child rows with the key each is matched by (lower-case email, solution ID). */
  team: ChildRow[];
  solutions: ChildRow[];
  /** The partners the record names already: its invitation rows and its invite-partner column (lower case). */
  invitedPartners: string[];
}

export interface ChildRow {
  id: string;
  /** Absent when the field table maps no key column (then every row is replaced, as before). */
  key?: string;
}

/**
 * The child rows a set write replaces: those the engine read that the merged set drops, and those the merged
 * set holds (written again from it). A row added since the engine's read is neither, and stays.
 */
function rowsToReplace(rows: readonly ChildRow[], merged: ReadonlySet<string>, asRead: ReadonlySet<string> | undefined): ChildRow[] {
  return rows.filter((r) => r.key === undefined || merged.has(r.key) || removedByMerge(r.key, merged, asRead));
}

export interface PlannedWrite {
  entry: BatchEntry;
  /** The opportunity the write is about (known up front: creates use client-generated keys). */
  crmId: string;
  /** The operation whose answer carries the opportunity's new row version, if one does. */
  representation: boolean;
  /**
   * The opportunity PATCH carried the read's ETag, so no one else's change can hide under it: its new
   * `modifiedon` is reported as the engine's own version (an echo, never read back; issue 13). An
   * unconditional write may have landed on someone else's unread change, so it is read back instead.
   */
  conditional?: boolean;
}

const REPRESENTATION = { Prefer: 'return=representation' };

/**
 * The opportunity PATCH's URL: its answer carries `modifiedon` and every column the body sets, as saved, so
 * that a column a plug-in rewrote on save is seen (connectors/save-rewrites.ts). Lookups (`@odata.bind`) are
 * left out: the connector's own plug-ins do not rewrite them and they answer under another name.
 */
function savedRowUrl(crmId: string, body: Readonly<Record<string, unknown>>): string {
  const columns = Object.keys(body).filter((name) => !name.includes('@'));
  return `opportunities(${crmId})?$select=${['modifiedon', ...columns].join(',')}`;
}

const entryOf = (operations: BatchOperation[]): BatchEntry =>
  operations.length === 1 ? { kind: 'operation', operation: operations[0]! } : { kind: 'changeset', operations };

/**
 * The record's status written (`cleared`: every status column emptied, crm-write-types.ts). With the read's
 * ETag (`etag`) it is conditional, as an update is: its new version is the engine's own, and a stale one is
 * refused (412 Precondition Failed) for the engine to send again without it (crm-writes.ts).
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 */
export function planStatus(crmId: string, status: SyncStatus, ctx: PlanContext, cleared?: true, etag?: string): PlannedWrite {
  const body = cleared ? payload.clearedStatusColumns(ctx.fields) : payload.statusColumns(ctx.fields, status);
  return {
    crmId,
    representation: true,
    ...(etag ? { conditional: true } : {}),
    entry: { kind: 'operation', operation: { method: 'PATCH', url: savedRowUrl(crmId, body), headers: { 'If-Match': etag ?? '*', ...REPRESENTATION }, body } },
  };
}

export function planCreate(write: Extract<CrmWrite, { kind: 'create' }>, ctx: PlanContext): PlannedWrite {
  const { referral } = write;
  const operations: BatchOperation[] = [];
  let contentId = 0;
  const add = (op: Omit<BatchOperation, 'contentId'>): string => {
    contentId += 1;
    operations.push({ ...op, contentId: String(contentId) });
    return `$${contentId}`;
  };
  const customer = referral.customer;
  const keys = [...(customer.duns ? [dunsKey(customer.duns)] : []), nameKey(customer)];
  const existingAccount = keys.map((k) => ctx.accounts.get(k)).find(Boolean);
  let accountRef: string | undefined;
  if (existingAccount) accountRef = `/accounts(${existingAccount})`;
  else if (customer.name) {
    const id = ctx.newId();
    accountRef = add({ method: 'POST', url: 'accounts', body: payload.newAccount(ctx.fields, customer, id) });
    for (const k of keys) ctx.accounts.set(k, id);
  }
  let contactRef: string | undefined;
  const contact = referral.customerContact;
  if (contact?.email) {
    const found = contactByEmail(ctx, { ...contact, email: contact.email }, accountRef);
    contactRef = found.create ? add(found.create) : `/contacts(${found.id})`;
  }
  const crmId = ctx.newId();
  const currencyId = referral.currency ? ctx.currencyIds.get(referral.currency.toUpperCase()) : undefined;
  const oppRef = add({
    method: 'POST',
    url: 'opportunities',
    body: payload.newOpportunity(ctx.fields, ctx.stages, ctx.processStages, referral, write.status, crmId, { ...(accountRef ? { accountRef } : {}), ...(contactRef ? { contactRef } : {}), ...(currencyId ? { currencyId } : {}) }),
  });
  for (const member of referral.team) add({ method: 'POST', url: ctx.names.teamSet, body: payload.newTeamMember(ctx.fields, ctx.names, member, oppRef) });
  for (const solution of referral.solutions) add({ method: 'POST', url: ctx.names.solutionSet, body: payload.newSolution(ctx.fields, ctx.names, solution, oppRef) });
  for (const invitation of referral.invitations) add({ method: 'POST', url: ctx.names.invitationSet, body: payload.newInvitation(ctx.fields, ctx.names, invitation, oppRef) });
  // A referral that closed before its first sync (declined, expired, won) arrives closed, never open.
  const close = closeAction(crmId, referral);
  if (close) add(close);
  return { crmId, representation: false, entry: { kind: 'changeset', operations } };
}

/** Whether an update needs the opportunity's current related rows and state (one prefetch per call). */
export function needsCurrent(write: Extract<CrmWrite, { kind: 'update' }>): boolean {
  return ['customer', 'customerContact', 'team', 'solutions', 'invitations', 'status', 'substatus'].some((p) => touches(p, write.changedFields));
}

/** The close action for a referral that became Won, Lost, Declined or Expired (on an open opportunity). */
function closeAction(crmId: string, referral: Referral): BatchOperation | undefined {
  const bind = { 'opportunityid@odata.bind': `/opportunities(${crmId})` };
  const outcome = crmOutcome(referral);
  if (outcome === 'won') {
    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/winopportunity
    return { method: 'POST', url: 'WinOpportunity', body: { Status: 3, OpportunityClose: { subject: 'Won (Partner Center)', ...(referral.value !== undefined ? { actualrevenue: referral.value } : {}), ...bind } } };
  }
  if (outcome === 'lost') {
    const reason = referral.closeReason ? CloseReason.label(referral.closeReason) : referral.substatus === 'Expired' ? 'Microsoft did not get an answer within 14 days' : 'No reason given';
    // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/loseopportunity
    return {
      method: 'POST',
      url: 'LoseOpportunity',
      // Status 5 Out-Sold when the customer chose another vendor, else 4 Canceled (opportunity statuscode).
      body: { Status: referral.closeReason === 'chose-another-vendor' ? 5 : 4, OpportunityClose: { subject: `${referral.substatus} (Partner Center)`, description: [reason, referral.closeNotes].filter(Boolean).join(': '), ...bind } },
    };
  }
  return undefined;
}

/** Opportunity statecode: 0 Open, 1 Won, 2 Lost. */
const CLOSED_STATE = { won: 1, lost: 2 } as const;

/**
 * How the opportunity's state must change for Partner Center's outcome: closed when open, or reopened and
 * closed again when the seller closed it the other way. Partner Center's terminal states never change, so
 * its outcome is final: leaving a Won opportunity for a Lost referral had the CRM say the opposite forever.
 */
export function closeChange(statecode: number, referral: Referral): 'none' | 'close' | 'reopen-and-close' {
  const outcome = crmOutcome(referral);
  if (!outcome) return 'none';
  if (statecode === 0) return 'close';
  return statecode === CLOSED_STATE[outcome] ? 'none' : 'reopen-and-close';
}

/**
 * Reopens a won or lost opportunity: an update of statecode to Open (0) with status reason In Progress (1),
 * as Dynamics 365's "Reopen Opportunity" does; only closing needs the Win/LoseOpportunity actions.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 */
function reopenOperation(crmId: string, etag: string | undefined): BatchOperation {
  return { method: 'PATCH', url: `opportunities(${crmId})`, headers: { 'If-Match': etag ?? '*' }, body: { statecode: 0, statuscode: 1 } };
}

/** Whether the merged contact is the person the deal links (same email as the contact the engine read). */
function sameLinkedPerson(write: Extract<CrmWrite, { kind: 'update' }>, current: CurrentOpportunity): boolean {
  const read = write.asRead?.customerContact;
  return current.contactId !== undefined && (!read || !write.referral.customerContact || emailKey(read.email) === emailKey(write.referral.customerContact.email));
}

/**
 * The customer contact's operations for an update (`oppBody` takes the lookup). The person the deal links,
 * edited: their Contact row is updated. Removed (in Partner Center): the deal lets go of it, a null bind on
 * the opportunity PATCH and its If-Match; the Contact row stays (other records use it). Another person, or
 * one on a deal without a contact: the deal links their Contact (matched by email, or created), never
 * renaming the Contact it linked, which other records use.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
 */
function contactOperations(write: Extract<CrmWrite, { kind: 'update' }>, current: CurrentOpportunity, ctx: PlanContext, oppBody: payload.Body): BatchOperation[] {
  const contact = write.referral.customerContact;
  if (!contact) {
    if (current.contactId) oppBody['parentcontactid@odata.bind'] = null;
    return [];
  }
  if (sameLinkedPerson(write, current)) {
    const body = payload.contactChanges(ctx.fields, write.referral, write.changedFields);
    return Object.keys(body).length ? [{ method: 'PATCH', url: `contacts(${current.contactId})`, headers: { 'If-Match': '*' }, body }] : [];
  }
  if (!contact.email) return [];
  const found = contactByEmail(ctx, { ...contact, email: contact.email }, current.accountId ? `/accounts(${current.accountId})` : undefined);
  if (!found.create) {
    oppBody['parentcontactid@odata.bind'] = `/contacts(${found.id})`;
    return [];
  }
  // A new Contact, then the lookup to it (the opportunity PATCH goes first in the change set).
  return [found.create, { method: 'PATCH', url: `opportunities(${write.crmId})`, headers: { 'If-Match': '*' }, body: { 'parentcontactid@odata.bind': `/contacts(${found.id})` } }];
}

/**
 * The Contact with this email: one the plan knows (read before planning, or created earlier in this plan),
 * or a new one with the create that makes it (remembered, so a second deal of the plan links the same row).
 */
function contactByEmail(ctx: PlanContext, contact: Contact & { email: string }, accountRef: string | undefined): { id: string; create?: BatchOperation } {
  const key = emailKey(contact.email);
  const existing = ctx.contacts.get(key);
  if (existing) return { id: existing };
  const id = ctx.newId();
  ctx.contacts.set(key, id);
  return { id, create: { method: 'POST', url: 'contacts', body: payload.newContact(ctx.fields, contact, id, accountRef) } };
}

/** The contacts an update links anew (another person, or a deal without one): matched by email before planning. */
export function contactsToLink(write: Extract<CrmWrite, { kind: 'update' }>, current: CurrentOpportunity | undefined): Referral['customerContact'] {
  const contact = write.referral.customerContact;
  return current && contact?.email && touches('customerContact', write.changedFields) && !sameLinkedPerson(write, current) ? contact : undefined;
}

export function planUpdate(write: Extract<CrmWrite, { kind: 'update' }>, current: CurrentOpportunity | undefined, ctx: PlanContext): PlannedWrite | undefined {
  const { referral, changedFields: changed, crmId } = write;
  const operations: BatchOperation[] = [];
  const currencyId = referral.currency ? ctx.currencyIds.get(referral.currency.toUpperCase()) : undefined;
  const oppBody = payload.opportunityChanges(ctx.fields, ctx.stages, ctx.processStages, referral, changed, write.status, currencyId);
  const opp = `/opportunities(${crmId})`;
  if (current?.accountId && touches('customer', changed)) {
    const body = payload.accountChanges(ctx.fields, referral, changed);
    if (Object.keys(body).length) operations.push({ method: 'PATCH', url: `accounts(${current.accountId})`, headers: { 'If-Match': '*' }, body });
  }
  if (current && touches('customerContact', changed)) operations.push(...contactOperations(write, current, ctx, oppBody));
  if (current && touches('team', changed)) {
    const seen = readKeys(write.asRead, 'team');
    for (const row of rowsToReplace(current.team, new Set(referral.team.map((m) => memberKey(m.email))), seen)) operations.push({ method: 'DELETE', url: `${ctx.names.teamSet}(${row.id})` });
    for (const member of referral.team) operations.push({ method: 'POST', url: ctx.names.teamSet, body: payload.newTeamMember(ctx.fields, ctx.names, member, opp) });
  }
  if (current && touches('solutions', changed)) {
    const seen = readKeys(write.asRead, 'solutions');
    for (const row of rowsToReplace(current.solutions, new Set(referral.solutions.map((s) => solutionKey(s.id))), seen)) operations.push({ method: 'DELETE', url: `${ctx.names.solutionSet}(${row.id})` });
    for (const solution of referral.solutions) operations.push({ method: 'POST', url: ctx.names.solutionSet, body: payload.newSolution(ctx.fields, ctx.names, solution, opp) });
  }
  if (current && touches('invitations', changed)) {
    // Every invited partner shows on the record: one row for each the record names nowhere (rows are never
    // deleted: a row naming a partner Partner Center lacks is a request not sent yet).
    const named = new Set(current.invitedPartners);
    for (const invitation of referral.invitations) {
      if (named.has(invitation.partner.id.toLowerCase())) continue;
      named.add(invitation.partner.id.toLowerCase());
      operations.push({ method: 'POST', url: ctx.names.invitationSet, body: payload.newInvitation(ctx.fields, ctx.names, invitation, opp) });
    }
  }
  const outcomeChange = current && (touches('substatus', changed) || touches('status', changed)) ? closeChange(current.statecode, referral) : 'none';
  if (outcomeChange !== 'none') {
    const action = closeAction(crmId, referral);
    if (action) operations.push(action);
  }
  // The opportunity PATCH goes first, with If-Match, so a stale read fails the whole change set as a
  // conflict; an update with nothing to write sends nothing (an empty PATCH would move modifiedon).
  // A reopen goes before it, carrying that If-Match instead: a closed opportunity is read-only.
  const reopening = outcomeChange === 'reopen-and-close';
  if (Object.keys(oppBody).length > 0 || (!reopening && operations.length > 0 && write.etag)) {
    operations.unshift({ method: 'PATCH', url: savedRowUrl(crmId, oppBody), headers: { 'If-Match': (reopening ? undefined : write.etag) ?? '*', ...REPRESENTATION }, body: oppBody });
  }
  if (reopening) operations.unshift(reopenOperation(crmId, write.etag));
  if (operations.length === 0) return undefined;
  const representation = operations.length === 1 && operations[0]!.method === 'PATCH';
  return { crmId, representation, ...(representation && write.etag ? { conditional: true } : {}), entry: entryOf(operations) };
}
