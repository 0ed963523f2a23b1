/**
 * How each canonical field syncs, as data: who owns it when both sides change it, and how it merges.
 *
 * Ownership (issue #6): Partner Center owns Microsoft's status, referral and engagement IDs, invitation
 * details, and whatever Microsoft or the other partner set; the CRM owns deal name, value, currency, close
 * date, stage, team, solutions and consent to share contacts (issue #14). `shared` fields fall to the
 * configured conflict policy, except notes, which merge without losing either side's text.
 *
 * Units: the merge compares "units", not raw fields: `status` is status + substatus + reason together
 * (one decision), `customerContact` is one person, `customer.*` members are separate.
 */
export type FieldOwner = 'crm' | 'partner-center' | 'shared';
export type MergeKind = 'scalar' | 'notes' | 'team' | 'solutions' | 'status' | 'invitations';

export interface SyncField {
  unit: string;
  owner: FieldOwner;
  kind: MergeKind;
  /** Where the unit may be written: both sides, or only from Partner Center into the CRM. */
  flows: 'both' | 'to-crm';
  /** Set by the connector itself to tie the two records together: never a seller's edit. */
  setByConnector?: true;
  /**
   * What a Partner Center user may empty (notes, campaign ID, the customer contact): Partner Center's answer is the
   * whole referral, so the unit missing there (where the base held one) was emptied and the CRM's is emptied
   * too. Not value or close date: Partner Center requires both (rules format.value_positive,
   * update.close_date.required). The customer contact is optional unless Microsoft's help is asked (seed:
   * "These details are optional and are required only if you are planning to invite Microsoft sales to
   * help", rule customer_contact.required_for_help), so a user may remove it.
   */
  clearable?: true;
}

export const SYNC_FIELDS: readonly SyncField[] = [
  { unit: 'dealName', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'value', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'currency', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'closeDate', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'salesStage', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'team', owner: 'crm', kind: 'team', flows: 'both' },
  { unit: 'solutions', owner: 'crm', kind: 'solutions', flows: 'both' },
  { unit: 'crmId', owner: 'crm', kind: 'scalar', flows: 'both', setByConnector: true },
  { unit: 'notes', owner: 'shared', kind: 'notes', flows: 'both', clearable: true },
  { unit: 'notesToMicrosoft', owner: 'shared', kind: 'notes', flows: 'both', clearable: true },
  { unit: 'marketingCampaignId', owner: 'shared', kind: 'scalar', flows: 'both', clearable: true },
  { unit: 'status', owner: 'shared', kind: 'status', flows: 'both' },
  { unit: 'helpType', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'shareWithMicrosoftSellers', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'favorite', owner: 'shared', kind: 'scalar', flows: 'both' },
  // Consent is the CRM's record of what the customer agreed to: a Partner Center value arrives with an
  // inbound referral and flows in, but when both sides change it the CRM's answer stands.
  { unit: 'consentToShareContacts', owner: 'crm', kind: 'scalar', flows: 'both' },
  { unit: 'customerContact', owner: 'shared', kind: 'scalar', flows: 'both', clearable: true },
  { unit: 'customer.name', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.addressLine1', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.addressLine2', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.city', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.state', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.postalCode', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.country', owner: 'shared', kind: 'scalar', flows: 'both' },
  { unit: 'customer.duns', owner: 'shared', kind: 'scalar', flows: 'both' },
  // The CRM says which partners to invite (a seller's action); Partner Center owns every detail after.
  { unit: 'invitations', owner: 'partner-center', kind: 'invitations', flows: 'both' },
  { unit: 'microsoft', owner: 'partner-center', kind: 'scalar', flows: 'to-crm' },
  // The MPN location is chosen on the CRM record at creation only (seed: "Location cannot be edited after
  // creating the referral"); afterwards Partner Center's value is written back over any change.
  { unit: 'location', owner: 'partner-center', kind: 'scalar', flows: 'to-crm' },
  { unit: 'referralId', owner: 'partner-center', kind: 'scalar', flows: 'to-crm' },
  { unit: 'engagementId', owner: 'partner-center', kind: 'scalar', flows: 'to-crm' },
];

/** Fields of the `status` unit: one decision, moved together. */
export const STATUS_UNIT_FIELDS = ['status', 'substatus', 'closeReason', 'closeNotes'] as const;
