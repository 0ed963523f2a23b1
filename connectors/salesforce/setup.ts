/**
 * `setup` installs the connector's custom fields and the solutions object through the Tooling API, and
 * creates only what is missing, so a second run creates nothing. `check` verifies, without writing,
 * that the fields exist and the integration user can edit them, that every stage maps, and how much of
 * the daily API budget is left.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_entitydefinition.htm
 */
import { fieldMappingCheck } from './field-access.js';
import type { SalesforceFieldRow } from '../../mappings/fields.salesforce.js';
import type { StageDecision } from '../../mappings/stages.salesforce.js';
import type { CheckItem, CheckReport, SetupReport } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import {
  INVITATION_OBJECT, INVITATION_OBJECT_FIELDS, INVITATION_OBJECT_METADATA, OPPORTUNITY_FIELDS, SOLUTION_OBJECT, SOLUTION_OBJECT_FIELDS, SOLUTION_OBJECT_METADATA,
  type CustomFieldSpec,
} from '../../mappings/custom-fields.salesforce.js';
import { inList, quote } from './soql.js';
import { installListViews } from './views-setup.js';
import { addMissingPicklistValues, missingPicklistValues, type InstalledField } from './picklist-values.js';
import { gatherCheckItems } from '../check-items.js';
import { LEAD_CUSTOM_FIELDS } from '../../mappings/leads.salesforce.js';

/** The connector's own objects: solution rows and partner invitations, each master-detail to Opportunity. */
const CUSTOM_OBJECTS = [
  { name: SOLUTION_OBJECT, metadata: SOLUTION_OBJECT_METADATA, fields: SOLUTION_OBJECT_FIELDS, label: 'Solutions object' },
  { name: INVITATION_OBJECT, metadata: INVITATION_OBJECT_METADATA, fields: INVITATION_OBJECT_FIELDS, label: 'Partner invitations object' },
];

async function customObjectId(client: SalesforceClient, name: string): Promise<string | undefined> {
  const res = await client.toolingQuery<{ DurableId: string }>(`SELECT DurableId, QualifiedApiName FROM EntityDefinition WHERE QualifiedApiName = ${quote(name)}`);
  return res.records[0]?.DurableId;
}

/** The connector's fields already there, by `table.field` (lower case), with their Tooling API IDs. */
async function existingFields(client: SalesforceClient, tables: string[]): Promise<Map<string, string>> {
  const res = await client.toolingQuery<{ Id: string; DeveloperName: string; TableEnumOrId: string }>(
    `SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId IN ${inList(tables, quote)}`,
  );
  return new Map(res.records.map((r) => [`${r.TableEnumOrId}.${r.DeveloperName}__c`.toLowerCase(), r.Id]));
}

export async function runSetup(client: SalesforceClient): Promise<SetupReport> {
  const report: SetupReport = { created: [], alreadyPresent: [] };
  const objectIds: string[] = [];
  for (const object of CUSTOM_OBJECTS) {
    let id = await customObjectId(client, object.name);
    if (id) report.alreadyPresent.push(object.name);
    else {
      id = (await client.toolingCreate('CustomObject', { FullName: object.name, Metadata: object.metadata })).id;
      report.created.push(object.name);
    }
    objectIds.push(id);
  }
  const present = await existingFields(client, ['Opportunity', 'Lead', ...objectIds]);
  const installed: InstalledField[] = [];
  const install = async (spec: CustomFieldSpec, table: string) => {
    const fullName = `${spec.object}.${spec.name}`;
    const id = present.get(`${table}.${spec.name}`.toLowerCase());
    if (id) {
      report.alreadyPresent.push(fullName);
      installed.push({ spec, objectName: spec.object, id });
      return;
    }
    await client.toolingCreate('CustomField', { FullName: fullName, Metadata: spec.metadata });
    report.created.push(fullName);
  };
  for (const spec of OPPORTUNITY_FIELDS) await install(spec, 'Opportunity');
  for (const spec of LEAD_CUSTOM_FIELDS) await install(spec as CustomFieldSpec, 'Lead');
  for (const [i, object] of CUSTOM_OBJECTS.entries()) for (const spec of object.fields) await install(spec, objectIds[i]!);
  // A field made by an older connector may lack values this one writes (e.g. the sync state "closed").
  const updated = await addMissingPicklistValues(client, installed);
  if (updated.length) report.updated = updated;
  // The views filter on the fields just installed, so they come last.
  await installListViews(client, report);
  return report;
}

