/**
 * What a deal must contain: the mandatory fields on creation, and the content rules that hold on every
 * create and update (complete team members, a customer contact only with consent, a customer contact
 * when Microsoft's help is asked). The bulk CSV upload's own consent rule is `checkBulkConsent`.
 */
import { CONSENT_FIELD_LABEL } from '../model/consent.js';
import type { Contact, Referral } from '../model/referral.js';
import { error, type Violation } from './violation.js';

const blank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function missingContactParts(contact: Contact | undefined): string[] {
  if (!contact) return ['firstName', 'lastName', 'phone', 'email'];
  return (['firstName', 'lastName', 'phone', 'email'] as const).filter((key) => blank(contact[key]));
}

const PART_LABEL: Record<string, string> = { firstName: 'first name', lastName: 'last name', phone: 'phone number', email: 'email address' };

/** Rules that hold whenever a deal is created or updated. */
export function checkContent(r: Referral): Violation[] {
  const out: Violation[] = [];
  r.team.forEach((member, i) => {
    for (const part of missingContactParts(member)) {
      out.push(error('team.member_incomplete', `team[${i}].${part}`, `Team member ${i + 1} needs a ${PART_LABEL[part]}: name, phone number and email are mandatory for every team member.`));
    }
  });
  if (!r.consentToShareContacts && r.customerContact) {
    out.push(error('consent.contact_without_consent', 'customerContact', `The customer contact is shared only with the customer’s consent: tick "${CONSENT_FIELD_LABEL}" on the opportunity once you have it, or send the deal without the contact.`));
  }
  if (r.helpType) out.push(...checkContactForHelp(r));
  return out;
}

/**
 * The customer contact a deal that asks Microsoft for help needs, whichever help it asks. Also for the
 * bulk upload's row that answers "Microsoft help required?" Yes without a usable help code, which is
 * refused before the rules see it asking for help.
 */
export function checkContactForHelp(r: Referral): Violation[] {
  if (!r.consentToShareContacts) {
    // Co-sell needs a customer contact, and without consent there is none to send: name the fix once
    // rather than listing every missing part of a contact the CRM may well hold.
    return [error('consent.contact_required_for_help', 'consentToShareContacts', `Co-sell needs the customer contact, sent only with consent: tick "${CONSENT_FIELD_LABEL}" once the customer agrees, or (new deal) ask Microsoft for no help.`)];
  }
  return missingContactParts(r.customerContact).map((part) => error('customer_contact.required_for_help', `customerContact.${part}`, `Asking Microsoft for help needs the customer contact’s ${PART_LABEL[part]}.`));
}

/** The customer's mandatory parts (bulk CSV: "Customer Name | Yes", "Customer Address Line 1 | Yes", "Customer City | Yes", "Customer Country | Yes"). */
const CUSTOMER_REQUIRED = [['name', 'name'], ['addressLine1', 'address line 1'], ['city', 'city'], ['country', 'country']] as const;

/** The mandatory fields of a new deal (seed "Deal details", "Add team members", "Add solution(s)"; CSV table). */
export function checkCreateRequirements(r: Referral): Violation[] {
  const out: Violation[] = [];
  if (blank(r.dealName)) out.push(error('create.deal_name.required', 'dealName', 'A deal name is required.'));
  if (blank(r.location)) out.push(error('create.location.required', 'location', 'A location (your MPN location scope) is required, and it cannot be changed later.'));
  if (r.value === undefined) out.push(error('create.value.required', 'value', 'An estimated value is required.'));
  if (blank(r.currency)) out.push(error('create.currency.required', 'currency', 'A currency (ISO 4217, such as USD) is required.'));
  if (blank(r.closeDate)) out.push(error('create.close_date.required', 'closeDate', 'An estimated close date is required.'));
  const customer = r.customer;
  for (const [key, label] of CUSTOMER_REQUIRED) {
    if (blank(customer[key])) out.push(error('create.customer.required', `customer.${key}`, `The customer’s ${label} is required.`));
  }
  if (r.team.length === 0) out.push(error('create.team.required', 'team', 'Add at least one team member with name, phone number and email.'));
  if (r.solutions.length === 0) out.push(error('create.solution.required', 'solutions', 'Add at least one solution.'));
  return out;
}

/**
 * Mandatory values a deal holds cannot be emptied later (the value, the close date, the team, the solutions): "Deal value must not be 0 or empty when updated
 * from the CRM" (API notes §1.11), and the estimated close date is as mandatory as at creation (seed, "Deal
 * details"). Without this check an emptied CRM field read as a change to nothing would be sent as `null`;
 * before it was read as a change, it was no opinion, and a deal closed as won without a value was won in
 * Partner Center with the old value while the record said synced.
 */
export function checkRequiredKept(previous: Referral, next: Referral): Violation[] {
  const out: Violation[] = [];
  if (previous.value !== undefined && next.value === undefined) {
    const kept = `${previous.value}${previous.currency ? ` ${previous.currency}` : ''}`;
    out.push(error('format.value_positive', 'value', `Partner Center requires an estimated value and does not let it be emptied; it keeps ${kept}. Enter the deal's value again.`));
  }
  if (!blank(previous.closeDate) && blank(next.closeDate)) {
    out.push(error('update.close_date.required', 'closeDate', `Partner Center requires an estimated close date and does not let it be emptied; it keeps ${previous.closeDate}. Enter the expected close date again.`));
  }
  // The customer's mandatory columns of the bulk CSV (name, address line 1, city, country) hold on an update
  // row too: emptied in the CRM, they are refused here rather than read as no opinion (until 2026-12-06 the
  // record said synced while Partner Center kept the old city).
  for (const [key, label] of CUSTOMER_REQUIRED) {
    if (!blank(previous.customer[key]) && blank(next.customer[key])) {
      out.push(error('update.customer.required', `customer.${key}`, `Partner Center requires the customer’s ${label} and does not let it be emptied; it keeps "${previous.customer[key]}". Enter it again.`));
    }
  }
  // "Team member 1" and "Solution 1" are mandatory on every row of a bulk create or update (CSV seed), as
  // the CSV import enforces: a deal keeps at least one of each. Until 2026-12-06 a sync sent the empty list
  // (a seller's last row removed, or `cosell link` merging a record without any) while the record said synced.
  if (previous.team.length > 0 && next.team.length === 0) {
    const kept = previous.team.map((m) => m.email || `${m.firstName} ${m.lastName}`.trim()).join(', ');
    out.push(error('update.team.required', 'team', `Partner Center keeps at least one team member on a deal; it keeps ${kept}. Add a team member with name, phone number and email instead of removing the last one.`));
  }
  if (previous.solutions.length > 0 && next.solutions.length === 0) {
    const kept = previous.solutions.map((s) => s.id).join(', ');
    out.push(error('update.solution.required', 'solutions', `Partner Center keeps at least one solution on a deal; it keeps ${kept}. Add a solution instead of removing the last one.`));
  }
  return out;
}

/**
 * The bulk CSV upload's consent column: "Deals will not be created or updated if you choose No for this
 * column." It applies to rows of a bulk upload (core/csv), not to the API, where consent gates the
 * customer contact instead (see core/model/consent.ts).
 */
export function checkBulkConsent(r: Referral): Violation[] {
  return r.consentToShareContacts
    ? []
    : [error('consent.required', 'consentToShareContacts', 'A bulk upload does not create or update a deal without consent: "Consent to share Customer/Partner contact" is No. Set it to Yes once you have the customer’s consent.')];
}
