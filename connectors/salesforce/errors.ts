/**
 * The one place where Salesforce and jsforce failures become the typed errors of core/errors.ts, and
 * where per-record collection errors become CrmWriteResult codes. jsforce turns an error body
 * `[{message, errorCode, fields}]` into an Error with `errorCode` and `data` (wire-protocols.md §2.6);
 * token errors carry the OAuth `error` as `name` (§2.8).
 */
import {
  AuthError,
  BudgetPausedError,
  ConnectorError,
  NotFoundError,
  RateLimitError,
  RemoteValidationError,
  SetupMissingError,
  type ErrorContext,
} from '../../core/errors.js';
import { isOwnFieldName, missingOwnName } from './own-names.js';
import { AddressRefusedError, addressRefusalIn } from '../../core/http/address-guard.js';
import type { CrmWriteResult } from '../../core/engine/crm-port.js';

interface JsforceLikeError {
  name?: string;
  message?: string;
  errorCode?: string;
  code?: string;
  data?: { fields?: string[]; message?: string };
}

const AUTH_CODES = new Set(['INVALID_SESSION_ID', 'invalid_grant', 'invalid_client', 'invalid_client_id', 'unsupported_grant_type', 'INVALID_AUTH_HEADER']);
const VALIDATION_CODES = new Set([
  'REQUIRED_FIELD_MISSING', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'STRING_TOO_LONG',
  'INVALID_TYPE_ON_FIELD_IN_RECORD', 'DUPLICATE_VALUE', 'MALFORMED_ID', 'INVALID_FIELD', 'INVALID_FIELD_FOR_INSERT_UPDATE',
  'FIELD_INTEGRITY_EXCEPTION', 'JSON_PARSER_ERROR', 'MALFORMED_QUERY', 'INVALID_TYPE', 'DUPLICATES_DETECTED', 'INVALID_REPLICATION_DATE',
]);
const TRANSIENT_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'ERROR_HTTP_503', 'ERROR_HTTP_502', 'ERROR_HTTP_504', 'ERROR_HTTP_500', 'UNKNOWN_EXCEPTION', 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_QUERY_LOCATOR']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** The code Salesforce answers a Query More with when it no longer holds the locator (past its life, or one of too many open). */
export const EXPIRED_LOCATOR = 'INVALID_QUERY_LOCATOR';

/** Whether a failed query call (a connector error, or a jsforce one) was refused for an expired locator. */
export function isExpiredLocator(error: unknown): boolean {
  return (error as { context?: { serviceCode?: string } } | undefined)?.context?.serviceCode === EXPIRED_LOCATOR || errorCodeOf(error) === EXPIRED_LOCATOR;
}

export function errorCodeOf(error: unknown): string | undefined {
  const e = error as JsforceLikeError;
  // jsforce aborts a request that outlived its timeout (call-timeout.ts): no answer, as a network timeout is.
  if (e?.name === 'AbortError') return 'ETIMEDOUT';
  // OAuth errors carry their code as the name: an OAuth error code, or jsforce's `ERROR_HTTP_<status>` for an
  // answer that was not OAuth's JSON (an outage page): without it a 503 at sign-in read as refused credentials.
  const oauth = e?.name && (AUTH_CODES.has(e.name) || /^ERROR_HTTP_\d{3}$/.test(e.name)) ? e.name : undefined;
  return e?.errorCode ?? (e?.code && NETWORK_CODES.has(e.code) ? e.code : undefined) ?? oauth;
}

/** HTTP status implied by a jsforce error, for the shared retry policy. */
export function statusOf(error: unknown): number | undefined {
  const code = errorCodeOf(error);
  const http = /^ERROR_HTTP_(\d{3})$/.exec(code ?? '');
  if (http) return Number(http[1]);
  if (code === 'SERVER_UNAVAILABLE') return 503;
  if (code === 'UNKNOWN_EXCEPTION') return 500;
  if (code === 'REQUEST_LIMIT_EXCEEDED') return 403;
  if (code === 'INVALID_SESSION_ID') return 401;
  if (code === 'NOT_FOUND') return 404;
  if (code && VALIDATION_CODES.has(code)) return 400;
  return undefined;
}

/** Turns any failure of a Salesforce call into a typed connector error. `what` names the operation. */
/**
 * Field-level security answers a query naming a field the integration user cannot read exactly as for a
 * field that does not exist ("No such column 'Amount' on entity 'Opportunity'"): say so, since the field
 * usually exists (a standard one always does) and the fix is a permission, which `cosell check` names.
 */
function hiddenFieldHint(code: string, detail: string): string {
  const column = code === 'INVALID_FIELD' ? /No such column '([^']+)' on (?:entity|sobject of type) '?(\w+)'?/.exec(detail) : null;
  if (!column) return '';
  return `. ${column[2]}.${column[1]} may exist but be hidden from the integration user by field-level security (grant Read and Edit in its permission set); \`cosell check\` names every such field`;
}

