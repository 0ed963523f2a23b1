/**
 * The sandbox org's metadata: objects, fields and picklists, as `describe` reports them. Standard
 * objects follow the Salesforce Object Reference
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/). Custom
 * fields and objects do not exist until the Tooling API creates them, so the connector's setup is testable.
 */
export type FieldType =
  | 'id' | 'string' | 'textarea' | 'picklist' | 'multipicklist' | 'boolean' | 'double' | 'currency' | 'percent'
  | 'int' | 'date' | 'datetime' | 'reference' | 'email' | 'phone' | 'url';

export interface FieldDef {
  name: string;
  label: string;
  /** Help text shown beside the field (Metadata `inlineHelpText`, describe `inlineHelpText`). */
  inlineHelpText?: string;
  type: FieldType;
  length?: number;
  /** Required on create (not nillable, no default). */
  required?: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  picklist?: string[];
  restricted?: boolean;
  defaultValue?: unknown;
  referenceTo?: string;
  relationshipName?: string;
  externalId?: boolean;
  unique?: boolean;
  /** Master-detail: deleting the parent deletes this record. */
  cascadeDelete?: boolean;
  /** For a custom lookup: the child relationship name on the parent (`Cosell_Solutions__r`). */
  childRelationshipName?: string;
}

/**
 * A custom Long Text Area: describe calls it `textarea` like a Text Area, whose length is at most 255 (a Long
 * Text Area's is 256 to 131,072). Two or more of them in a SELECT cap its batches (query-pages.ts).
 * https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_customfields.htm
 */
export function isCustomLongText(f: FieldDef): boolean {
  return f.custom && f.type === 'textarea' && (f.length ?? 0) > 255;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /**
   * Which of create, update and delete the object supports: its "Supported Calls" in the object reference
   * (User: update but never delete; OpportunityStage, OpportunityHistory, ListView: none here).
   */
  operations: ObjectOperations;
  fields: Map<string, FieldDef>;
}

/** Writes an object supports (the REST verbs: POST is insert, PATCH update, DELETE delete). */
export interface ObjectOperations {
  insert: boolean;
  update: boolean;
  delete: boolean;
}

export const ALL_OPERATIONS: ObjectOperations = { insert: true, update: true, delete: true };
export const NO_OPERATIONS: ObjectOperations = { insert: false, update: false, delete: false };

type FieldSpec = Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>;

export function field(spec: FieldSpec): FieldDef {
  const readOnly = spec.type === 'id';
  return {
    label: spec.name.replace(/__c$/, '').replace(/_/g, ' '),
    createable: !readOnly,
    updateable: !readOnly,
    custom: spec.name.endsWith('__c'),
    ...spec,
  };
}

export const readOnly = (spec: FieldSpec): FieldDef => field({ ...spec, createable: false, updateable: false });

