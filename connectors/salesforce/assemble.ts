/**
 * Pure mapping from Salesforce records (an Opportunity with its Account fields, its primary contact
 * role, its team members and its solutions) to the canonical deal. No I/O: the reader fetches, this
 * decides. Anything that cannot be mapped becomes a MappingProblem naming the field and the fix.
 */
import { LONG_TEXT_APART, opportunityVersion } from './long-text-apart.js';
import { deriveDealType } from '../../core/model/deal-type.js';
import { SolutionKind, type Direction } from '../../core/model/enums.js';
import { isCountryCode, isCurrencyCode } from '../../core/model/iso-codes.js';
import { emptyReferral, type Contact, type Referral, type Solution } from '../../core/model/referral.js';
import { fieldWasRead, OWN_STATUS_FIELDS, readField, setPath, sfDatetimeToIso, type SalesforceFieldRow } from '../../mappings/fields.salesforce.js';
import { mapDealStage, type StageDecision } from '../../mappings/stages.salesforce.js';
import type { CrmDeal, MappingProblem } from '../../core/engine/crm-port.js';
import { invitationRequestOf, requestedInvitations, withShortcut, type InvitationRequest } from '../invitation-requests.js';
import { solutionNameOfRow } from '../solution-names.js';
import { heldColumns } from '../shown-status.js';
import { F, INVITATION_FIELDS, SOLUTION_FIELDS, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';

export type SfRecord = Record<string, unknown> & { Id: string };

export interface Related {
  contactRole?: SfRecord;
  team: SfRecord[];
  solutions: SfRecord[];
  /** The seller's partner invitations (Cosell_Partner_Invitation__c rows). */
  invitations?: SfRecord[];
}

export interface OptInRules {
  minProbability?: number;
  requireSolution: boolean;
}

export interface AssembleContext {
  rows: readonly SalesforceFieldRow[];
  stageMap: ReadonlyMap<string, StageDecision>;
  optInRules: OptInRules;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A contact or user as the canonical person (a contact role's Contact, a team member's User). */
export function person(rec: unknown): Contact | undefined {
  if (!rec || typeof rec !== 'object') return undefined;
  const r = rec as Record<string, unknown>;
  return { firstName: str(r.FirstName), lastName: str(r.LastName), phone: str(r.Phone), email: str(r.Email) };
}

function solutionOf(rec: SfRecord): Solution {
  const kindLabel = str(rec[SOLUTION_FIELDS.kind]);
  const kind = SolutionKind.values.find((v) => v.label === kindLabel || v.name === kindLabel)?.name ?? 'own';
  const price = rec[SOLUTION_FIELDS.price];
  const quantity = rec[SOLUTION_FIELDS.quantity];
  const currency = str(rec[SOLUTION_FIELDS.currency]);
  const id = str(rec[SOLUTION_FIELDS.solutionId]);
  const name = solutionNameOfRow(rec.Name, id);
  return {
    id,
    kind,
    ...(name ? { name } : {}),
    ...(typeof price === 'number' ? { price } : {}),
    ...(typeof quantity === 'number' ? { quantity } : {}),
    ...(currency ? { currency } : {}),
    ...(rec[SOLUTION_FIELDS.incentiveEligible] === true ? { incentiveEligible: true } : {}),
    ...(str(rec[SOLUTION_FIELDS.assessmentLocation]) ? { assessmentLocation: str(rec[SOLUTION_FIELDS.assessmentLocation]) } : {}),
  };
}

/**
 * The deal team: the opportunity team's users, then the members Salesforce cannot hold as users (kept
 * by the connector as JSON), so that a Partner Center member who is not a user is never read as removed.
 */
function teamOf(opp: SfRecord, members: readonly SfRecord[]): Contact[] {
  const users = members.map((t) => person(t.User)).filter((c): c is Contact => c !== undefined);
  const known = new Set(users.map((u) => u.email.toLowerCase()));
  const outside = parseOutsideTeam(opp[F.outsideTeam]).filter((c) => !known.has(c.email.toLowerCase()));
  return [...users, ...outside];
}

export function parseOutsideTeam(value: unknown): Contact[] {
  if (typeof value !== 'string' || !value.trim()) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(person).filter((c): c is Contact => c !== undefined && c.email !== '') : [];
  } catch {
    return [];
  }
}

/** The JSON kept in the outside-team field (Salesforce-style keys, as the reader expects). */
export function outsideTeamValue(members: readonly Contact[]): string | null {
  return members.length ? JSON.stringify(members.map((m) => ({ FirstName: m.firstName, LastName: m.lastName, Email: m.email, Phone: m.phone }))) : null;
}

/**
 * Status and substatus as our side sees them: the stage decides Won and Lost; otherwise the status the
 * connector last recorded from Partner Center (New/Received for an unanswered inbound referral,
 * Closed/Declined or Closed/Expired on a closed-lost stage), else Active/Accepted.
 */
function statusOf(opp: SfRecord, stageKind: 'open' | 'won' | 'lost' | undefined): Pick<Referral, 'status' | 'substatus'> {
  const [status, substatus] = str(opp[F.referralStatus]).split('/');
  if (stageKind === 'won') return { status: 'Closed', substatus: 'Won' };
  if (stageKind === 'lost') return { status: 'Closed', substatus: status === 'Closed' && (substatus === 'Declined' || substatus === 'Expired') ? substatus : 'Lost' };
  if (status === 'New' && (substatus === 'Received' || substatus === 'Pending')) return { status, substatus };
  return { status: 'Active', substatus: 'Accepted' };
}

/**
 * The seller's invitation requests: one per Cosell_Partner_Invitation__c row, plus the partner entered
 * in the "Invite partner" shortcut field (every detail pre-filled from the deal).
 */
function invitationRequests(rows: readonly SfRecord[], invitePartner: string): InvitationRequest[] {
  const fields = Object.entries(INVITATION_FIELDS) as [keyof InvitationRequest, string][];
  return withShortcut(rows.map((r) => invitationRequestOf(Object.fromEntries(fields.map(([key, field]) => [key, r[field]])))), invitePartner);
}

function optInProblems(opp: SfRecord, referral: Referral, rules: OptInRules): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const probability = opp.Probability;
  if (rules.minProbability !== undefined && !(typeof probability === 'number' && probability >= rules.minProbability)) {
    problems.push({ code: 'optin.probability', field: 'salesStage', message: `The opportunity's probability (${typeof probability === 'number' ? `${probability}%` : 'none'}) is below the ${rules.minProbability}% this organisation requires before a deal is shared with Microsoft.` });
  }
  if (rules.requireSolution && referral.solutions.length === 0) {
    problems.push({ code: 'optin.solution', field: 'solutions', message: 'Add at least one Co-sell Solution to the opportunity before it is shared with Microsoft.' });
  }
  return problems;
}

