/**
 * The "Field mapping" line of `cosell check`: every mapped field must be visible to the integration user,
 * and writable where the connector writes it. Salesforce leaves a field the user cannot read out of
 * describe and answers a query naming it "No such column" (field-level security), exactly as for a field
 * that does not exist: a standard field always exists, so its absence is field-level security; a custom
 * field may be either. Saying "does not exist, fix fieldOverrides" for a hidden Amount sent admins to the
 * wrong fix.
 */
import type { CheckItem } from '../../core/engine/crm-port.js';
import type { SalesforceFieldRow } from '../../mappings/fields.salesforce.js';

export interface DescribedField {
  updateable: boolean;
}

/** Pure: the check line from the mapping and the two objects' described fields (by lower-case name). */
export function fieldMappingCheck(rows: readonly SalesforceFieldRow[], opportunity: ReadonlyMap<string, DescribedField>, account: ReadonlyMap<string, DescribedField>): CheckItem {
  const hidden: string[] = [];
  const readOnly: string[] = [];
  for (const row of rows) {
    if (row.field.includes('.') && !row.field.startsWith('Account.')) continue;
    const [object, name, fields] = row.field.startsWith('Account.') ? ['Account', row.field.slice(8), account] : ['Opportunity', row.field, opportunity];
    const described = fields.get(name.toLowerCase());
    const label = `${object}.${name} (${row.canonical})`;
    if (!described) hidden.push(name.toLowerCase().endsWith('__c') ? `${label}: does not exist, or field-level security hides it` : `${label}: hidden by field-level security`);
    else if (row.direction === 'both' && !described.updateable) readOnly.push(label);
  }
  const problems = [
    ...(hidden.length ? [`The integration user cannot see ${hidden.join('; ')}. Grant Read and Edit on ${hidden.length > 1 ? 'these fields' : 'this field'} in the integration user's permission set (Field Permissions), run \`cosell setup salesforce\` for a missing custom field, or remap it in fieldOverrides.`] : []),
    ...(readOnly.length ? [`The integration user can read but not edit ${readOnly.join(', ')}: changes from Partner Center could not be written. Grant Edit in its permission set.`] : []),
  ];
  return { name: 'Field mapping', ok: problems.length === 0, detail: problems.length ? problems.join(' ') : `${rows.length} mapped fields exist.` };
}
