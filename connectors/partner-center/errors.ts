/**
 * Partner Center failures → the typed errors of `core/errors.ts`. Two pure functions:
 * - `failureFacts` tells the retry policy what happened (status, Retry-After, network code);
 * - `toPartnerCenterError` builds the error the engine sees once retrying is over.
 *
 * An AxiosError holds the request config, headers included, so it never leaves this module: the typed
 * error keeps only the status, the service's error code, target and nested `innerError` codes
 * (partner-center-api.md §1.12: "walk nested innerError codes; don't parse message"), the request ids,
 * and a message passed through `redactSecrets`. No cause is attached, so `util.inspect` cannot print it.
 */
import { isAxiosError, type AxiosError } from 'axios';
import { describeNetworkCode, type FailureFacts } from '../../core/http/retry.js';
import { AddressRefusedError, addressRefusalIn } from '../../core/http/address-guard.js';
import {
  AuthError,
  ConflictError,
  ConnectorError,
  NotFoundError,
  RateLimitError,
  RemoteValidationError,
  redactSecrets,
  type ErrorContext,
} from '../../core/errors.js';
import { LOGIN_COMMAND } from './config.js';

/** The service's own account of a failure, from the error body and response headers. */
export interface ServiceErrorDetails {
  status?: number;
  serviceCode?: string;
  target?: string;
  /** The first `innerError.code`: the service's specific reason (a rule code, in the sandbox). */
  innerErrorCode?: string;
  /** Every nested `innerError.code`, outermost first (several refusals chain this way). */
  innerErrorCodes?: string[];
  message?: string;
  /** The service's `request-id` response header. */
  requestId?: string;
  /** Our `client-request-id` for the attempt. */
  clientRequestId?: string;
  retryAfter?: string;
  networkCode?: string;
}