/**
 * Fields only the connector writes, from a referral: on a record without a referral ID they were copied
 * with it (Salesforce's Clone copies every field but the unique referral ID, which the seller must empty)
 * and say nothing about the new deal. Read as the copy's own, an accepted inbound deal's copy read as an
 * inbound deal without a referral and was parked for a deal type the seller never chose, with Microsoft's
 * seller from the original's outside team on it.
 */
const COPIED_WRITE_BACKS = [F.direction, F.referralStatus, F.engagementId, F.outsideTeam, F.invitations, F.microsoftStatus, F.microsoftCrmId, F.microsoftRequestedAt] as const;

/** A record that already holds a referral ID: its write-backs are its own, never a clone's copies. */
const holdsReferralId = (opp: SfRecord): boolean => str(opp[F.referralId]).trim() !== '';

/** The record as the connector reads it: a record no referral has reached yet holds none of its write-backs. */
export function ownFields(opp: SfRecord): SfRecord {
  if (holdsReferralId(opp)) return opp;
  const own: SfRecord = { ...opp };
  // The kept fields a listing did not read (long-text-apart.ts `readsApartFields`) read as emptied too, as when read.
  for (const field of COPIED_WRITE_BACKS) if (field in own || LONG_TEXT_APART.includes(field)) own[field] = null;
  return own;
}