/** Fields every object has: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm */
function systemFields(): FieldDef[] {
  return [
    readOnly({ name: 'Id', type: 'id', label: 'Record ID' }),
    readOnly({ name: 'IsDeleted', type: 'boolean', label: 'Deleted' }),
    readOnly({ name: 'CreatedDate', type: 'datetime', label: 'Created Date' }),
    readOnly({ name: 'CreatedById', type: 'reference', referenceTo: 'User', relationshipName: 'CreatedBy' }),
    readOnly({ name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date' }),
    readOnly({ name: 'LastModifiedById', type: 'reference', referenceTo: 'User', relationshipName: 'LastModifiedBy' }),
    readOnly({ name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp' }),
  ];
}

export function objectDef(name: string, keyPrefix: string, fields: FieldDef[], opts: Partial<ObjectDef> = {}): ObjectDef {
  const all = [...systemFields(), ...fields];
  return {
    name,
    label: opts.label ?? name,
    labelPlural: opts.labelPlural ?? `${name}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    operations: opts.operations ?? ALL_OPERATIONS,
    fields: new Map(all.map((f) => [f.name.toLowerCase(), f])),
  };
}

export const owner = () => field({ name: 'OwnerId', type: 'reference', referenceTo: 'User', relationshipName: 'Owner' });

/** Salesforce's default stage picklist of a new org (wire-protocols.md §3.1). */
export const DEFAULT_STAGES = [
  { name: 'Prospecting', probability: 10, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Qualification', probability: 10, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Needs Analysis', probability: 20, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Value Proposition', probability: 50, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Id. Decision Makers', probability: 60, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Perception Analysis', probability: 70, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Proposal/Price Quote', probability: 75, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Negotiation/Review', probability: 90, forecast: 'Pipeline', isClosed: false, isWon: false },
  // The stages of a solution assessment sales process (mappings/assessment-stages.ts; the org of a
  // partner vetted for assessments would have such a process). Their probabilities are the process's
  // own, so only the stage table, not the probability default, places them.
  { name: 'Assessment Scoped', probability: 10, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Assessment In Progress', probability: 25, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Assessment Findings Delivered', probability: 50, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Assessment Next Steps Agreed', probability: 75, forecast: 'Pipeline', isClosed: false, isWon: false },
  { name: 'Closed Won', probability: 100, forecast: 'Closed', isClosed: true, isWon: true },
  { name: 'Closed Lost', probability: 0, forecast: 'Omitted', isClosed: true, isWon: false },
] as const;

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'AUD', 'CAD', 'INR', 'CHF', 'SEK', 'BRL'];

export function standardObjects(): ObjectDef[] {
  return [
    // Users are updated, never deleted (deactivated: IsActive false); creating one needs a profile, alias,
    // locale and time zone, which this sandbox does not model, so it refuses inserts.
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm
    objectDef('User', '005', [
      field({ name: 'Username', type: 'string', length: 80, required: true }),
      field({ name: 'FirstName', type: 'string', length: 40 }),
      field({ name: 'LastName', type: 'string', length: 80, required: true }),
      readOnly({ name: 'Name', type: 'string', length: 121 }),
      field({ name: 'Email', type: 'email', length: 128, required: true }),
      field({ name: 'Phone', type: 'phone', length: 40 }),
      field({ name: 'Title', type: 'string', length: 80 }),
      field({ name: 'IsActive', type: 'boolean', defaultValue: true }),
    ], { operations: { insert: false, update: true, delete: false } }),
    objectDef('Account', '001', [
      owner(),
      field({ name: 'Name', type: 'string', length: 255, required: true }),
      field({ name: 'BillingStreet', type: 'textarea', length: 255 }),
      field({ name: 'BillingCity', type: 'string', length: 40 }),
      field({ name: 'BillingState', type: 'string', length: 80 }),
      field({ name: 'BillingPostalCode', type: 'string', length: 20 }),
      field({ name: 'BillingCountry', type: 'string', length: 80 }),
      field({ name: 'Phone', type: 'phone', length: 40 }),
      field({ name: 'Website', type: 'url', length: 255 }),
      field({ name: 'Industry', type: 'picklist', picklist: ['Technology', 'Manufacturing', 'Retail', 'Healthcare', 'Finance', 'Education', 'Government', 'Other'] }),
      field({ name: 'DunsNumber', type: 'string', length: 9, label: 'D-U-N-S Number' }),
    ], { labelPlural: 'Accounts' }),
    objectDef('Contact', '003', [
      owner(),
      field({ name: 'AccountId', type: 'reference', referenceTo: 'Account', relationshipName: 'Account' }),
      field({ name: 'FirstName', type: 'string', length: 40 }),
      field({ name: 'LastName', type: 'string', length: 80, required: true }),
      readOnly({ name: 'Name', type: 'string', length: 121 }),
      field({ name: 'Email', type: 'email', length: 80 }),
      field({ name: 'Phone', type: 'phone', length: 40 }),
      field({ name: 'Title', type: 'string', length: 128 }),
      field({ name: 'MailingCountry', type: 'string', length: 80 }),
    ]),
    objectDef('Opportunity', '006', [
      owner(),
      field({ name: 'Name', type: 'string', length: 120, required: true }),
      field({ name: 'AccountId', type: 'reference', referenceTo: 'Account', relationshipName: 'Account' }),
      field({ name: 'Amount', type: 'currency' }),
      field({ name: 'CurrencyIsoCode', type: 'picklist', picklist: CURRENCIES, restricted: true, defaultValue: 'USD', label: 'Opportunity Currency' }),
      field({ name: 'CloseDate', type: 'date', required: true }),
      field({ name: 'StageName', type: 'picklist', required: true, restricted: true, label: 'Stage' }),
      field({ name: 'Probability', type: 'percent' }),
      readOnly({ name: 'IsClosed', type: 'boolean', label: 'Closed' }),
      readOnly({ name: 'IsWon', type: 'boolean', label: 'Won' }),
      readOnly({ name: 'ForecastCategoryName', type: 'picklist', picklist: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'] }),
      field({ name: 'Description', type: 'textarea', length: 32000 }),
      field({ name: 'NextStep', type: 'string', length: 255 }),
      field({ name: 'Type', type: 'picklist', picklist: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade', 'New Customer'] }),
      field({ name: 'LeadSource', type: 'picklist', picklist: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] }),
    ], { labelPlural: 'Opportunities' }),
    objectDef('OpportunityContactRole', '00K', [
      field({ name: 'OpportunityId', type: 'reference', referenceTo: 'Opportunity', relationshipName: 'Opportunity', required: true, updateable: false, cascadeDelete: true }),
      field({ name: 'ContactId', type: 'reference', referenceTo: 'Contact', relationshipName: 'Contact', required: true }),
      field({ name: 'Role', type: 'picklist', picklist: ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other'] }),
      field({ name: 'IsPrimary', type: 'boolean', defaultValue: false }),
    ]),
    objectDef('OpportunityTeamMember', '00q', [
      field({ name: 'OpportunityId', type: 'reference', referenceTo: 'Opportunity', relationshipName: 'Opportunity', required: true, updateable: false, cascadeDelete: true }),
      field({ name: 'UserId', type: 'reference', referenceTo: 'User', relationshipName: 'User', required: true, updateable: false }),
      field({ name: 'TeamMemberRole', type: 'picklist', picklist: ['Account Manager', 'Channel Manager', 'Executive Sponsor', 'Lead Qualifier', 'Pre-Sales Consultant', 'Sales Manager', 'Sales Rep', 'Other'] }),
      field({ name: 'OpportunityAccessLevel', type: 'picklist', picklist: ['Read', 'Edit', 'All'], defaultValue: 'Read' }),
      readOnly({ name: 'Name', type: 'string', length: 121 }),
      readOnly({ name: 'Title', type: 'string', length: 80 }),
    ], { label: 'Opportunity Team Member' }),
    // The stage history Salesforce keeps of every opportunity ("Represents the stage history of an
    // opportunity": a row when it is created and whenever Amount, Probability, StageName or CloseDate change).
    objectDef('OpportunityHistory', '008', [
      readOnly({ name: 'OpportunityId', type: 'reference', referenceTo: 'Opportunity', relationshipName: 'Opportunity', cascadeDelete: true }),
      readOnly({ name: 'StageName', type: 'string', length: 255 }),
      readOnly({ name: 'Amount', type: 'currency' }),
      readOnly({ name: 'CloseDate', type: 'date' }),
      readOnly({ name: 'Probability', type: 'percent' }),
      readOnly({ name: 'ForecastCategory', type: 'string', length: 40 }),
    ], { operations: NO_OPERATIONS, label: 'Opportunity History', labelPlural: 'Opportunity History' }),
    objectDef('OpportunityStage', '01J', [
      field({ name: 'MasterLabel', type: 'string', length: 255, required: true }),
      field({ name: 'ApiName', type: 'string', length: 255 }),
      field({ name: 'IsActive', type: 'boolean', defaultValue: true }),
      field({ name: 'IsClosed', type: 'boolean', defaultValue: false }),
      field({ name: 'IsWon', type: 'boolean', defaultValue: false }),
      field({ name: 'DefaultProbability', type: 'percent' }),
      field({ name: 'ForecastCategoryName', type: 'string', length: 40 }),
      field({ name: 'SortOrder', type: 'int' }),
    ], { operations: NO_OPERATIONS }),
  ];
}

/** Name of the child relationship a lookup field exposes on its parent (e.g. OpportunityContactRoles). */
export function childRelationshipName(child: ObjectDef, f: FieldDef): string | undefined {
  if (f.childRelationshipName) return f.childRelationshipName;
  if (f.name === 'OpportunityId' && child.name === 'OpportunityContactRole') return 'OpportunityContactRoles';
  if (f.name === 'OpportunityId' && child.name === 'OpportunityTeamMember') return 'OpportunityTeamMembers';
  if (f.name === 'AccountId' && child.name === 'Contact') return 'Contacts';
  if (f.name === 'AccountId' && child.name === 'Opportunity') return 'Opportunities';
  return undefined;
}