function header(error: AxiosError, name: string): string | undefined {
  const value: unknown = error.response?.headers?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : typeof value === 'number' ? String(value) : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const clean = (value: string | undefined): string | undefined => (value === undefined ? undefined : redactSecrets(value.slice(0, 1000)));

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Reads `{"error":{code,message,target,innerError{code,innerError…}}}`, and the flat
 * `{code, description}` shape other Partner Center APIs use (wire-protocols.md §6). Pure.
 */
export function parseErrorBody(body: unknown): Pick<ServiceErrorDetails, 'serviceCode' | 'target' | 'innerErrorCode' | 'innerErrorCodes' | 'message'> {
  const root = asRecord(body);
  if (!root) return typeof body === 'string' && body.trim() ? { message: redactSecrets(body.slice(0, 500)) } : {};
  const error = asRecord(root.error) ?? root;
  const innerErrorCodes: string[] = [];
  for (let inner = asRecord(error.innerError ?? error.innererror), depth = 0; inner && depth < 10; inner = asRecord(inner.innerError ?? inner.innererror), depth += 1) {
    const code = clean(str(inner.code));
    if (code) innerErrorCodes.push(code);
  }
  // Whatever the service says is echoed into our errors and logs: scrub it as if it held a token.
  const serviceCode = clean(str(error.code));
  const target = clean(str(error.target));
  const message = clean(str(error.message) ?? str(error.description) ?? str(root.error_description));
  return {
    ...(serviceCode ? { serviceCode } : {}),
    ...(target ? { target } : {}),
    ...(innerErrorCodes.length > 0 ? { innerErrorCode: innerErrorCodes[0], innerErrorCodes } : {}),
    ...(message ? { message } : {}),
  };
}

/** Everything safe to keep from an AxiosError. */
export function serviceErrorDetails(error: AxiosError): ServiceErrorDetails {
  const sent: unknown = error.config?.headers?.['client-request-id'];
  const requestId = header(error, 'request-id') ?? header(error, 'ms-request-id') ?? header(error, 'x-ms-request-id');
  const retryAfter = header(error, 'retry-after');
  return {
    ...(error.response ? { status: error.response.status } : {}),
    ...parseErrorBody(error.response?.data),
    ...(requestId ? { requestId } : {}),
    ...(typeof sent === 'string' ? { clientRequestId: sent } : {}),
    ...(retryAfter ? { retryAfter } : {}),
    ...(!error.response && error.code ? { networkCode: error.code } : {}),
  };
}

/** What the retry policy needs to know about one failed attempt; undefined = not an HTTP failure. */
export function failureFacts(error: unknown, idempotent: boolean): FailureFacts | undefined {
  if (!isAxiosError(error)) return undefined;
  const details = serviceErrorDetails(error);
  return {
    idempotent,
    ...(details.status !== undefined ? { status: details.status } : {}),
    ...(details.retryAfter !== undefined ? { retryAfter: details.retryAfter } : {}),
    ...(details.networkCode !== undefined ? { networkCode: details.networkCode } : {}),
  };
}

/** What the caller was doing, for the message and the error context. */
export interface OperationContext {
  operation: string;
  /** The referral id or CRM id concerned. */
  record?: string;
}

/** The typed error for a failure that will not be retried (any more). Pure. */
export function toPartnerCenterError(error: unknown, op: OperationContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (!isAxiosError(error)) {
    return new ConnectorError('partner_center_failed', `Partner Center ${op.operation} failed: ${(error as Error)?.message ?? String(error)}`, false, op.record ? { record: op.record } : {});
  }
  const refused = addressRefusalIn(error);
  if (refused) return new AddressRefusedError('Partner Center', `${op.operation}${op.record ? ` (${op.record})` : ''}`, refused, { operation: op.operation, ...(op.record ? { record: op.record } : {}) });
  const d = serviceErrorDetails(error);
  const context: ErrorContext = {
    operation: op.operation,
    ...(op.record ? { record: op.record } : {}),
    ...(d.status !== undefined ? { status: d.status } : {}),
    ...(d.serviceCode ? { serviceCode: d.serviceCode } : {}),
    ...(d.target ? { target: d.target } : {}),
    ...(d.innerErrorCode ? { innerErrorCode: d.innerErrorCode, innerErrorCodes: d.innerErrorCodes } : {}),
    ...(d.requestId ? { requestId: d.requestId } : {}),
    ...(d.clientRequestId ? { clientRequestId: d.clientRequestId } : {}),
  };
  const codes = [d.serviceCode, d.innerErrorCode].filter(Boolean).join('/');
  const said = `${d.status !== undefined ? `HTTP ${d.status}` : describeNetworkCode(d.networkCode)}${codes ? ` ${codes}` : ''}${d.message ? `: ${d.message}` : ''}`;
  const message = `Partner Center ${op.operation}${op.record ? ` (${op.record})` : ''} failed: ${said}`;
  switch (d.status) {
    case undefined:
      return new ConnectorError('network', message, true, context);
    case 401:
      return new AuthError(message, `Run \`${LOGIN_COMMAND}\``, context);
    case 403:
      return new AuthError(message, 'The signed-in user needs the Referrals Admin or Referrals User role in Partner Center', context);
    case 404:
      return new NotFoundError(message, context);
    case 412:
      return new ConflictError(message, context);
    case 409:
      // 409 is a concurrency conflict only when the service says so; otherwise the request is refused.
      return d.serviceCode === 'resourceModified' || d.serviceCode === 'preconditionFailed' ? new ConflictError(message, context) : new RemoteValidationError(message, context);
    case 429:
      return new RateLimitError(message, d.retryAfter ? Number(d.retryAfter) * 1000 || undefined : undefined, context);
    default:
      if (d.status >= 500 || d.status === 408) return new ConnectorError('service_unavailable', message, true, context);
      // http.ts follows no redirect (it would carry the bearer token to wherever Location points).
      if (d.status >= 300 && d.status < 400) return new ConnectorError('partner_center_failed', `${message}; a redirect is not followed with the token: check partnerCenter > baseUrl`, false, context);
      return new RemoteValidationError(message, context);
  }
}