async function fieldsCheck(client: SalesforceClient, rows: readonly SalesforceFieldRow[]): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const opp = await client.describe('Opportunity');
  const oppFields = new Map(opp.fields.map((f) => [f.name.toLowerCase(), f]));
  const missing = OPPORTUNITY_FIELDS.filter((s) => !oppFields.has(s.name.toLowerCase())).map((s) => s.name);
  const readOnly = OPPORTUNITY_FIELDS.filter((s) => oppFields.get(s.name.toLowerCase()) && !oppFields.get(s.name.toLowerCase())!.updateable).map((s) => s.name);
  const values = missingPicklistValues(OPPORTUNITY_FIELDS, opp, 'Opportunity').map((g) => `${g.field} lacks ${g.missing.join(', ')}`);
  items.push({
    name: 'Connector fields on Opportunity',
    ok: missing.length === 0 && readOnly.length === 0 && values.length === 0,
    detail: missing.length
      ? `Missing: ${missing.join(', ')}. Run \`cosell setup salesforce\`.`
      : readOnly.length
        ? `The integration user cannot edit: ${readOnly.join(', ')}. Grant edit access in a permission set.`
        : values.length
          ? `Picklist values this connector writes are missing (writes carrying them are refused): ${values.join('; ')}. Run \`cosell setup salesforce\`.`
          : `${OPPORTUNITY_FIELDS.length} fields present and editable.`,
  });
  items.push(consentCheck(rows, oppFields));
  const account = await client.describe('Account');
  items.push(fieldMappingCheck(rows, oppFields, new Map(account.fields.map((f) => [f.name.toLowerCase(), f]))));
  // Object permissions the writes need: the integration user's profile or permission sets decide them.
  const contact = await client.describe('Contact');
  const role = await client.describe('OpportunityContactRole');
  const denied = [
    ...(opp.updateable ? [] : ['edit Opportunity']),
    ...(account.createable ? [] : ['create Account']),
    ...(contact.createable ? [] : ['create Contact']),
    ...(role.createable ? [] : ['create OpportunityContactRole']),
  ];
  items.push({ name: 'Object access', ok: denied.length === 0, detail: denied.length ? `The integration user cannot ${denied.join(', ')}.` : 'The integration user can edit opportunities and create accounts, contacts and contact roles.' });
  for (const object of CUSTOM_OBJECTS) {
    try {
      const described = await client.describe(object.name);
      const names = new Set(described.fields.map((f) => f.name.toLowerCase()));
      const absent = object.fields.filter((s) => !names.has(s.name.toLowerCase())).map((s) => s.name);
      items.push({ name: object.label, ok: absent.length === 0, detail: absent.length ? `${object.name} lacks ${absent.join(', ')}. Run \`cosell setup salesforce\`.` : `${object.name} present.` });
    } catch {
      items.push({ name: object.label, ok: false, detail: `${object.name} does not exist or is not visible. Run \`cosell setup salesforce\`.` });
    }
  }
  return items;
}

/** The consent field (issue 14): which field it is, and that the connector can read and write it. */
function consentCheck(rows: readonly SalesforceFieldRow[], oppFields: ReadonlyMap<string, { updateable: boolean }>): CheckItem {
  const row = rows.find((r) => r.canonical === 'consentToShareContacts');
  if (!row) return { name: 'Consent field', ok: false, detail: 'consentToShareContacts is switched off in fieldOverrides: no customer contact is ever sent and co-sell deals are parked. Map it to a checkbox.' };
  const field = oppFields.get(row.field.toLowerCase());
  if (!field) return { name: 'Consent field', ok: false, detail: `Opportunity.${row.field} does not exist. Run \`cosell setup salesforce\` or fix fieldOverrides.` };
  return {
    name: 'Consent field',
    ok: field.updateable,
    detail: field.updateable
      ? `Opportunity.${row.field}: customer contacts are sent only while it is ticked; synced both ways.`
      : `The integration user cannot edit Opportunity.${row.field}: inbound referrals could not record Partner Center's consent.`,
  };
}

function stageCheck(stageMap: ReadonlyMap<string, StageDecision>, active: ReadonlySet<string>, overridden: readonly string[]): CheckItem {
  const unmapped = [...stageMap].filter(([name, d]) => active.has(name) && !d.meaning).map(([name]) => name);
  const byProbability = [...stageMap].filter(([, d]) => d.source === 'probability').map(([name]) => name);
  // An override naming no stage of the org (a typo, another org's stage) maps nothing: the stage it was
  // meant for keeps its default, unseen, unless check says so.
  const unknown = overridden.filter((name) => !stageMap.has(name));
  const problems = [
    ...(unknown.length ? [`crm > salesforce > stageOverrides names ${unknown.map((s) => `"${s}"`).join(', ')}, not a stage of this org (names must match a stage exactly; the org has ${[...stageMap.keys()].map((s) => `"${s}"`).join(', ')}). Fix or remove ${unknown.length > 1 ? 'them' : 'it'}.`] : []),
    ...(unmapped.length ? [`Unmapped stages: ${unmapped.map((s) => `"${s}"`).join(', ')}. Add them to stageOverrides.`] : []),
  ];
  return {
    name: 'Stage mapping',
    ok: problems.length === 0,
    detail: problems.length
      ? problems.join(' ')
      : `All ${active.size} active stages map${byProbability.length ? `; by default probability: ${byProbability.join(', ')}` : ''}.`,
  };
}

async function budgetCheck(client: SalesforceClient, share: number): Promise<CheckItem> {
  const limits = await client.limits();
  const daily = limits.DailyApiRequests;
  if (!daily) return { name: 'API budget', ok: false, detail: 'Salesforce did not report DailyApiRequests.' };
  const used = daily.Max - daily.Remaining;
  const allowed = Math.floor(daily.Max * share);
  return {
    name: 'API budget',
    ok: used < allowed,
    detail: `${used.toLocaleString('en-US')} of ${daily.Max.toLocaleString('en-US')} daily API requests used; the connector pauses at ${allowed.toLocaleString('en-US')} (${Math.round(share * 100)}%).`,
  };
}

export async function runCheck(
  client: SalesforceClient,
  rows: readonly SalesforceFieldRow[],
  stages: () => Promise<{ stageMap: ReadonlyMap<string, StageDecision>; active: ReadonlySet<string>; overridden: readonly string[] }>,
  budgetShare: number,
): Promise<CheckReport> {
  const { items, attempt } = gatherCheckItems();
  const reached = await attempt('Sign-in', async () => {
    await client.connection();
    return { name: 'Sign-in', ok: true, detail: 'Signed in to Salesforce.' };
  });
  if (!reached) return { ready: false, items };
  await attempt('Connector fields on Opportunity', () => fieldsCheck(client, rows));
  await attempt('Stage mapping', async () => {
    const s = await stages();
    return stageCheck(s.stageMap, s.active, s.overridden);
  });
  await attempt('API budget', () => budgetCheck(client, budgetShare));
  return { ready: items.every((i) => i.ok), items };
}