/**
 * An outage or maintenance page (the login service answers its 503 with HTML, which jsforce hands on as the
 * message) told by its title: its markup went into every FAILED line, status row and admin email. Pure.
 */
function readableDetail(detail: string): string {
  if (!/^\s*</.test(detail)) return detail;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(detail)?.[1]?.trim();
  return `an HTML page${title ? ` ("${title}")` : ''} instead of an API answer`;
}

export function toConnectorError(error: unknown, what: string, context: ErrorContext = {}): ConnectorError {
  if (error instanceof ConnectorError) return error;
  // A connection the address guard refused (core/http/address-guard.ts): final and the config's exit code, as
  // Partner Center's and Dataverse's are; node-fetch keeps the refusal's code and words on its FetchError.
  const refused = addressRefusalIn(error);
  if (refused) return new AddressRefusedError('Salesforce', `call during ${what}`, refused, context);
  const e = error as JsforceLikeError;
  const code = errorCodeOf(error) ?? 'UNKNOWN';
  const detail = readableDetail(e?.message ?? String(error));
  const ctx: ErrorContext = { ...context, serviceCode: code, ...(statusOf(error) ? { status: statusOf(error) } : {}) };
  if (AUTH_CODES.has(code)) {
    return new AuthError(`Salesforce refused the connector's credentials during ${what} (${code}: ${detail})`, 'Check the connected app consumer key, the integration user, the certificate or client secret, then run `cosell check`', ctx, { cause: error });
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return new BudgetPausedError(`Salesforce's daily API limit is used up (REQUEST_LIMIT_EXCEEDED during ${what}); the sync pauses until the org's rolling 24-hour usage falls`, undefined, ctx);
  }
  const missing = code === 'INVALID_FIELD' || code === 'INVALID_TYPE' || code === 'NOT_FOUND' ? missingOwnName(detail) : undefined;
  if (missing) return new SetupMissingError('Salesforce', missing, 'cosell setup salesforce', `${code} during ${what}`, ctx);
  if (code === 'NOT_FOUND') return new NotFoundError(`Salesforce has no such resource during ${what}: ${detail}`, ctx);
  if (VALIDATION_CODES.has(code)) {
    const fields = e?.data?.fields?.length ? ` (fields: ${e.data.fields.join(', ')})` : '';
    return new RemoteValidationError(`Salesforce refused ${what}: ${code}: ${detail}${fields}${hiddenFieldHint(code, detail)}`, ctx);
  }
  if (code === 'ERROR_HTTP_429') return new RateLimitError(`Salesforce throttled ${what}`, undefined, ctx);
  const retryable = TRANSIENT_CODES.has(code) || NETWORK_CODES.has(code);
  return new ConnectorError(retryable ? 'transient' : 'salesforce_error', `Salesforce call failed during ${what}: ${code}: ${detail}`, retryable, ctx, { cause: error });
}

export interface CollectionError {
  statusCode: string;
  message: string;
  fields?: string[];
}

/** A per-record collection error as a write result that names the record, the field and the rule. */
export function itemFailure(key: string, record: string, errors: readonly CollectionError[], canonicalOf: (field: string) => string | undefined): Extract<CrmWriteResult, { ok: false }> {
  const first = errors[0] ?? { statusCode: 'UNKNOWN', message: 'Salesforce gave no reason' };
  const sfField = first.fields?.[0];
  const field = sfField ? (canonicalOf(sfField) ?? sfField) : undefined;
  const code: Extract<CrmWriteResult, { ok: false }>['code'] =
    TRANSIENT_CODES.has(first.statusCode) ? 'transient'
      : first.statusCode === 'ENTITY_IS_DELETED' || first.statusCode === 'INVALID_CROSS_REFERENCE_KEY' || first.statusCode === 'NOT_FOUND' ? 'not_found'
        : VALIDATION_CODES.has(first.statusCode) ? 'validation'
          : 'failed';
  const where = sfField ? ` field ${sfField}${field && field !== sfField ? ` (${field})` : ''}` : '';
  // A picklist of the connector's own refusing a value: an org set up by an older version, whose field
  // lacks a value this one writes (the sync state `closed`). Setup adds it; the seller cannot fix it.
  const olderSetup = first.statusCode === 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' && sfField !== undefined && isOwnFieldName(sfField);
  // Said first and short: the record's sync message holds 255 characters.
  const said = olderSetup ? `no value "${first.message.replace(/^.*restricted picklist field: /, '')}" (set up by an older connector): run \`cosell setup salesforce\`` : first.message;
  const message = `Salesforce ${record}${where}: ${said} [${first.statusCode}]`;
  return { key, ok: false, code, message, rule: first.statusCode, ...(field ? { field } : {}) };
}
