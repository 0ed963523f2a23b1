/**
 * Salesforce's error shapes. A failed REST call answers a JSON array of `{message, errorCode, fields}`;
 * an item inside an sObject Collections result uses `statusCode` instead of `errorCode`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 */
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
export const malformedQuery = (message: string) => new SfFault(400, 'MALFORMED_QUERY', message);
export const invalidField = (field: string, entity: string) =>
  new SfFault(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
export const jsonParseError = (message: string) => new SfFault(400, 'JSON_PARSER_ERROR', message);
