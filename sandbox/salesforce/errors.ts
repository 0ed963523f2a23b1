/**
 * Salesforce's error shapes. A failed REST call answers a JSON array of `{message, errorCode, fields}`;
 * an item inside an sObject Collections result uses `statusCode` instead of `errorCode`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
import { escapeRegExp } from '../common/regexp.js';
import type { ObjectDef, ObjectOperations } from './schema.js';

export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class SfFault extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    /** In a SOQL error, the query text the error is about (the caret goes under it); '' is the query's end. */
    readonly at?: string,
  ) {
    super(message);
  }

  body(): { message: string; errorCode: string; fields?: string[] }[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields.length ? { fields: this.fields } : {}) }];
  }
}

export const sfError = (statusCode: string, message: string, fields: string[] = []): SfError => ({ statusCode, message, fields });

export const notFound = () => new SfFault(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidType = (type: string) => new SfFault(404, 'NOT_FOUND', `The requested resource does not exist (sObject type '${type}' is not supported)`);
export const malformedQuery = (message: string, at?: string) => new SfFault(400, 'MALFORMED_QUERY', message, [], at);
export const invalidField = (field: string, entity: string, at?: string) =>
  new SfFault(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    [],
    at,
  );

/**
 * A SOQL error as Salesforce words it: the query's line, a caret under the token the error is about and
 * its position before the reason ("\nSELECT Naem FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such
 * column 'Naem' …"). The token is found as the first whole word of that text in the query; an error that
 * names none is answered as it is.
 */
export function locatedInQuery(soql: string, fault: SfFault): SfFault {
  if (fault.at === undefined) return fault;
  const escaped = escapeRegExp(fault.at);
  const found = fault.at === '' ? soql.length : soql.search(new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, 'i'));
  const index = Math.max(found, 0);
  // (lastIndexOf from -1 would still look at the first character, a line break there starting a line at 1.)
  const lineStart = index === 0 ? 0 : soql.lastIndexOf('\n', index - 1) + 1;
  const lineEnd = soql.indexOf('\n', index);
  const row = soql.slice(0, lineStart).split('\n').length;
  const column = index - lineStart + 1;
  const line = soql.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  return new SfFault(fault.status, fault.errorCode, `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${fault.message}`, fault.fields);
}
export const jsonParseError = (message: string) => new SfFault(400, 'JSON_PARSER_ERROR', message);

/** What Salesforce answers a write an object does not support ("entity type UserLicense does not support insert"). */
export function unsupportedOperation(def: ObjectDef, operation: keyof ObjectOperations): SfFault | undefined {
  return def.operations[operation] ? undefined : new SfFault(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support ${operation}`);
}

/** An upsert inserts or updates: the object must support both (the first one it lacks is named). */
export const UPSERT_OPERATIONS: readonly (keyof ObjectOperations)[] = ['insert', 'update'];

/** `def`, or the fault of the first of these writes it does not support, thrown. */
export function requireOperation(def: ObjectDef, ...operations: readonly (keyof ObjectOperations)[]): ObjectDef {
  for (const operation of operations) {
    const fault = unsupportedOperation(def, operation);
    if (fault) throw fault;
  }
  return def;
}
