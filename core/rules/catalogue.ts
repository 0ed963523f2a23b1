/**
 * Every rule cosell-connector enforces, with the sentence of Partner Center's own pages (the seeds in
 * shared/reference/seeds) or of the API notes (partner-center-api.md) it comes from. The rule functions
 * emit these codes; docs/rules.md is generated from this table (`npm run docs`), and a test keeps the two
 * in step, so a rule cannot exist without its source.
 */

export interface RuleSource {
  /** Where the sentence is: `seed:manage-co-sell-opportunities`, `seed:bulk-operations-csv`, `api:§1.9`. */
  source: string;
  /** The sentence, quoted or closely paraphrased. */
  quote: string;
}

export interface RuleEntry extends RuleSource {
  title: string;
}

const MANAGE = 'seed:manage-co-sell-opportunities';
const CSV = 'seed:bulk-operations-csv';

export const RULES = {
  'status.pair_invalid': { title: 'Status and substatus belong together', source: 'api:§1.9', quote: 'New allows substatus Pending, Received; Active allows Accepted; Closed allows Won, Lost, Declined, Expired.' },
  'transition.not_allowed': { title: 'Only the documented status moves', source: 'api:§1.9', quote: 'Status/substatus state machine: New(Pending|Received) → Active(Accepted) → Closed(Won|Lost|Declined|Expired). New → New, Active, Closed; Active → Active, Closed; Closed → Closed.' },
  'transition.system_only': { title: 'Only Partner Center expires a referral', source: MANAGE, quote: "If you don't respond within the allotted time (currently 14 days), we'll archive it as Expired and notify either Microsoft or the partner who sent you this opportunity." },
  'terminal.locked': { title: 'Terminal states accept no change', source: MANAGE, quote: "No, deals can't be modified once they move into a terminal state. Expired, decline, won, and lost are terminal states where no further updates are possible to the deal." },
  'inbound.answer_only_while_received': { title: 'Accept or decline only while received', source: MANAGE, quote: 'Received stage … You can take two actions in this stage. accept or decline the referral.' },
  'inbound.response_window_closed': { title: 'Inbound referrals expire after 14 days without an answer', source: MANAGE, quote: "If you don't respond within the allotted time (currently 14 days), we'll archive it as Expired." },
  'close_reason.required': { title: 'Declining or losing needs a reason', source: CSV, quote: 'Declined/Lost reason: You are required to provide this information only if you are changing the sub status of your field to either Declined or Lost.' },
  'microsoft.decision_window_closed': { title: 'Microsoft sellers have 14 days to take up a co-sell request', source: MANAGE, quote: 'Microsoft sales representatives have 14 days to decide if they want to participate.' },
  'microsoft.read_only': { title: "Microsoft's status is read-only for partners", source: CSV, quote: 'Microsoft Referral Status: This is a read-only field. Any change made to this field while importing the data will be ignored.' },
  'actor.not_owner': { title: 'Each party changes only its own part of the deal', source: 'api:§1.7', quote: 'engagementId: several referrals share one engagement (e.g. partner + Microsoft side); each organisation owns its referral.' },
  'create.deal_name.required': { title: 'Deal name is mandatory', source: MANAGE, quote: 'Deal name | Mandatory | The friendly name to identify your deal at a later point of time.' },
  'create.location.required': { title: 'Location is mandatory', source: MANAGE, quote: 'Location | Mandatory | The MPN location scope of the referral.' },
  'create.value.required': { title: 'Estimated value is mandatory', source: MANAGE, quote: 'Estimated value | Mandatory | The value of the deal based on the information available while creating the deal.' },
  'create.currency.required': { title: 'Currency is mandatory', source: CSV, quote: 'Currency | Yes | The currency in which the deal value is entered.' },
  'create.close_date.required': { title: 'Estimated close date is mandatory', source: MANAGE, quote: 'Estimated close date | Mandatory | The date by which you expect to close the deal with the customer.' },
  'update.close_date.required': { title: 'The estimated close date cannot be emptied', source: MANAGE, quote: 'Estimated close date | Mandatory | The date by which you expect to close the deal with the customer.' },
  'create.customer.required': { title: 'Customer name, address line 1, city and country are mandatory', source: CSV, quote: 'Customer Name | Yes; Customer Address Line 1 | Yes; Customer City | Yes; Customer Country | Yes.' },
  'create.team.required': { title: 'At least one team member', source: MANAGE, quote: 'You will need to enter the name, phone number, and email address of the employee. These details are mandatory, and you need to have at least one contact with all the details entered for you to create a deal.' },
  'team.member_incomplete': { title: 'Team members need name, phone and email', source: MANAGE, quote: 'You will need to enter the name, phone number, and email address of the employee. These details are mandatory.' },
  'update.customer.required': { title: 'Customer name, address line 1, city and country cannot be emptied', source: CSV, quote: 'Customer Name | Yes; Customer Address Line 1 | Yes; Customer City | Yes; Customer Country | Yes. (Errors: "Errors if any related to the create/update operations w.r.t to the referrals".)' },
  'update.team.required': { title: 'The last team member cannot be removed', source: CSV, quote: 'Team member 1 | Yes | First name, Last name, mobile number, and email ID of the respective team member. (Errors: "Errors if any related to the create/update operations w.r.t to the referrals".)' },
  'update.solution.required': { title: 'The last solution cannot be removed', source: CSV, quote: 'Solution 1 | Yes | Solution ID (Required) … (Errors: "Errors if any related to the create/update operations w.r.t to the referrals", sample "Mandatory field Solution 1 missing".)' },
  'create.solution.required': { title: 'At least one solution', source: MANAGE, quote: 'This is a mandatory section where you must add at least one solution to create a deal.' },
  'consent.required': { title: 'A bulk CSV row needs consent to share contacts (bulk upload only)', source: CSV, quote: 'Consent to share Customer/Partner contact | Yes | … Deals will not be created or updated if you choose No for this column.' },
  'consent.contact_without_consent': { title: 'A customer contact is shared only with consent', source: MANAGE, quote: 'Be sure that you have obtained the customer’s consent to provide their contact information to Microsoft for the deal. Microsoft may use this information to contact the customer directly.' },
  'consent.contact_required_for_help': { title: 'Co-sell needs a customer contact, so it needs consent', source: MANAGE, quote: 'These details are optional and are required only if you are planning to invite Microsoft sales to help you with the engagement. … Be sure that you have obtained the customer’s consent to provide their contact information to Microsoft for the deal.' },
  'customer_contact.required_for_help': { title: 'A customer contact when Microsoft help is asked', source: MANAGE, quote: 'These details are optional and are required only if you are planning to invite Microsoft sales to help you with the engagement.' },
  'location.immutable': { title: 'Location cannot change after creation', source: MANAGE, quote: 'Location cannot be edited after creating the referral.' },
  'identity.immutable': { title: 'Identifiers and direction never change', source: 'api:§1.7', quote: 'id, engagementId, createdDateTime and direction are assigned by Partner Center when the referral is created.' },
  'invitation.inviter_cannot_change': { title: "The inviter cannot change a P2P invitation's close date or value", source: MANAGE, quote: 'It is a mandatory field and can be edited by the partner you are inviting after creating the deal. You can’t modify this field after creating the deal. … The invited partner can change this value after creating the deal. You cannot modify this field after creating the deal.' },
  'invitation.inbound_not_allowed': { title: 'No partner can be invited to an inbound deal', source: MANAGE, quote: 'Partners cannot be invited for deals in the Inbound tab.' },
  'invitation.initiator_only': { title: 'Only the company that initiated the deal invites partners', source: MANAGE, quote: 'Other partners can be invited only if your company initiated the deal.' },
  'invitation.solution_required': { title: 'Each invited partner gets at least one solution', source: MANAGE, quote: 'Add solutions: Add the solutions that you want the invited partner to bring to the table. At least one solution is mandatory.' },
  'invitation.cannot_withdraw': { title: 'An invitation cannot be withdrawn', source: 'api:§1.6', quote: 'Body is JSON Patch (RFC 6902). Only `replace` and `add` are supported. (§1.11: P2P invite fields can\'t be modified by the inviter after creation.)' },
  'invitation.after_completion': { title: 'Invitations only before the deal completes', source: MANAGE, quote: 'Both partners and Microsoft can be invited even after creating a deal, as long as it is prior to complete. (Note that complete includes won, lost, declined, and expired.)' },
  'deal_type.mismatch': { title: 'Deal type follows the help and sharing answers', source: MANAGE, quote: 'Private deal: No help required … and No for "Would you like Microsoft sellers to view this deal?"; Partner-led: No help required … and Yes; Co-sell: any option other than the default selection.' },
  'deal_type.help_requires_sharing': { title: 'Asking Microsoft for help shares the deal', source: 'api:§2.3', quote: 'Microsoft Partner Center Referral Visibility: Share with Microsoft sellers. Can’t be reverted once visible. Co-sell implies visible.' },
  'deal_type.no_downgrade': { title: 'Deal types only upgrade', source: MANAGE, quote: 'Combinations: Private → Co-sell / Partner-led; Partner-led → Co-sell; Partner to partner without Microsoft → Co-sell. You can always upgrade a private deal into a partner-led or active co-sell deal before the deal reaches a terminal state.' },
  'visibility.cannot_withdraw': { title: 'Visibility to Microsoft cannot be withdrawn', source: 'api:§1.9', quote: "A Private deal can be upgraded to partner-led or co-sell before a terminal state, but the visibility flag can't be reverted once visible." },
  'assessment.single_solution': { title: 'A solution assessment has exactly one assessment and nothing else', source: MANAGE, quote: 'Only one assessment type can be selected for a solution assessment deal and no other solutions can be added.' },
  'assessment.location_required': { title: "A solution assessment needs the assessment's location", source: MANAGE, quote: 'Once a solution assessment is selected, the partner has to choose the location for which the assessment is being created.' },
  'assessment.vetted_partners_only': { title: 'Only vetted partners create solution assessment deals', source: MANAGE, quote: 'Solution Assessment (SA) – These types of deals can be created only by a set of partners who are vetted by the solution assessments business team for performing technology assessments for customers using or planning to use Microsoft technologies.' },
  'assessment.stages_in_order': { title: 'A solution assessment passes every sales stage before Won', source: MANAGE, quote: 'Marking sales stage is also mandatory for solution assessment deals. Won button will be enabled only after all the sales stages are marked as complete by the partner.' },
  'sales_stage.won_requires_won_status': { title: 'The Won stage is the Won substatus', source: MANAGE, quote: 'Won | 100% | Marking the deal as won.' },
  'registration.won_within_72h': { title: 'Wait 72 hours between creation and Won on a registrable deal', source: MANAGE, quote: 'If the deal is eligible for deal registration, make sure that there is a gap of 72 hours between the deal creation and deal getting marked as won.' },
  'limits.solutions': { title: 'At most 50 solutions', source: CSV, quote: 'You can add up to 50 solutions to a deal.' },
  'limits.team': { title: 'At most 50 team members', source: CSV, quote: 'You can add up to 50 team members to a deal.' },
  'format.country': { title: 'Country is an ISO 3166 two-letter code', source: CSV, quote: 'Customer Country | Yes | Use the two letter country codes.' },
  'format.currency': { title: 'Currency is an ISO 4217 code', source: CSV, quote: 'Currency | Yes | You can find the currency codes here (ISO 4217).' },
  'format.email': { title: 'Email addresses are well formed', source: MANAGE, quote: 'You will need to enter the name, phone number, and email address of the employee.' },
  'format.phone': { title: 'Phone numbers are well formed', source: MANAGE, quote: 'You will need to enter the name, phone number, and email address of the employee.' },
  'format.value_positive': { title: 'The estimated value is a positive amount', source: 'api:§1.11', quote: 'Deal value must not be 0 or empty when updated from the CRM (connector note on calculated fields).' },
  'format.close_date': { title: 'The close date is a real calendar date', source: CSV, quote: 'Estimated Close Date … in the format MM/DD/YYYY. The date should be in UTC timezone.' },
  'format.duns': { title: 'D-U-N-S is a number', source: CSV, quote: 'Customer D-U-N-S ID | No | Try to fetch the DUNS ID of the customer organization (sample 81466849).' },
  'format.solution_amounts': { title: 'Solution price is not negative and quantity is a positive whole number', source: CSV, quote: 'Solution 1 | Yes | Solution ID (Required), The currency (Optional) …, Price of the SKU (Optional) and Quantity of the SKU (Optional).' },
} as const satisfies Record<string, RuleEntry>;

export type RuleCode = keyof typeof RULES;

export function ruleSource(code: string): RuleEntry | undefined {
  return (RULES as Record<string, RuleEntry>)[code];
}
