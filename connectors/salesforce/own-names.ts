/**
 * The names `cosell setup salesforce` creates in the org, and the test whether a Salesforce answer says
 * one of them is missing: then the org is not set up yet, which differs from a query the connector got
 * wrong (an unrelated INVALID_FIELD stays a validation error).
 */
import { LEAD_CUSTOM_FIELDS } from '../../mappings/leads.salesforce.js';
import {
  INVITATION_OBJECT, INVITATION_OBJECT_FIELDS, INVITATION_RELATIONSHIP, OPPORTUNITY_FIELDS, SOLUTION_OBJECT, SOLUTION_OBJECT_FIELDS, SOLUTION_RELATIONSHIP,
} from '../../mappings/custom-fields.salesforce.js';

/** `Object.Field` of every custom field setup creates, lower-cased (Salesforce names are case-insensitive). */
const OWN_FIELDS = new Set([...OPPORTUNITY_FIELDS, ...LEAD_CUSTOM_FIELDS, ...SOLUTION_OBJECT_FIELDS, ...INVITATION_OBJECT_FIELDS].map((f) => `${f.object}.${f.name}`.toLowerCase()));
/** Setup's custom objects and their child relationships (as SOQL names them, with `__r`). */
const OWN_OBJECTS = new Set([SOLUTION_OBJECT, INVITATION_OBJECT, `${SOLUTION_RELATIONSHIP}__r`, `${INVITATION_RELATIONSHIP}__r`].map((n) => n.toLowerCase()));

/** Field names (without object) of setup's custom fields, lower-cased. */
const OWN_FIELD_NAMES = new Set([...OWN_FIELDS].map((f) => f.slice(f.indexOf('.') + 1)));

/** Whether `field` is one of the custom fields `cosell setup salesforce` creates (on any of its objects). */
export function isOwnFieldName(field: string): boolean {
  return OWN_FIELD_NAMES.has(field.toLowerCase());
}

const NO_SUCH_COLUMN = /No such column '([A-Za-z0-9_]+)' on (?:entity|sobject of type) '?([A-Za-z0-9_]+)/;
const NO_SUCH_OBJECT = /(?:sObject type|Didn't understand relationship) '([A-Za-z0-9_]+)'/;

/** The connector's own field or object a Salesforce error message says does not exist, as `Object.Field` or the object's name. */
export function missingOwnName(message: string): string | undefined {
  const column = NO_SUCH_COLUMN.exec(message);
  if (column) {
    const [, field, object] = column as unknown as [string, string, string];
    return OWN_FIELDS.has(`${object}.${field}`.toLowerCase()) ? `${object}.${field}` : undefined;
  }
  const object = NO_SUCH_OBJECT.exec(message)?.[1];
  if (object && OWN_OBJECTS.has(object.toLowerCase())) return object;
  return undefined;
}
