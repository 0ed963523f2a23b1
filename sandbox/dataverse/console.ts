/**
 * A seller working in the Dynamics 365 sandbox (the `SellerConsole` of sandbox/consoles/types.ts):
 * rows are written through the sandbox's own Web API handlers as the Dynamics 365 UI saves them, so
 * validation applies and `modifiedon` and the row version move. Uses the connector's default column
 * names (publisher prefix `cosell_`), as an org looks after `cosell setup dynamics`.
 */
import { randomUUID } from 'node:crypto';
import { CloseReason, HelpType } from '../../core/model/enums.js';
import type { SalesStage } from '../../core/model/sales-stage.js';
import type { DealSpec, LeadView, PersonSpec, RecordView, SellerConsole } from '../consoles/types.js';
import { closeOpportunity } from './actions.js';
import { dispatch } from './api.js';
import type { ApiRequest } from './api-types.js';
import type { DataverseSandbox } from './index.js';
import { ASSESSMENT_PROCESS_ID, ASSESSMENT_PROCESS_STAGES, CURRENCY_IDS, OPPORTUNITY_SALES_PROCESS_ID, SALES_PROCESS_STAGES, SELLER_USER_ID } from './seed.js';

const P = 'cosell_';
const OPTION_BASE = 100_000_000;

/** The process stage a seller picks for each standard sales stage. */
const STAGE_FOR: Partial<Record<SalesStage, (typeof SALES_PROCESS_STAGES)[number]>> = {
  Qualified: SALES_PROCESS_STAGES[0], Developed: SALES_PROCESS_STAGES[1], Proposed: SALES_PROCESS_STAGES[2], Negotiated: SALES_PROCESS_STAGES[3],
};