/** The copied write-backs a version holds (the kept long text fields are left out of versions: long-text-apart.ts). */
const VERSIONED_WRITE_BACKS = COPIED_WRITE_BACKS.filter((field) => !LONG_TEXT_APART.includes(field));

/**
 * The row a deal's version is taken of: the record as read when `ownFields` changed nothing a version holds
 * (a linked record; or each copied write-back it holds was already null, the kept long text fields it sets
 * being left out), so that the version the listing took of that very row is used again rather than a copy
 * hashed (two of a page's 2,000 opportunity hashes were the same text: bench/sf-read-assemble.ts); else the
 * copy (`own`, when the caller made it already).
 */
function versionedRow(record: SfRecord, own?: SfRecord): SfRecord {
  if (holdsReferralId(record)) return record;
  for (const field of VERSIONED_WRITE_BACKS) if (field in record && record[field] !== null) return own ?? ownFields(record);
  return record;
}

/**
 * An opportunity row's version as the deal read from it carries it (`CrmDeal.etag`): the one function of the
 * row that the deal, the listing's test of a version the engine knows (read.ts) and the writer's check just
 * before a save and version after it (write.ts) all use. A clone holding copied write-backs is versioned as
 * its own copy (`ownFields`); its row hashed as read never equalled its deal's version, so a save to it was
 * taken for someone else's change and the record read again (test/e2e/cloned-record-calls.test.ts).
 * `versionOf`: an opportunity version (long-text-apart.ts), as every caller's is, or a memo of it.
 */
export function dealVersion(record: SfRecord, versionOf: (row: SfRecord) => string = opportunityVersion): string {
  return versionOf(versionedRow(record));
}

/**
 * The copied write-backs a record without a referral ID holds: when its first referral is linked, they are
 * emptied (write.ts), or the copy's outside team and invitations would read as the seller's additions.
 */
export function copiedWriteBacks(opp: SfRecord, unreadAsCopied: readonly string[] = LONG_TEXT_APART): string[] {
  if (holdsReferralId(opp)) return [];
  return COPIED_WRITE_BACKS.filter((field) => (field in opp ? opp[field] !== null && opp[field] !== undefined && opp[field] !== '' : unreadAsCopied.includes(field)));
}

