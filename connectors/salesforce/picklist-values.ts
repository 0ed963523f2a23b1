/**
 * Picklist values a newer connector writes that an existing install lacks (the sync state `closed`, added
 * after the field was made): setup adds them, check names them. The connector's picklists are restricted,
 * so a value the field lacks is refused on every write that carries it (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST),
 * which would fail the whole record's write. Values an admin added are kept: the field's values become
 * the connector's, then the admin's own, so nothing is deactivated; so are the field's label and help
 * text. (Values an admin deactivated are not in describe's active list and are not sent back.)
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
import type { CustomFieldSpec } from '../../mappings/custom-fields.salesforce.js';
import type { SalesforceClient } from './client.js';

/** An installed connector field: its spec, the object it is on, and its Tooling API ID. */
export interface InstalledField {
  spec: CustomFieldSpec;
  objectName: string;
  id: string;
}

type Described = Awaited<ReturnType<SalesforceClient['describe']>>;

const specValues = (spec: CustomFieldSpec): string[] => spec.metadata.valueSet?.valueSetDefinition.value.map((v) => v.fullName) ?? [];

const describedField = (described: Described, name: string) => described.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());

/** The active values the described field has, or undefined when the object does not show the field. */
function activeValues(described: Described, name: string): string[] | undefined {
  const field = describedField(described, name);
  return field ? (field.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value) : undefined;
}

/** `Object.Field: value, value` for each connector picklist lacking some of its values (none: all there). */
export function missingPicklistValues(specs: readonly CustomFieldSpec[], described: Described, objectName: string): { field: string; missing: string[] }[] {
  return specs.flatMap((spec) => {
    const have = activeValues(described, spec.name);
    if (!spec.metadata.valueSet || !have) return [];
    const missing = specValues(spec).filter((v) => !have.includes(v));
    return missing.length ? [{ field: `${objectName}.${spec.name}`, missing }] : [];
  });
}

/** Adds the missing values to each installed picklist; returns `Object.Field (+value, …)` for each it changed. */
export async function addMissingPicklistValues(client: SalesforceClient, fields: readonly InstalledField[]): Promise<string[]> {
  const picklists = fields.filter((f) => f.spec.metadata.valueSet);
  const changed: string[] = [];
  const byObject = new Map<string, Described>();
  for (const field of picklists) {
    if (!byObject.has(field.objectName)) byObject.set(field.objectName, await client.describe(field.objectName));
    const described = byObject.get(field.objectName)!;
    const [gap] = missingPicklistValues([field.spec], described, field.objectName);
    if (!gap) continue;
    const theirs = (activeValues(described, field.spec.name) ?? []).filter((v) => !specValues(field.spec).includes(v));
    const valueSet = field.spec.metadata.valueSet!;
    const values = [...valueSet.valueSetDefinition.value, ...theirs.map((v) => ({ fullName: v, label: v, default: false }))];
    // The Metadata replaces the field's whole definition: the label and help text an admin gave the field
    // are read back from describe and kept, or adding a value would reset them to the connector's.
    const now = describedField(described, field.spec.name);
    const kept = { ...(now?.label ? { label: now.label } : {}), ...(now?.inlineHelpText ? { inlineHelpText: now.inlineHelpText } : {}) };
    await client.toolingUpdate('CustomField', field.id, { FullName: gap.field, Metadata: { ...field.spec.metadata, ...kept, valueSet: { ...valueSet, valueSetDefinition: { ...valueSet.valueSetDefinition, value: values } } } });
    changed.push(`${gap.field} (+${gap.missing.join(', +')})`);
  }
  return changed;
}