export function dataverseConsole(sandbox: DataverseSandbox): SellerConsole {
  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const req: ApiRequest = {
      method, path, query: new URLSearchParams(path.split('?')[1] ?? ''), headers, body: body === undefined ? '' : JSON.stringify(body),
      serviceRoot: `${sandbox.url}/api/data/v9.2/`, callerId: SELLER_USER_ID,
    };
    const answer = dispatch(sandbox.store, { ...req, path: path.split('?')[0]! });
    if (answer.status >= 400) throw new Error(`Dynamics 365 refused ${method} ${path}: ${JSON.stringify(answer.body)}`);
    sandbox.runtime.changed();
    return answer;
  };
  const create = (set: string, values: Record<string, unknown>): string => {
    const id = randomUUID();
    request('POST', set, { ...values, [sandbox.store.bySet(set)!.def.key]: id });
    return id;
  };
  const edit = (id: string, changes: Record<string, unknown>) => request('PATCH', `opportunities(${id})`, changes, { 'if-match': '*' });
  const rows = (logical: string) => [...(sandbox.store.table(logical)?.rows.values() ?? [])];
  const addMember = (oppId: string, p: PersonSpec) =>
    create(`${P}teammembers`, { [`${P}name`]: `${p.firstName} ${p.lastName}`, [`${P}firstname`]: p.firstName, [`${P}lastname`]: p.lastName, [`${P}email`]: p.email, [`${P}phone`]: p.phone, [`${P}opportunityid@odata.bind`]: `/opportunities(${oppId})` });
  const addSolutionRow = (oppId: string, s: DealSpec['solutions'][number]) =>
    create(`${P}solutions`, {
      [`${P}name`]: s.id, [`${P}pcsolutionid`]: s.id, [`${P}kind`]: s.kind, ...(s.assessmentLocation ? { [`${P}assessmentlocation`]: s.assessmentLocation } : {}), [`${P}opportunityid@odata.bind`]: `/opportunities(${oppId})`,
      ...(s.price !== undefined ? { [`${P}price`]: s.price } : {}), ...(s.quantity !== undefined ? { [`${P}quantity`]: s.quantity } : {}), ...(s.currency ? { [`${P}currency`]: s.currency } : {}),
    });
  // A close made here, not through `dispatch`, is saved by the seller too (`modifiedby`).
  const asSeller = <T>(act: () => T): T => {
    const caller = sandbox.store.caller;
    sandbox.store.caller = SELLER_USER_ID;
    try {
      return act();
    } finally {
      sandbox.store.caller = caller;
    }
  };
  const columnsOf = (s: { id: string; name: string; category: number }, processid: string) =>
    ({ stageid: s.id, processid, stepname: `${s.category + 1}-${s.name}`, salesstage: s.category, closeprobability: 20 + 20 * s.category });
  const stageColumns = (stage: SalesStage | undefined) => {
    const s = stage ? STAGE_FOR[stage] : undefined;
    return s ? columnsOf(s, OPPORTUNITY_SALES_PROCESS_ID) : {};
  };
  const close = (id: string, outcome: 'won' | 'lost', status: number, actualRevenue?: number) =>
    asSeller(() => closeOpportunity(sandbox.store, { method: 'POST', path: outcome === 'won' ? 'WinOpportunity' : 'LoseOpportunity', query: new URLSearchParams(), headers: {}, serviceRoot: `${sandbox.url}/api/data/v9.2/`, callerId: SELLER_USER_ID,
      body: JSON.stringify({ Status: status, OpportunityClose: { subject: outcome === 'won' ? 'Won' : 'Lost', ...(actualRevenue !== undefined ? { actualrevenue: actualRevenue } : {}), 'opportunityid@odata.bind': `/opportunities(${id})` } }) }, outcome));
  const currencyId = (iso: string) => rows('transactioncurrency').find((c) => c.isocurrencycode === iso.toUpperCase())?.transactioncurrencyid ?? CURRENCY_IDS.USD;

  return {
    crmName: 'Dynamics 365',
    async createDeal(spec) {
      const c = spec.customer;
      const accountId = create('accounts', {
        name: c.name, address1_line1: c.street, address1_city: c.city, address1_stateorprovince: c.state ?? null, address1_postalcode: c.postalCode, address1_country: c.country,
        ...(c.duns ? { [`${P}dunsnumber`]: c.duns } : {}),
      });
      const contactId = spec.contact
        ? create('contacts', { firstname: spec.contact.firstName, lastname: spec.contact.lastName, emailaddress1: spec.contact.email, telephone1: spec.contact.phone, 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` })
        : undefined;
      const oppId = create('opportunities', {
        name: spec.name, estimatedvalue: spec.value, estimatedclosedate: spec.closeDate, ...(spec.notes ? { description: spec.notes } : {}),
        'parentaccountid@odata.bind': `/accounts(${accountId})`, 'customerid_account@odata.bind': `/accounts(${accountId})`,
        ...(contactId ? { 'parentcontactid@odata.bind': `/contacts(${contactId})` } : {}),
        'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(currencyId(spec.currency))})`,
        [`${P}syncwithpartnercenter`]: spec.optIn, [`${P}consent`]: spec.consent === true,
        ...(spec.helpType ? { [`${P}helptype`]: OPTION_BASE + Number(HelpType.toCode(spec.helpType)) } : {}),
        ...(spec.share !== undefined ? { [`${P}sharewithmicrosoft`]: spec.share } : {}),
        ...(spec.location ? { [`${P}location`]: spec.location } : {}),
        // Dataverse makes the calling user the owner; the seller's console creates as Sam Seller.
        'ownerid@odata.bind': `/systemusers(${SELLER_USER_ID})`,
        ...stageColumns(spec.stage),
      });
      for (const member of spec.team) addMember(oppId, member);
      for (const solution of spec.solutions) addSolutionRow(oppId, solution);
      edit(oppId, {});
      return oppId;
    },
    async edit(crmId, change) {
      edit(crmId, {
        ...(change.name !== undefined ? { name: change.name } : {}), ...(change.value !== undefined ? { estimatedvalue: change.value } : {}),
        ...(change.closeDate !== undefined ? { estimatedclosedate: change.closeDate } : {}), ...(change.notes !== undefined ? { description: change.notes } : {}),
      });
    },
    async editAccount(crmId, change) {
      const accountId = String(sandbox.store.table('opportunity')!.rows.get(crmId)?._parentaccountid_value);
      request('PATCH', `accounts(${accountId})`, { ...(change.name !== undefined ? { name: change.name } : {}), ...(change.country !== undefined ? { address1_country: change.country } : {}), ...(change.city !== undefined ? { address1_city: change.city } : {}), ...(change.state !== undefined ? { address1_stateorprovince: change.state } : {}) }, { 'if-match': '*' });
    },
    async editContact(crmId, change) {
      const contactId = String(sandbox.store.table('opportunity')!.rows.get(crmId)?._parentcontactid_value);
      request('PATCH', `contacts(${contactId})`, { ...(change.firstName !== undefined ? { firstname: change.firstName } : {}), ...(change.lastName !== undefined ? { lastname: change.lastName } : {}), ...(change.phone !== undefined ? { telephone1: change.phone } : {}) }, { 'if-match': '*' });
    },
    async setStage(crmId, stage) {
      if (stage === 'Won') return close(crmId, 'won', 3) && undefined;
      edit(crmId, stageColumns(stage));
    },
    async setCrmStage(crmId, crmStage) {
      const assessment = ASSESSMENT_PROCESS_STAGES.find((s) => s.name === crmStage);
      const standard = SALES_PROCESS_STAGES.find((s) => s.name === crmStage);
      if (!assessment && !standard) throw new Error(`Dynamics 365 has no business process stage "${crmStage}"`);
      edit(crmId, assessment ? columnsOf(assessment, ASSESSMENT_PROCESS_ID) : columnsOf(standard!, OPPORTUNITY_SALES_PROCESS_ID));
    },
    async requestInvitation(crmId, inv, options = {}) {
      create(`${P}partnerinvitations`, {
        [`${P}partnerid`]: inv.partnerId, [`${P}opportunityid@odata.bind`]: `/opportunities(${crmId})`,
        ...(inv.closeDate ? { [`${P}closedate`]: inv.closeDate } : {}), ...(inv.value !== undefined ? { [`${P}value`]: inv.value } : {}),
        ...(inv.currency ? { [`${P}currency`]: inv.currency } : {}), ...(inv.notes ? { [`${P}notes`]: inv.notes } : {}),
        ...(inv.teamEmails.length ? { [`${P}teamemails`]: inv.teamEmails.join('; ') } : {}), ...(inv.solutionIds.length ? { [`${P}solutionids`]: inv.solutionIds.join('; ') } : {}),
        ...(inv.helpNeeded ? { [`${P}helpneeded`]: inv.helpNeeded } : {}),
      });
      // Saved from the opportunity form's subgrid, as the console's other child rows are, unless added alone.
      if (!options.alone) edit(crmId, {});
    },
    async deleteInvitation(crmId, partnerId) {
      for (const row of rows(`${P}partnerinvitation`)) {
        if (row[`_${P}opportunityid_value`] === crmId && row[`${P}partnerid`] === partnerId) request('DELETE', `${P}partnerinvitations(${String(row[`${P}partnerinvitationid`])})`);
      }
      if (rows('opportunity').find((o) => o.opportunityid === crmId)?.[`${P}invitepartnerid`] === partnerId) edit(crmId, { [`${P}invitepartnerid`]: null });
    },
    async invitePartner(crmId, partnerId) {
      edit(crmId, { [`${P}invitepartnerid`]: partnerId });
    },
    async optIn(crmId, options = {}) {
      edit(crmId, {
        [`${P}syncwithpartnercenter`]: true,
        ...(options.helpType ? { [`${P}helptype`]: OPTION_BASE + Number(HelpType.toCode(options.helpType)) } : {}),
        ...(options.share !== undefined ? { [`${P}sharewithmicrosoft`]: options.share } : {}),
      });
    },
    async optOut(crmId) {
      edit(crmId, { [`${P}syncwithpartnercenter`]: false });
    },
    async typeReferralId(crmId, referralId) {
      edit(crmId, { [`${P}referralid`]: referralId });
    },
    async setLocation(crmId, location) {
      edit(crmId, { [`${P}location`]: location });
    },
    async setConsent(crmId, consent) {
      edit(crmId, { [`${P}consent`]: consent });
    },
    async accept(crmId) {
      edit(crmId, { [`${P}response`]: OPTION_BASE + 1 });
    },
    async decline(crmId, reason) {
      edit(crmId, { [`${P}response`]: OPTION_BASE + 2, [`${P}closereason`]: OPTION_BASE + Number(CloseReason.toCode(reason)) });
    },
    async win(crmId, options = {}) {
      close(crmId, 'won', 3, options.value);
    },
    async lose(crmId, reason) {
      edit(crmId, { [`${P}closereason`]: OPTION_BASE + Number(CloseReason.toCode(reason)) });
      close(crmId, 'lost', reason === 'chose-another-vendor' ? 5 : 4);
    },
    // Child rows are saved from the opportunity form's subgrids, so the opportunity is saved too; `alone`
    // plays a Web API call or a subgrid delete that leaves the opportunity untouched (the connector tracks
    // the child tables' own changes, connectors/dynamics/child-changes.ts).
    async setCloseReason(crmId, reason) {
      edit(crmId, { [`${P}closereason`]: OPTION_BASE + Number(CloseReason.toCode(reason)) });
    },
    async reopen(crmId) {
      // "Reopen Opportunity": an update of statecode to Open with status reason In Progress (writes.ts).
      edit(crmId, { statecode: 0, statuscode: 1 });
    },
    async addTeamMember(crmId, person, options = {}) {
      addMember(crmId, person);
      if (!options.alone) edit(crmId, {});
    },
    async removeTeamMember(crmId, email, options = {}) {
      for (const row of rows(`${P}teammember`)) {
        if (row[`_${P}opportunityid_value`] === crmId && String(row[`${P}email`]).toLowerCase() === email.toLowerCase()) request('DELETE', `${P}teammembers(${String(row[`${P}teammemberid`])})`);
      }
      if (!options.alone) edit(crmId, {});
    },
    async addSolution(crmId, solution, options = {}) {
      addSolutionRow(crmId, solution);
      if (!options.alone) edit(crmId, {});
    },
    async removeSolution(crmId, solutionId, options = {}) {
      for (const row of rows(`${P}solution`)) {
        if (row[`_${P}opportunityid_value`] === crmId && row[`${P}pcsolutionid`] === solutionId) request('DELETE', `${P}solutions(${String(row[`${P}solutionid`])})`);
      }
      if (!options.alone) edit(crmId, {});
    },
    async setPrimaryContact(crmId, p) {
      const accountId = String(sandbox.store.table('opportunity')!.rows.get(crmId)?._parentaccountid_value);
      const contactId = create('contacts', { firstname: p.firstName, lastname: p.lastName, emailaddress1: p.email, telephone1: p.phone, 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` });
      edit(crmId, { 'parentcontactid@odata.bind': `/contacts(${contactId})` });
    },
    async removeContacts(crmId) {
      edit(crmId, { 'parentcontactid@odata.bind': null });
    },
    async deleteDeal(crmId) {
      request('DELETE', `opportunities(${crmId})`);
    },
    async read(crmId): Promise<RecordView> {
      const row = sandbox.store.table('opportunity')!.rows.get(crmId);
      if (!row) return { exists: false, teamEmails: [], solutionIds: [] };
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      const stage = text(rows('processstage').find((s) => s.processstageid === row.stageid)?.stagename);
      const view: RecordView = {
        exists: true,
        teamEmails: rows(`${P}teammember`).filter((r) => r[`_${P}opportunityid_value`] === crmId).map((r) => String(r[`${P}email`])),
        solutionIds: rows(`${P}solution`).filter((r) => r[`_${P}opportunityid_value`] === crmId).map((r) => String(r[`${P}pcsolutionid`])),
        isWon: row.statecode === 1,
        isClosed: row.statecode !== 0,
      };
      const optional: Partial<RecordView> = {
        name: text(row.name), value: typeof row.estimatedvalue === 'number' ? row.estimatedvalue : undefined, closeDate: text(row.estimatedclosedate),
        notes: text(row.description), stage: row.statecode === 1 ? 'Won' : row.statecode === 2 ? 'Lost' : stage ?? text(row.stepname),
        syncState: text(row[`${P}syncstate`]), syncMessage: text(row[`${P}syncmessage`]), lastSynced: text(row[`${P}lastsyncedon`]), referralId: text(row[`${P}referralid`]),
        microsoftStatus: text(row[`${P}microsoftstatus`]), heldUntil: text(row[`${P}helduntil`]), consent: row[`${P}consent`] === true,
        answerBy: text(row[`${P}answerby`]), microsoftAnswerBy: text(row[`${P}microsoftanswerby`]), location: text(row[`${P}location`]),
        referralLink: text(row[`${P}referrallink`]), registrationEligible: row[`${P}registrationeligible`] === true, registrationNote: text(row[`${P}registrationnote`]),
        registrationDeadline: text(row[`${P}registerby`]), registrationStatus: text(row[`${P}registrationstatus`]),
        referralStatus: text(row[`${P}referralstatus`]) && `${String(row[`${P}referralstatus`])}/${String(row[`${P}referralsubstatus`] ?? '')}`,
        contactEmail: text(sandbox.store.table('contact')!.rows.get(String(row._parentcontactid_value))?.emailaddress1),
        contactPhone: text(sandbox.store.table('contact')!.rows.get(String(row._parentcontactid_value))?.telephone1),
      };
      for (const [k, v] of Object.entries(optional)) if (v !== undefined) (view as unknown as Record<string, unknown>)[k] = v;
      return view;
    },
    async recordsForReferral(referralId) {
      return rows('opportunity').filter((r) => String(r[`${P}referralid`] ?? '').toLowerCase() === referralId.toLowerCase()).map((r) => String(r.opportunityid));
    },
    async leadsForReferral(referralId) {
      return rows('lead').filter((l) => String(l[`${P}referralid`] ?? '').toLowerCase() === referralId.toLowerCase()).map((l) => String(l.leadid));
    },
    async readLead(leadId) {
      const l = sandbox.store.table('lead')!.rows.get(leadId.toLowerCase());
      if (!l) return { exists: false, converted: false, open: false };
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      const opportunityId = text(l._qualifyingopportunityid_value);
      const optional = {
        company: text(l.companyname), referralId: text(l[`${P}referralid`]), qualification: text(l[`${P}qualification`]), opportunityId, dealName: text(l.subject),
        syncState: text(l[`${P}syncstate`]), syncMessage: text(l[`${P}syncmessage`]), answerBy: text(l[`${P}answerby`]),
        referralStatus: text(l[`${P}referralstatus`]) && `${String(l[`${P}referralstatus`])}/${String(l[`${P}referralsubstatus`] ?? '')}`,
      };
      const view: LeadView = { exists: true, converted: l.statecode === 1, open: l.statecode === 0 };
      for (const [k, v] of Object.entries(optional)) if (v !== undefined) (view as unknown as Record<string, unknown>)[k] = v;
      return view;
    },
    async acceptLead(leadId) {
      request('PATCH', `leads(${leadId})`, { [`${P}response`]: OPTION_BASE + 1 }, { 'if-match': '*' });
    },
    async declineLead(leadId, reason) {
      request('PATCH', `leads(${leadId})`, { [`${P}response`]: OPTION_BASE + 2, ...(reason ? { [`${P}closereason`]: OPTION_BASE + Number(CloseReason.toCode(reason)) } : {}) }, { 'if-match': '*' });
    },
    // The Qualify button: an account, a contact and an opportunity from the lead (originatingleadid), and the lead Qualified.
    async convertLead(leadId) {
      const l = sandbox.store.table('lead')!.rows.get(leadId.toLowerCase());
      if (!l || l.statecode !== 0) throw new Error(`Lead ${leadId} does not exist or is not open`);
      const accountId = create('accounts', { name: l.companyname ?? l.subject, address1_line1: l.address1_line1 ?? null, address1_city: l.address1_city ?? null, address1_postalcode: l.address1_postalcode ?? null, address1_country: l.address1_country ?? null });
      const contactId = create('contacts', { firstname: l.firstname ?? null, lastname: l.lastname ?? l.companyname, emailaddress1: l.emailaddress1 ?? null, 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` });
      const oppId = create('opportunities', {
        name: l.subject ?? l.companyname, ...(typeof l.budgetamount === 'number' ? { estimatedvalue: l.budgetamount } : {}),
        'parentaccountid@odata.bind': `/accounts(${accountId})`, 'customerid_account@odata.bind': `/accounts(${accountId})`, 'parentcontactid@odata.bind': `/contacts(${contactId})`,
        'originatingleadid@odata.bind': `/leads(${leadId})`, 'ownerid@odata.bind': `/systemusers(${SELLER_USER_ID})`,
      });
      request('PATCH', `leads(${leadId})`, { statecode: 1, statuscode: 3, 'qualifyingopportunityid@odata.bind': `/opportunities(${oppId})` }, { 'if-match': '*' });
      return oppId;
    },
    async allRecords() {
      return rows('opportunity').map((r) => String(r.opportunityid));
    },
  };
}
