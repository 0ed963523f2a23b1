/**
 * The sandbox's internal request and response: one shape for requests that arrive over HTTP and for
 * the operations inside a `$batch`, so both go through the same code.
 */
export interface ApiRequest {
  method: string;
  /** Path after `/api/data/v9.2/`, not decoded (e.g. `opportunities(7f…)` or `EntityDefinitions(LogicalName='x')/Attributes`). */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** `http://127.0.0.1:PORT/api/data/v9.2/`: what links and OData-EntityId values start with. */
  serviceRoot: string;
  /** The systemuser the bearer token maps to. */
  callerId: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A Dataverse error, answered as `{"error":{"code","message"}}`. */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ODATA_HEADERS = { 'OData-Version': '4.0' };

export function errorResponse(error: DataverseError): ApiResponse {
  return { status: error.status, headers: { ...ODATA_HEADERS, ...error.headers }, body: { error: { code: error.code, message: error.message } } };
}

/** Error codes used by the sandbox (Dataverse's own hex codes where known; see README for sources). */
export const CODES = {
  notFound: '0x80040217',
  concurrency: '0x80060882',
  duplicate: '0x80040237',
  /**
   * An unknown property in the URL ($select, $filter, $orderby, $expand) is refused by the OData URI
   * parser with code 0x0, and an unknown property in a body by the payload reader, also with 0x0
   * (web-api-client-errors: "Could not find a property named…", "Invalid property … was found in entity").
   */
  propertyNotFound: '0x0',
  /** "Error identified in Payload provided by the user for Entity…" (web-api-client-errors). */
  payloadError: '0x80048d19',
  queryOption: '0x80060888',
  invalidArgument: '0x80040203',
  /** StringLengthTooLong: "A validation error occurred.  The length of the 'x' attribute of the 'y' entity exceeded …". */
  stringTooLong: '0x80044331',
  /** A synchronous plug-in threw InvalidPluginExecutionException: its message is the error's message. */
  pluginAborted: '0x80040265',
  expiredVersionStamp: '0x80044352',
  requestLimit: '0x80072322',
  concurrencyLimit: '0x80072326',
  privilege: '0x80040220',
} as const;