export function assembleDeal(record: SfRecord, related: Related, ctx: AssembleContext, versionOf: (row: SfRecord) => string = opportunityVersion): CrmDeal {
  const opp = ownFields(record);
  const problems: MappingProblem[] = [];
  const values: Record<string, unknown> = {};
  const cleared: string[] = [];
  for (const row of ctx.rows) {
    const raw = readField(opp, row.field);
    const value = row.toCanonical ? row.toCanonical(raw) : (raw ?? undefined);
    // Only a field the query returned (null when empty): one not read says nothing about what the seller did.
    if (row.clearable && value === undefined && fieldWasRead(opp, row.field)) cleared.push(row.canonical);
    if (typeof value === 'string' && value.startsWith('unknown:')) {
      problems.push({ code: 'value.unknown', field: row.canonical, message: `${row.field} holds "${value.slice(8)}", which the connector does not recognise.` });
      continue;
    }
    setPath(values, row.canonical, value);
  }
  // Microsoft's side exists only once it has a status.
  if (values.microsoft && !(values.microsoft as { status?: unknown }).status) delete values.microsoft;
  const direction: Direction = opp[F.direction] === 'Inbound' ? 'inbound' : 'outbound';
  const stage = mapDealStage(str(opp.StageName) || undefined, ctx.stageMap, direction);
  if (stage.problem) problems.push(stage.problem);
  const optedIn = opp[F.optIn] === true || direction === 'inbound';
  const invitePartner = str(opp[F.invitePartnerId]);
  const referral: Referral = emptyReferral({
    ...(values as Partial<Referral>),
    crmId: opp.Id,
    customer: { name: '', ...((values.customer as object | undefined) ?? {}) },
    direction,
    ...statusOf(opp, stage.meaning?.kind),
    ...(stage.salesStage ? { salesStage: stage.salesStage } : {}),
    team: teamOf(opp, related.team),
    solutions: related.solutions.filter((s) => s[SOLUTION_PARENT_FIELD] === opp.Id || s[SOLUTION_PARENT_FIELD] === undefined).map(solutionOf),
    shareWithMicrosoftSellers: values.shareWithMicrosoftSellers === true,
    // Consent is the mapped field's value only, never inferred from the sync box or the direction.
    consentToShareContacts: values.consentToShareContacts === true,
    invitations: [],
    ...(direction === 'inbound' ? { initiator: { id: 'msft' } } : {}),
  });
  // The invitations Partner Center reported (kept as JSON by the connector), then the seller's requests.
  const known = Array.isArray(values.invitations) ? (values.invitations as Referral['invitations']) : [];
  const invited = requestedInvitations(known, invitationRequests(related.invitations ?? [], invitePartner), referral);
  referral.invitations = invited.invitations;
  referral.crmInvitationRequests = invited.requested;
  problems.push(...invited.problems);
  const contact = person(related.contactRole?.Contact);
  if (contact) referral.customerContact = contact;
  // The primary contact roles are read with every deal (read.ts): none means the seller removed it.
  else cleared.push('customerContact');
  referral.dealType = deriveDealType(referral);

  const country = referral.customer.country;
  if (country !== undefined && !isCountryCode(country)) {
    problems.push({ code: 'country.not_iso', field: 'customer.country', message: `The account's billing country "${country}" is not a two-letter ISO country code (e.g. US, DE). Fix it on the account.` });
  }
  if (referral.currency !== undefined && !isCurrencyCode(referral.currency)) {
    problems.push({ code: 'currency.not_iso', field: 'currency', message: `Currency "${referral.currency}" is not an ISO 4217 code.` });
  }
  if (optedIn && direction === 'outbound') problems.push(...optInProblems(opp, referral, ctx.optInRules));

  // The seller's answer matters while Partner Center's referral waits for one (New / Received), as last
  // recorded on the record: also when the seller closed the record as lost meanwhile, the CRM's own way to
  // drop it (core/engine/seller-intent.ts reads Decline on it as the decline); and once accepted (Active), where
  // a Decline is refused on the record with what to do instead, rather than ignored under "synced".
  const waiting = direction === 'inbound' && ['New', 'Active'].includes(str(opp[F.referralStatus]).split('/')[0]!);
  const response = !waiting ? undefined : opp[F.response] === 'Accept' ? 'accept' : opp[F.response] === 'Decline' ? 'decline' : undefined;
  const ownerEmail = str(readField(opp, 'Owner.Email'));
  return {
    crmId: opp.Id,
    modifiedAt: sfDatetimeToIso(opp.SystemModstamp) ?? '',
    // The version read: the writer checks it just before it writes (write.ts), as an ETag would be.
    etag: versionOf(versionedRow(record, opp)),
    intent: { optedIn, ...(response ? { response } : {}) },
    referral,
    problems,
    ...(cleared.length > 0 ? { cleared } : {}),
    // Cosell_Invitations__c holds Partner Center's report of each invitation (its JSON), not only the requests.
    keepsInvitationReports: true,
    ...(str(opp.OwnerId) ? { owner: { id: str(opp.OwnerId), ...(ownerEmail ? { email: ownerEmail } : {}) } } : {}),
    shownStatus: heldColumns(opp, OWN_STATUS_FIELDS),
  };
}

/** Groups related rows by opportunity ID. */
export function groupBy(records: readonly SfRecord[], field: string): Map<string, SfRecord[]> {
  const map = new Map<string, SfRecord[]>();
  for (const r of records) {
    const key = str(r[field]);
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  }
  return map;
}
