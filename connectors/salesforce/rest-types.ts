/**
 * The Salesforce REST answers and requests the client passes on, as the REST API documents them: a query
 * page (Query / Query More), a Composite subrequest and its subresponse, an sObject Collections save result.
 * Shapes only; the client (client.ts) sends and receives them.
 */
export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

export interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}
