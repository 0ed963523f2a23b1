/**
 * Canonical → Dataverse request bodies, through the field table. Pure: IDs, currency IDs and the
 * opportunity's current state are passed in.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 */
import type { Contact, PartnerInvitation, Referral, Solution } from '../../core/model/referral.js';
import { MIDDLE_SALES_STAGES } from '../../core/model/sales-stage.js';
import type { DynamicsFieldRow, DynamicsTable } from '../../mappings/fields.dynamics.js';
import { crmStageFor, normaliseStageName, type DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import { assessmentCrmStageFor } from '../../mappings/assessment-stages.js';
import { OWN_STATUS_PARTS, STATUS_CLEARED_WHEN_ABSENT, type SyncStatus } from '../../core/engine/crm-port.js';
import { getPath, toCrmValue, touches } from './convert.js';
import { fitMessage, shorten } from '../../core/engine/shorten.js';
import type { ConnectorNames } from './schema-names.js';
import { solutionRowName } from '../solution-names.js';

export type Body = Record<string, unknown>;

const writable = (row: DynamicsFieldRow) => row.direction !== 'fromCrm';

/** Where each SyncStatus key lives in the field table. */
const STATUS_PATHS: Record<Exclude<keyof SyncStatus, 'referralStatus' | 'savedAs'>, string> = {
  state: 'sync.state', message: 'sync.message', lastSyncedAt: 'sync.lastSyncedAt', referralId: 'referralId', engagementId: 'engagementId',
  referralLink: 'sync.referralLink', microsoftStatus: 'microsoft.status', dealType: 'dealType', direction: 'direction',
  registrationEligible: 'sync.registrationEligible', heldUntil: 'sync.heldUntil', answerBy: 'sync.answerBy', microsoftAnswerBy: 'sync.microsoftAnswerBy',
  registrationNote: 'sync.registrationNote', registrationDeadline: 'sync.registrationDeadline', registrationStatus: 'sync.registrationStatus',
};

const ownStatusCache = new WeakMap<readonly DynamicsFieldRow[], readonly DynamicsFieldRow[]>();

/**
 * The opportunity columns of the status parts only the connector writes (OWN_STATUS_PARTS): read back so
 * that a seller's edit of them is written over (connectors/shown-status.ts), never into the deal.
 */
export function ownStatusRows(fields: readonly DynamicsFieldRow[]): readonly DynamicsFieldRow[] {
  let rows = ownStatusCache.get(fields);
  if (!rows) {
    const paths = OWN_STATUS_PARTS.map((part) => STATUS_PATHS[part as keyof typeof STATUS_PATHS]);
    rows = fields.filter((f) => f.table === 'opportunity' && writable(f) && paths.includes(f.path));
    ownStatusCache.set(fields, rows);
  }
  return rows;
}

function columnsFor(fields: readonly DynamicsFieldRow[], table: DynamicsTable, source: unknown, only?: (row: DynamicsFieldRow) => boolean, stripPrefix = ''): Body {
  const body: Body = {};
  for (const row of fields) {
    if (row.table !== table || !writable(row) || (only && !only(row))) continue;
    if (row.path.startsWith('sync.') || row.path.startsWith('intent.')) continue;
    const value = getPath(source, row.path.slice(stripPrefix.length));
    if (value === undefined && !only) continue;
    body[row.column] = toCrmValue(row.kind, value, row.choices);
  }
  return body;
}

/** Text longer than its column, cut to fit with an ellipsis (core/engine/shorten.ts); any other value as it is. */
function cutToColumn(row: Pick<DynamicsFieldRow, 'maxLength'>, value: unknown): unknown {
  return typeof value === 'string' && row.maxLength !== undefined ? shorten(value, row.maxLength) : value;
}

export function statusColumns(fields: readonly DynamicsFieldRow[], status: SyncStatus): Body {
  const body: Body = {};
  const entries: [string, unknown][] = (Object.entries(STATUS_PATHS) as [keyof typeof STATUS_PATHS, string][]).map(([key, path]) => [path, status[key] ?? (STATUS_CLEARED_WHEN_ABSENT.has(key) ? null : undefined)]);
  // Partner Center's status is two columns on the record.
  if (status.referralStatus) entries.push(['sync.referralStatus', status.referralStatus.status], ['sync.referralSubstatus', status.referralStatus.substatus]);
  for (const [path, value] of entries) {
    const row = fields.find((f) => f.path === path && f.table === 'opportunity');
    if (!row || !writable(row) || value === undefined) continue;
    // A long refusal message must not get the status write itself refused: it is cut to the column,
    // between words, saying where the whole message is (as on Salesforce).
    const fitted = path === 'sync.message' && typeof value === 'string' && row.maxLength !== undefined ? fitMessage(value, row.maxLength) : cutToColumn(row, value);
    body[row.column] = toCrmValue(row.kind, fitted ?? undefined, row.choices);
  }
  return body;
}

/** Every status column emptied (the referral ID, the deal's own, aside): a record the connector does not sync shows none. */
export function clearedStatusColumns(fields: readonly DynamicsFieldRow[]): Body {
  // The referral ID is the seller's to clear (a copy that keeps it is parked, never bound), and Co-sell Deal
  // Type is also the seller's own answer here (records.ts reads a typed one as the deal type they claim).
  const paths = [...Object.entries(STATUS_PATHS).filter(([key]) => key !== 'referralId' && key !== 'dealType').map(([, path]) => path), 'sync.referralStatus', 'sync.referralSubstatus'];
  const body: Body = {};
  for (const row of fields) {
    if (row.table === 'opportunity' && writable(row) && paths.includes(row.path)) body[row.column] = row.kind === 'boolean' ? false : null;
  }
  return body;
}

function intentColumns(fields: readonly DynamicsFieldRow[], referral: Referral, optedIn: boolean | undefined): Body {
  const body: Body = {};
  const set = (path: string, value: unknown) => {
    const row = fields.find((f) => f.path === path);
    if (row && writable(row)) body[row.column] = toCrmValue(row.kind, value, row.choices);
  };
  if (optedIn !== undefined) set('intent.optedIn', optedIn);
  set('sync.referralStatus', referral.status);
  set('sync.referralSubstatus', referral.substatus);
  return body;
}

/** A business process flow stage (processstage row), keyed in {@link ProcessStages} by its normalised name. */
export interface ProcessStage {
  id: string;
  processId?: string;
}
export type ProcessStages = ReadonlyMap<string, ProcessStage>;

/** The stage table row a write of the referral's stage writes (the process stage of that name is its `stageid`). */
export function stageRowOf(referral: Referral, stages: readonly DynamicsStageRow[]): DynamicsStageRow | undefined {
  if (!referral.salesStage || !MIDDLE_SALES_STAGES.includes(referral.salesStage)) return undefined;
  // An assessment deal stays in the assessment business process flow, when the table has its stage.
  const assessment = assessmentCrmStageFor(referral, referral.salesStage);
  return (assessment ? stages.find((s) => normaliseStageName(s.crmStage) === normaliseStageName(assessment)) : undefined) ?? crmStageFor(referral.salesStage, stages);
}

/**
 * The stage columns for Partner Center's stage. The flow's active stage (`stageid`, with its `processid`) is
 * what Dataverse shows and what records.ts reads first, so it is written with `stepname` and `salesstage`:
 * writing only those left the flow, and the read-back, on the old stage while the record said "synced".
 */
function stageColumns(referral: Referral, stages: readonly DynamicsStageRow[], processStages: ProcessStages): Body {
  const row = stageRowOf(referral, stages);
  if (!row) return {};
  const active = processStages.get(normaliseStageName(row.crmStage));
  return {
    stepname: row.crmStage,
    ...(row.salesStageValue !== undefined ? { salesstage: row.salesStageValue } : {}),
    ...(row.probability !== undefined ? { closeprobability: row.probability } : {}),
    ...(active ? { stageid: active.id, ...(active.processId ? { processid: active.processId } : {}) } : {}),
  };
}

export interface OpportunityRefs {
  accountRef?: string;
  contactRef?: string;
  currencyId?: string;
}

function refColumns(refs: OpportunityRefs): Body {
  return {
    ...(refs.accountRef ? { 'parentaccountid@odata.bind': refs.accountRef, 'customerid_account@odata.bind': refs.accountRef } : {}),
    ...(refs.contactRef ? { 'parentcontactid@odata.bind': refs.contactRef } : {}),
    ...(refs.currencyId ? { 'transactioncurrencyid@odata.bind': `/transactioncurrencies(${refs.currencyId})` } : {}),
  };
}

/** The body of a new opportunity for an inbound referral (opted in: it came from Partner Center). */
export function newOpportunity(fields: readonly DynamicsFieldRow[], stages: readonly DynamicsStageRow[], processStages: ProcessStages, referral: Referral, status: SyncStatus, id: string, refs: OpportunityRefs): Body {
  return {
    opportunityid: id,
    ...columnsFor(fields, 'opportunity', referral),
    ...intentColumns(fields, referral, true),
    ...stageColumns(referral, stages, processStages),
    ...statusColumns(fields, status),
    ...refColumns(refs),
  };
}

/** Only the columns behind `changedFields` (plus the status, when given). */
export function opportunityChanges(fields: readonly DynamicsFieldRow[], stages: readonly DynamicsStageRow[], processStages: ProcessStages, referral: Referral, changed: readonly string[], status: SyncStatus | undefined, currencyId?: string): Body {
  const body: Body = columnsFor(fields, 'opportunity', referral, (row) => touches(row.path, changed));
  if (touches('salesStage', changed)) Object.assign(body, stageColumns(referral, stages, processStages));
  if (touches('status', changed) || touches('substatus', changed)) {
    Object.assign(body, Object.fromEntries(Object.entries(intentColumns(fields, referral, undefined)).filter(([k]) => /referral(sub)?status$/.test(k))));
  }
  if (currencyId && touches('currency', changed)) body['transactioncurrencyid@odata.bind'] = `/transactioncurrencies(${currencyId})`;
  if (status) Object.assign(body, statusColumns(fields, status));
  return body;
}

export function newAccount(fields: readonly DynamicsFieldRow[], customer: Referral['customer'], id: string): Body {
  return { accountid: id, ...columnsFor(fields, 'account', { customer }) };
}

export function accountChanges(fields: readonly DynamicsFieldRow[], referral: Referral, changed: readonly string[]): Body {
  return columnsFor(fields, 'account', referral, (row) => touches(row.path, changed));
}

export function newContact(fields: readonly DynamicsFieldRow[], contact: Contact, id: string, accountRef: string | undefined): Body {
  return { contactid: id, ...columnsFor(fields, 'contact', { customerContact: contact }), ...(accountRef ? { 'parentcustomerid_account@odata.bind': accountRef } : {}) };
}

export function contactChanges(fields: readonly DynamicsFieldRow[], referral: Referral, changed: readonly string[]): Body {
  return columnsFor(fields, 'contact', referral, (row) => touches(row.path, changed));
}

export function newTeamMember(fields: readonly DynamicsFieldRow[], names: ConnectorNames, member: Contact, opportunityRef: string): Body {
  return {
    [names.nameColumn]: `${member.firstName} ${member.lastName}`.trim() || member.email,
    ...Object.fromEntries(fields.filter((f) => f.table === 'teammember' && writable(f)).map((f) => [f.column, toCrmValue(f.kind, getPath(member, f.path.replace('team[].', '')), f.choices)])),
    [`${names.lookupNav}@odata.bind`]: opportunityRef,
  };
}

export function newSolution(fields: readonly DynamicsFieldRow[], names: ConnectorNames, solution: Solution, opportunityRef: string): Body {
  return {
    [names.nameColumn]: solutionRowName(solution),
    ...Object.fromEntries(fields.filter((f) => f.table === 'solution' && writable(f)).map((f) => [f.column, toCrmValue(f.kind, getPath(solution, f.path.replace('solutions[].', '')), f.choices)])),
    [`${names.lookupNav}@odata.bind`]: opportunityRef,
  };
}

/** An invitation's columns (`invitations[].…`) from what Partner Center reported, as a seller's row holds them. */
const INVITATION_VALUES = (i: PartnerInvitation): Record<string, unknown> => ({
  partnerId: i.partner.id, closeDate: i.closeDate || undefined, value: i.value, currency: i.currency || undefined, notes: i.notes, helpNeeded: i.helpWanted,
});

/**
 * A partner invitation row for a partner Partner Center has invited and the record names nowhere (invited in
 * Partner Center, or a row the seller deleted: an invitation cannot be withdrawn), so that every invited
 * partner shows on the opportunity's subgrid. Team and solutions stay empty ("as on the deal"): a row naming a
 * team member or solution the deal later drops would park the deal (connectors/invitation-requests.ts).
 */
export function newInvitation(fields: readonly DynamicsFieldRow[], names: ConnectorNames, invitation: PartnerInvitation, opportunityRef: string): Body {
  const values = INVITATION_VALUES(invitation);
  const columns = fields.filter((f) => f.table === 'invitation' && !/teamEmails|solutionIds/.test(f.path));
  return {
    [names.nameColumn]: invitation.partner.name || invitation.partner.id,
    ...Object.fromEntries(columns.flatMap((f) => {
      const value = values[f.path.replace('invitations[].', '')];
      if (value === undefined) return [];
      // Partner Center's text is cut to the column, so that the row is not refused for its length.
      return [[f.column, toCrmValue(f.kind, cutToColumn(f, value), f.choices)]];
    })),
    [`${names.lookupNav}@odata.bind`]: opportunityRef,
  };
}
