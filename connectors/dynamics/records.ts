/**
 * Maps one Dataverse opportunity (with its expanded account, contact, currency, team members and
 * solutions) to the engine's {@link CrmDeal}, through the field table and the stage table. Pure: the
 * caller supplies the stage names it looked up. What cannot be mapped becomes a MappingProblem.
 */
import { nameFromText } from '../../core/model/coded-enum.js';
import { dealTypeFromText, deriveDealType } from '../../core/model/deal-type.js';
import { DealType, Direction, MicrosoftStatus, ReferralStatus, ReferralSubstatus, SolutionKind } from '../../core/model/enums.js';
import { isCountryCode } from '../../core/model/iso-codes.js';
import { invitationRequestOf, requestedInvitations, withShortcut, type InvitationRequest } from '../invitation-requests.js';
import { solutionNameOfRow } from '../solution-names.js';
import { emptyReferral, type Contact, type Referral, type Solution } from '../../core/model/referral.js';
import { salesStageFromPercent, type SalesStage } from '../../core/model/sales-stage.js';
import type { DynamicsFieldRow, DynamicsTable } from '../../mappings/fields.dynamics.js';
import { mapDynamicsStage, SALESSTAGE_CHOICE_LABELS, type DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import type { CrmDeal, MappingProblem, SellerIntent } from '../../core/engine/crm-port.js';
import { fromCrmValue, setPath } from './convert.js';
import type { ConnectorNames } from './schema-names.js';
import { heldColumns } from '../shown-status.js';
import { ownStatusRows } from './payloads.js';

/** The owner's business unit (`_owningbusinessunit_value`, its name where Dataverse annotates it): picks the unit's default location. */
function businessUnitOf(raw: Record<string, unknown>): { businessUnit?: { id: string; name?: string } } {
  const id = raw._owningbusinessunit_value;
  if (typeof id !== 'string') return {};
  const name = raw['_owningbusinessunit_value@OData.Community.Display.V1.FormattedValue'];
  return { businessUnit: { id, ...(typeof name === 'string' ? { name } : {}) } };
}

export type RawRow = Record<string, unknown>;

/** A change-tracking row for a deleted record (`$deletedEntity`: its `id` only). */
export const isDeleted = (row: RawRow): boolean => typeof row['@odata.context'] === 'string' && (row['@odata.context'] as string).endsWith('$deletedEntity');

export interface ReadContext {
  fields: readonly DynamicsFieldRow[];
  stages: readonly DynamicsStageRow[];
  names: ConnectorNames;
  /** processstage id → stage name, for the opportunity's active stage (`stageid`). */
  stageNames: ReadonlyMap<string, string>;
  /** The context with the stages listed again (once per run) when `stageIds` names one not in `stageNames`. */
  covering?(stageIds: readonly string[]): Promise<ReadContext>;
}

/** A context knowing the active stage of each row: a stage an admin added since the list was read is listed (stage-cache.ts). */
export async function contextFor(rows: readonly RawRow[], ctx: ReadContext): Promise<ReadContext> {
  const ids = [...new Set(rows.map((r) => r.stageid).filter((id): id is string => typeof id === 'string'))];
  return ctx.covering && ids.some((id) => !ctx.stageNames.has(id)) ? ctx.covering(ids) : ctx;
}

interface Collected {
  values: Record<string, unknown>;
  problems: MappingProblem[];
  /** Clearable columns the row carries empty (`CrmDeal.cleared`). */
  cleared: string[];
}

function collect(fields: readonly DynamicsFieldRow[], table: DynamicsTable, raw: RawRow | null | undefined, record: string, stripPrefix = ''): Collected {
  const out: Collected = { values: {}, problems: [], cleared: [] };
  if (!raw) return out;
  for (const row of fields) {
    if (row.table !== table || row.direction === 'toCrm') continue;
    const converted = fromCrmValue(row, raw[row.column]);
    if (!converted.ok) {
      out.problems.push({ code: 'value.unmapped', field: row.path, message: `Opportunity ${record}: ${converted.message}. Pick a listed value.` });
      continue;
    }
    if (converted.value !== undefined) setPath(out.values, row.path.slice(stripPrefix.length), converted.value);
    // Only a column the row carries: one not read says nothing about what the seller did.
    else if (row.clearable && row.column in raw) out.cleared.push(row.path);
  }
  return out;
}

function stageOf(raw: RawRow, ctx: ReadContext, record: string, direction: 'inbound' | 'outbound'): { stage?: SalesStage; problem?: MappingProblem } {
  if (raw.statecode === 1) return { stage: 'Won' };
  if (raw.statecode === 2) return {};
  const fromProcess = typeof raw.stageid === 'string' ? ctx.stageNames.get(raw.stageid) : undefined;
  const choice = typeof raw.salesstage === 'number' ? SALESSTAGE_CHOICE_LABELS[raw.salesstage] : undefined;
  const name = fromProcess ?? (typeof raw.stepname === 'string' && raw.stepname.trim() ? raw.stepname : undefined) ?? choice;
  if (name) {
    const found = mapDynamicsStage(name, ctx.stages);
    if (found.mapped) return { stage: found.salesStage };
    return {
      problem: {
        code: 'stage.unmapped',
        field: 'salesStage',
        message: `Opportunity ${record} is in the sales stage "${name}", which has no Partner Center sales stage. Add it to the Dynamics stage mapping (stageOverrides) or move the opportunity to a mapped stage.`,
      },
    };
  }
  if (typeof raw.closeprobability === 'number' && [20, 40, 60, 80].includes(raw.closeprobability)) return { stage: salesStageFromPercent(raw.closeprobability, direction) };
  return {};
}

/** The seller's partner invitations (one child row each), then the "invite partner" shortcut column. */
function invitationRequests(rows: unknown, ctx: ReadContext, record: string, invitePartner: unknown): InvitationRequest[] {
  const requests = (Array.isArray(rows) ? (rows as RawRow[]) : []).map((r) => invitationRequestOf(collect(ctx.fields, 'invitation', r, record, 'invitations[].').values));
  return withShortcut(requests, invitePartner);
}

function teamOf(rows: unknown, ctx: ReadContext, record: string): { team: Contact[]; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const team = (Array.isArray(rows) ? (rows as RawRow[]) : []).map((r) => {
    const c = collect(ctx.fields, 'teammember', r, record, 'team[].');
    problems.push(...c.problems);
    const v = c.values as Partial<Contact>;
    return { firstName: v.firstName ?? '', lastName: v.lastName ?? '', email: v.email ?? '', phone: v.phone ?? '' };
  });
  return { team, problems };
}

/** The kinds as a seller may type them (each fits the 20-character column), and what each one is. */
const KIND_CHOICES = SolutionKind.values.map((k) => `"${k.code}" (${k.label})`).join(', ');

const solutionKindRefusal = (record: string, solution: string, typed: string): string =>
  `Opportunity ${record}, Co-sell Solution ${solution}: Solution Kind "${typed}" is not a solution kind. Type one of ${KIND_CHOICES}, or leave it empty for your company's own solution.`;

function solutionsOf(rows: unknown, ctx: ReadContext, record: string): { solutions: Solution[]; problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const solutions: Solution[] = [];
  (Array.isArray(rows) ? (rows as RawRow[]) : []).forEach((r, i) => {
    const c = collect(ctx.fields, 'solution', r, record, 'solutions[].');
    problems.push(...c.problems);
    const v = c.values as Partial<Solution> & { kind?: string };
    const id = v.id ?? '';
    // Free text a seller types as the form or Partner Center shows it ("Microsoft", "Third party"), in any
    // case: read in every spelling of the kind. Until 2026-12-06 only the connector's own (`microsoft`) was.
    const kind = v.kind === undefined ? 'own' : nameFromText(SolutionKind, v.kind);
    if (!kind) {
      problems.push({ code: 'solution.kind_unknown', field: `solutions[${i}].kind`, message: solutionKindRefusal(record, id || `row ${i + 1}`, v.kind ?? '') });
      return;
    }
    const name = solutionNameOfRow(r[ctx.names.nameColumn], id);
    solutions.push({ ...v, id, kind, ...(name ? { name } : {}) });
  });
  return { solutions, problems };
}

function statusOf(raw: RawRow, stored: Record<string, unknown>, direction: 'inbound' | 'outbound'): Pick<Referral, 'status' | 'substatus'> {
  const status = stored.referralStatus;
  const substatus = stored.referralSubstatus;
  if (raw.statecode === 1) return { status: 'Closed', substatus: 'Won' };
  // A referral Partner Center declined or let expire is closed as lost in the CRM; it stays what it was.
  if (raw.statecode === 2) return { status: 'Closed', substatus: substatus === 'Declined' || substatus === 'Expired' ? substatus : 'Lost' };
  // An open opportunity whose last written status is Closed was reopened by the seller ("Reopen Opportunity"):
  // it reads as open, as an open stage does in Salesforce, so that the record says the reopen is not sent.
  if (status === 'Closed') return { status: 'Active', substatus: 'Accepted' };
  if (ReferralStatus.isName(status) && ReferralSubstatus.isName(substatus)) return { status, substatus };
  return direction === 'inbound' ? { status: 'New', substatus: 'Received' } : { status: 'Active', substatus: 'Accepted' };
}

/**
 * "Co-sell Deal Type" is free text a seller may type: read in any spelling Partner Center and the connector
 * use ("co-sell", "Co-sell deal"), so that a typed claim is checked against the deal's answers rather than
 * dropped for its spelling (a typed "Co-sell deal" made a Private deal, synced); anything else is refused.
 */
function typedDealType(typed: unknown, record: string, problems: MappingProblem[]): DealType | undefined {
  if (typeof typed !== 'string' || typed.trim() === '') return undefined;
  const dealType = dealTypeFromText(typed);
  if (!dealType) {
    const choices = DealType.values.map((t) => t.label).join(', ');
    problems.push({ code: 'deal_type.unknown', field: 'dealType', message: `Opportunity ${record}: Co-sell Deal Type "${typed}" is not a deal type; empty it (the answers decide) or type one of: ${choices}.` });
  }
  return dealType;
}

export function toDeal(raw: RawRow, ctx: ReadContext): CrmDeal {
  const crmId = String(raw.opportunityid);
  const record = crmId;
  const opp = collect(ctx.fields, 'opportunity', raw, record);
  const account = collect(ctx.fields, 'account', raw.parentaccountid as RawRow | null, record);
  const contact = collect(ctx.fields, 'contact', raw.parentcontactid as RawRow | null, record);
  const problems = [...opp.problems, ...account.problems, ...contact.problems];
  const v = opp.values as Record<string, unknown> & { sync?: Record<string, unknown>; intent?: Record<string, unknown> };
  const sync = v.sync ?? {};
  const intentValues = v.intent ?? {};
  const direction = Direction.isName(v.direction) ? v.direction : 'outbound';
  const customer = { name: '', ...(account.values.customer as Record<string, unknown> | undefined) } as Referral['customer'];
  if (customer.country && !isCountryCode(customer.country.toUpperCase())) {
    problems.push({ code: 'country.not_iso', field: 'customer.country', message: `Account of opportunity ${record}: country "${customer.country}" is not a two-letter ISO 3166 code (e.g. US). Correct Country/Region on the account.` });
    delete customer.country;
  } else if (customer.country) customer.country = customer.country.toUpperCase();
  const contactValues = contact.values.customerContact as Partial<Contact> | undefined;
  // The contact lookup is expanded with every deal (queries.ts): carried empty, the seller removed it.
  // A won opportunity's value is the Actual Revenue the seller entered in the Close Opportunity dialog (the
  // estimate stays as it was): Partner Center takes the final value with Won, and none after it. An empty or
  // zero Actual Revenue (a dialog left at 0) says nothing about the value, so the estimate stands.
  const wonValue = raw.statecode === 1 && typeof raw.actualvalue === 'number' && raw.actualvalue > 0 ? raw.actualvalue : undefined;
  // The Close Opportunity dialog records a loss to a competitor as status reason Out-Sold (5), the status the
  // connector closes "customer chose another vendor" with (write-plan.ts): without a reason picked, it is that one.
  const outSold = raw.statecode === 2 && raw.statuscode === 5 && v.closeReason === undefined ? { closeReason: 'chose-another-vendor' as const } : {};
  const oppCleared = [...(wonValue === undefined ? opp.cleared : opp.cleared.filter((path) => path !== 'value')), ...account.cleared];
  const cleared = !contactValues && 'parentcontactid' in raw ? [...oppCleared, 'customerContact'] : oppCleared;
  const team = teamOf(raw[ctx.names.teamCollection], ctx, record);
  const solutions = solutionsOf(raw[ctx.names.solutionCollection], ctx, record);
  problems.push(...team.problems, ...solutions.problems);
  const stage = stageOf(raw, ctx, record, direction);
  if (stage.problem) problems.push(stage.problem);
  const currency = (raw.transactioncurrencyid as RawRow | null | undefined)?.isocurrencycode;
  const invitePartner = intentValues.invitePartnerId;

  // The sync and intent columns are not the referral's, and Microsoft's side is set below only once it has a
  // status: left out here rather than deleted after, since a `delete` turns the object into a slow
  // dictionary-mode one, about seven times the memory of a plain one (5,000 per Dataverse page).
  const { sync: _sync, intent: _intent, microsoft: _microsoft, ...referralValues } = v;
  const referral: Referral = emptyReferral({
    ...(referralValues as Partial<Referral>),
    ...(wonValue !== undefined ? { value: wonValue } : {}),
    ...outSold,
    crmId,
    dealName: typeof v.dealName === 'string' ? v.dealName : '',
    customer,
    ...(contactValues ? { customerContact: { firstName: '', lastName: '', email: '', phone: '', ...contactValues } } : {}),
    team: team.team,
    solutions: solutions.solutions,
    direction,
    ...statusOf(raw, sync, direction),
    ...(stage.stage ? { salesStage: stage.stage } : {}),
    ...(typeof currency === 'string' ? { currency } : {}),
    shareWithMicrosoftSellers: v.shareWithMicrosoftSellers === true,
    consentToShareContacts: v.consentToShareContacts === true,
    invitations: [],
    ...(typeof raw.createdon === 'string' ? { createdAt: raw.createdon } : {}),
    ...(typeof raw.modifiedon === 'string' ? { updatedAt: raw.modifiedon } : {}),
  });
  const invited = requestedInvitations([], invitationRequests(raw[ctx.names.invitationCollection], ctx, record, invitePartner), referral);
  referral.invitations = invited.invitations;
  referral.crmInvitationRequests = invited.requested;
  problems.push(...invited.problems);
  const microsoft = v.microsoft as { status?: unknown; crmId?: string } | undefined;
  if (microsoft && MicrosoftStatus.isName(microsoft.status)) referral.microsoft = { status: microsoft.status, ...(microsoft.crmId ? { crmId: microsoft.crmId } : {}) };
  referral.dealType = typedDealType(v.dealType, record, problems) ?? deriveDealType(referral);

  const response = intentValues.response;
  const intent: SellerIntent = {
    optedIn: intentValues.optedIn === true || (direction === 'inbound' && referral.referralId !== undefined),
    ...(response === 'accept' || response === 'decline' ? { response } : {}),
  };
  return {
    crmId,
    modifiedAt: new Date(String(raw.modifiedon)).toISOString(),
    ...(typeof raw['@odata.etag'] === 'string' ? { etag: raw['@odata.etag'] } : {}),
    intent,
    referral,
    problems,
    ...(cleared.length > 0 ? { cleared } : {}),
    // The owner's default location (sync.locationByOwner) is keyed by the systemuser ID.
    ...(typeof raw._ownerid_value === 'string' ? { owner: { id: raw._ownerid_value, ...businessUnitOf(raw) } } : {}),
    shownStatus: heldColumns(raw, ownStatusRows(ctx.fields).map((f) => f.column)),
  };
}
