/**
 * A seller working in the Salesforce sandbox: records are inserted as the UI inserts them (accounts,
 * contacts, users on the opportunity team, the connector's solution rows) and opportunities are edited
 * through the sandbox's save path, so validation rules run and SystemModstamp moves.
 */
import { F, INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { CloseReason, HelpType, SolutionKind } from '../../core/model/enums.js';
import type { SalesStage } from '../../core/model/sales-stage.js';
import { insertRaw, sellerUser } from '../salesforce/seed.js';
import { LEAD_F } from '../../mappings/leads.salesforce.js';
import type { SalesforceSandbox } from '../salesforce/index.js';
import type { DealSpec, PersonSpec, RecordView, SellerConsole } from './types.js';

/** The standard Salesforce stage a seller picks for each standard sales stage. */
const STAGE_FOR: Record<SalesStage, string> = {
  Created: 'Prospecting',
  Accepted: 'Prospecting',
  Qualified: 'Needs Analysis',
  Developed: 'Value Proposition',
  Proposed: 'Proposal/Price Quote',
  Negotiated: 'Negotiation/Review',
  Won: 'Closed Won',
};

export function salesforceConsole(sandbox: SalesforceSandbox): SellerConsole {
  const { store } = sandbox;

  const save = (id: string, values: Record<string, unknown>) => {
    const result = sandbox.seller.editOpportunity(id, values);
    if (!result.ok) throw new Error(`Salesforce refused the edit of ${id}: ${JSON.stringify(result.errors)}`);
  };
  const saveLead = (id: string, values: Record<string, unknown>) => {
    const result = sandbox.seller.editRecord('Lead', id, values);
    if (!result.ok) throw new Error(`Salesforce refused the edit of lead ${id}: ${JSON.stringify(result.errors)}`);
  };
  /** The opportunity's primary contact (the Contact its primary contact role names). */
  const primaryContact = (id: string) => store.get('Contact', String(store.all('OpportunityContactRole').find((r) => r.OpportunityId === id && r.IsPrimary === true)?.ContactId));
  /** Deletes through the DML path (getDeleted lists the row; an opportunity's related rows go with it). */
  const remove = (id: string) => {
    const result = sandbox.seller.deleteRecord(id);
    if (!result.ok) throw new Error(`Salesforce refused to delete ${id}: ${JSON.stringify(result.errors)}`);
  };
  /** Touching the opportunity moves its SystemModstamp, as editing a related list does in the UI. */
  const touch = (id: string) => save(id, {});

  /** Who saves a seller's inserts on a deal: its owner, or a seller when the integration user owns it. */
  const sellerOf = (oppId?: string): string => sellerUser(store, oppId ? store.get('Opportunity', oppId)?.OwnerId : undefined);

  const user = (p: PersonSpec) =>
    store.all('User').find((u) => String(u.Email).toLowerCase() === p.email.toLowerCase()) ??
    insertRaw(store, 'User', { Username: p.email, FirstName: p.firstName, LastName: p.lastName, Email: p.email, Phone: p.phone, IsActive: true, Title: 'Account Executive' });

  const addMember = (oppId: string, p: PersonSpec) =>
    insertRaw(store, 'OpportunityTeamMember', { OpportunityId: oppId, UserId: user(p).Id, TeamMemberRole: 'Sales Rep', OpportunityAccessLevel: 'Edit' }, undefined, sellerOf(oppId));

  const addSolutionRow = (oppId: string, s: DealSpec['solutions'][number]) =>
    insertRaw(store, SOLUTION_OBJECT, {
      [SOLUTION_PARENT_FIELD]: oppId,
      [SOLUTION_FIELDS.solutionId]: s.id,
      [SOLUTION_FIELDS.kind]: SolutionKind.label(s.kind),
      ...(s.price !== undefined ? { [SOLUTION_FIELDS.price]: s.price } : {}),
      ...(s.quantity !== undefined ? { [SOLUTION_FIELDS.quantity]: s.quantity } : {}),
      ...(s.currency ? { [SOLUTION_FIELDS.currency]: s.currency } : {}),
      ...(s.assessmentLocation ? { [SOLUTION_FIELDS.assessmentLocation]: s.assessmentLocation } : {}),
    }, undefined, sellerOf(oppId));

  return {
    crmName: 'Salesforce',
    async createDeal(spec) {
      const owner = spec.team[0] ? user(spec.team[0]) : undefined;
      const by = owner ? String(owner.Id) : sellerOf();
      const account = insertRaw(store, 'Account', {
        Name: spec.customer.name, BillingStreet: spec.customer.street, BillingCity: spec.customer.city, BillingState: spec.customer.state ?? null,
        BillingPostalCode: spec.customer.postalCode, BillingCountry: spec.customer.country, DunsNumber: spec.customer.duns ?? null,
      }, undefined, by);
      const opp = insertRaw(store, 'Opportunity', {
        Name: spec.name, AccountId: account.Id, Amount: spec.value, CurrencyIsoCode: spec.currency, CloseDate: spec.closeDate,
        Description: spec.notes ?? null, StageName: STAGE_FOR[spec.stage ?? 'Created'], ...(owner ? { OwnerId: owner.Id } : {}),
        [F.optIn]: spec.optIn, [F.consent]: spec.consent === true, [F.shareWithMicrosoft]: spec.share ?? false, ...(spec.helpType ? { [F.helpType]: HelpType.label(spec.helpType) } : {}),
        ...(spec.location ? { [F.location]: spec.location } : {}),
      }, undefined, by);
      if (spec.contact) {
        const c = insertRaw(store, 'Contact', { AccountId: account.Id, FirstName: spec.contact.firstName, LastName: spec.contact.lastName, Email: spec.contact.email, Phone: spec.contact.phone }, undefined, by);
        insertRaw(store, 'OpportunityContactRole', { OpportunityId: opp.Id, ContactId: c.Id, Role: 'Decision Maker', IsPrimary: true }, undefined, by);
      }
      for (const p of spec.team) addMember(opp.Id, p);
      for (const s of spec.solutions) addSolutionRow(opp.Id, s);
      return opp.Id;
    },
    async edit(id, change) {
      save(id, {
        ...(change.name !== undefined ? { Name: change.name } : {}),
        ...(change.value !== undefined ? { Amount: change.value } : {}),
        ...(change.closeDate !== undefined ? { CloseDate: change.closeDate } : {}),
        ...(change.notes !== undefined ? { Description: change.notes } : {}),
      });
    },
    async editAccount(id, change) {
      const accountId = String(store.get('Opportunity', id)?.AccountId);
      const result = sandbox.seller.editRecord('Account', accountId, { ...(change.name !== undefined ? { Name: change.name } : {}), ...(change.country !== undefined ? { BillingCountry: change.country } : {}), ...(change.city !== undefined ? { BillingCity: change.city } : {}), ...(change.state !== undefined ? { BillingState: change.state } : {}) });
      if (!result.ok) throw new Error(`Salesforce refused the edit of account ${accountId}: ${JSON.stringify(result.errors)}`);
    },
    async editContact(id, change) {
      const contactId = String(primaryContact(id)?.Id);
      const result = sandbox.seller.editRecord('Contact', contactId, { ...(change.firstName !== undefined ? { FirstName: change.firstName } : {}), ...(change.lastName !== undefined ? { LastName: change.lastName } : {}), ...(change.phone !== undefined ? { Phone: change.phone } : {}) });
      if (!result.ok) throw new Error(`Salesforce refused the edit of contact ${contactId}: ${JSON.stringify(result.errors)}`);
    },
    async setStage(id, stage) {
      save(id, { StageName: STAGE_FOR[stage] });
    },
    async setCrmStage(id, crmStage) {
      save(id, { StageName: crmStage });
    },
    async optIn(id, options = {}) {
      save(id, { [F.optIn]: true, ...(options.share !== undefined ? { [F.shareWithMicrosoft]: options.share } : {}), ...(options.helpType ? { [F.helpType]: HelpType.label(options.helpType), [F.shareWithMicrosoft]: true } : {}) });
    },
    async optOut(id) {
      save(id, { [F.optIn]: false });
    },
    async typeReferralId(id, referralId) {
      save(id, { [F.referralId]: referralId });
    },
    async setLocation(id, location) {
      save(id, { [F.location]: location });
    },
    async setConsent(id, consent) {
      save(id, { [F.consent]: consent });
    },
    async invitePartner(id, partnerId) {
      save(id, { [F.invitePartnerId]: partnerId });
    },
    async requestInvitation(id, inv) {
      // A related-list insert in the UI: the opportunity itself is not saved.
      insertRaw(store, INVITATION_OBJECT, {
        [SOLUTION_PARENT_FIELD]: id,
        Name: inv.partnerId,
        [INVITATION_FIELDS.partnerId]: inv.partnerId,
        [INVITATION_FIELDS.closeDate]: inv.closeDate ?? null,
        [INVITATION_FIELDS.value]: inv.value ?? null,
        [INVITATION_FIELDS.currency]: inv.currency ?? null,
        [INVITATION_FIELDS.notes]: inv.notes ?? null,
        [INVITATION_FIELDS.teamEmails]: inv.teamEmails.join('; ') || null,
        [INVITATION_FIELDS.solutionIds]: inv.solutionIds.join('; ') || null,
        [INVITATION_FIELDS.helpNeeded]: inv.helpNeeded ?? null,
      }, undefined, sellerOf(id));
    },
    async deleteInvitation(id, partnerId) {
      // A related-list Delete: the row goes to the Recycle Bin and the opportunity itself is not saved.
      for (const row of store.all(INVITATION_OBJECT)) if (row[SOLUTION_PARENT_FIELD] === id && row[INVITATION_FIELDS.partnerId] === partnerId) remove(row.Id);
      if (store.get('Opportunity', id)?.[F.invitePartnerId] === partnerId) save(id, { [F.invitePartnerId]: null });
    },
    async accept(id) {
      save(id, { [F.response]: 'Accept' });
    },
    async decline(id, reason) {
      save(id, { [F.response]: 'Decline', [F.closeReason]: CloseReason.label(reason) });
    },
    async win(id, options = {}) {
      save(id, { StageName: 'Closed Won', ...(options.value !== undefined ? { Amount: options.value } : {}) });
    },
    async lose(id, reason) {
      save(id, { StageName: 'Closed Lost', [F.closeReason]: CloseReason.label(reason) });
    },
    async setCloseReason(id, reason) {
      save(id, { [F.closeReason]: CloseReason.label(reason) });
    },
    async reopen(id) {
      save(id, { StageName: STAGE_FOR.Negotiated });
    },
    async addTeamMember(id, person, options = {}) {
      addMember(id, person);
      if (!options.alone) touch(id);
    },
    async removeTeamMember(id, email, options = {}) {
      for (const m of store.all('OpportunityTeamMember')) {
        if (m.OpportunityId === id && String(store.get('User', String(m.UserId))?.Email).toLowerCase() === email.toLowerCase()) remove(m.Id);
      }
      if (!options.alone) touch(id);
    },
    async addSolution(id, solution, options = {}) {
      addSolutionRow(id, solution);
      if (!options.alone) touch(id);
    },
    async removeSolution(id, solutionId) {
      for (const row of store.all(SOLUTION_OBJECT)) if (row[SOLUTION_PARENT_FIELD] === id && row[SOLUTION_FIELDS.solutionId] === solutionId) remove(row.Id);
    },
    async setPrimaryContact(id, p) {
      const accountId = String(store.get('Opportunity', id)?.AccountId);
      for (const role of store.all('OpportunityContactRole')) if (role.OpportunityId === id && role.IsPrimary === true) store.assign('OpportunityContactRole', role, { IsPrimary: false });
      const c = insertRaw(store, 'Contact', { AccountId: accountId, FirstName: p.firstName, LastName: p.lastName, Email: p.email, Phone: p.phone });
      insertRaw(store, 'OpportunityContactRole', { OpportunityId: id, ContactId: c.Id, Role: 'Decision Maker', IsPrimary: true });
    },
    async removeContacts(id) {
      for (const role of store.all('OpportunityContactRole')) if (role.OpportunityId === id) remove(role.Id);
    },
    async deleteDeal(id) {
      remove(id);
    },
    async read(id): Promise<RecordView> {
      const o = store.get('Opportunity', id);
      if (!o) return { exists: false, teamEmails: [], solutionIds: [] };
      const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
      return {
        exists: true,
        name: str(o.Name),
        value: typeof o.Amount === 'number' ? o.Amount : undefined,
        closeDate: str(o.CloseDate),
        notes: str(o.Description),
        stage: str(o.StageName),
        isWon: o.IsWon === true,
        isClosed: o.IsClosed === true,
        syncState: str(o[F.syncState]),
        syncMessage: str(o[F.syncMessage]),
        lastSynced: str(o[F.lastSynced]),
        referralId: str(o[F.referralId]),
        microsoftStatus: str(o[F.microsoftStatus]),
        referralStatus: str(o[F.referralStatus]),
        heldUntil: str(o[F.heldUntil]),
        answerBy: str(o[F.answerBy]),
        microsoftAnswerBy: str(o[F.microsoftAnswerBy]),
        location: str(o[F.location]),
        referralLink: str(o[F.referralLink]),
        registrationEligible: o[F.registrationEligible] === true,
        registrationNote: str(o[F.registrationNote]),
        registrationDeadline: str(o[F.registrationDeadline]),
        registrationStatus: str(o[F.registrationStatus]),
        consent: o[F.consent] === true,
        teamEmails: store.all('OpportunityTeamMember').filter((m) => m.OpportunityId === id).map((m) => String(store.get('User', String(m.UserId))?.Email)),
        solutionIds: store.all(SOLUTION_OBJECT).filter((s) => s[SOLUTION_PARENT_FIELD] === id).map((s) => String(s[SOLUTION_FIELDS.solutionId])),
        contactEmail: str(primaryContact(id)?.Email),
        contactPhone: str(primaryContact(id)?.Phone),
      };
    },
    async recordsForReferral(referralId) {
      return store.all('Opportunity').filter((o) => o[F.referralId] === referralId).map((o) => o.Id);
    },
    async leadsForReferral(referralId) {
      return store.all('Lead').filter((l) => String(l[LEAD_F.referralId] ?? '').toLowerCase() === referralId.toLowerCase()).map((l) => l.Id);
    },
    async readLead(leadId) {
      const l = store.get('Lead', leadId);
      if (!l) return { exists: false, converted: false, open: false };
      const str = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
      return {
        exists: true, company: str(l.Company), referralId: str(l[LEAD_F.referralId]), qualification: str(l[LEAD_F.qualification]), converted: l.IsConverted === true, opportunityId: str(l.ConvertedOpportunityId),
        dealName: str(l[LEAD_F.dealName]), open: !String(l.Status).startsWith('Closed'), syncState: str(l[LEAD_F.syncState]), syncMessage: str(l[LEAD_F.syncMessage]),
        referralStatus: str(l[LEAD_F.referralStatus]), answerBy: str(l[LEAD_F.answerBy]),
      };
    },
    async acceptLead(leadId) {
      saveLead(leadId, { [LEAD_F.response]: 'Accept' });
    },
    async declineLead(leadId, reason) {
      saveLead(leadId, { [LEAD_F.response]: 'Decline', ...(reason ? { [LEAD_F.closeReason]: CloseReason.label(reason) } : {}) });
    },
    // The Convert button: an account, a contact and an opportunity from the lead, and the lead marked converted.
    async convertLead(leadId) {
      const l = store.get('Lead', leadId);
      if (!l || l.IsConverted === true) throw new Error(`Lead ${leadId} does not exist or is already converted`);
      const account = insertRaw(store, 'Account', { Name: l.Company, BillingStreet: l.Street ?? null, BillingCity: l.City ?? null, BillingState: l.State ?? null, BillingPostalCode: l.PostalCode ?? null, BillingCountry: l.Country ?? null });
      const contact = insertRaw(store, 'Contact', { AccountId: account.Id, FirstName: l.FirstName ?? null, LastName: l.LastName, Email: l.Email ?? null, Phone: l.Phone ?? null });
      const today = store.now().slice(0, 10);
      const opp = insertRaw(store, 'Opportunity', { Name: `${String(l.Company)}-`, AccountId: account.Id, CloseDate: today, StageName: 'Prospecting', CurrencyIsoCode: 'USD' });
      store.assign('Lead', l, { IsConverted: true, ConvertedDate: today, Status: 'Closed - Converted', ConvertedAccountId: account.Id, ConvertedContactId: contact.Id, ConvertedOpportunityId: opp.Id });
      return opp.Id;
    },
    async allRecords() {
      return store.all('Opportunity').map((o) => o.Id);
    },
  };
}
