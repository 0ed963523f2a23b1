/**
 * Every Dataverse failure becomes a typed error of core/errors.ts here, and nowhere else: HTTP
 * statuses and Dataverse error codes (https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes)
 * for whole calls, and the per-item result codes for operations inside a `$batch`.
 */
import { isAxiosError } from 'axios';
import {
  AuthError, ConflictError, ConnectorError, NotFoundError, RateLimitError, RemoteValidationError, SetupMissingError, redactSecrets, type ErrorContext,
} from '../../core/errors.js';
import { entraErrorText } from '../../core/http/entra-error-text.js';
import { describeNetworkCode, parseRetryAfter, type FailureFacts } from '../../core/http/retry.js';
import { AddressRefusedError, addressRefusalIn } from '../../core/http/address-guard.js';
import type { CrmWriteResult } from '../../core/engine/crm-port.js';
import type { EntryResponse } from './batch-format.js';

export const DATAVERSE_CODES = {
  expiredVersionStamp: '0x80044352',
  concurrency: '0x80060882',
  duplicate: '0x80040237',
  notFound: '0x80040217',
  /** PrivilegeDenied, -2147220960 ("Principal user is missing privilege on OTC for entity"). */
  privilege: '0x80040220',
} as const;

export interface DataverseErrorBody {
  error?: { code?: string; message?: string };
}

/** The `{error:{code,message}}` of a Dataverse answer, if it has one. */
export function dataverseError(body: unknown): { code: string; message: string } | undefined {
  const error = (body as DataverseErrorBody | undefined)?.error;
  if (!error || typeof error !== 'object') return undefined;
  return { code: String(error.code ?? ''), message: redactSecrets(String(error.message ?? '')) };
}

/** Facts for the shared retry policy (core/http/retry.ts). */
export function describeFailure(error: unknown, idempotent: boolean): FailureFacts | undefined {
  if (!isAxiosError(error)) return undefined;
  if (error.response) {
    const retryAfter = error.response.headers['retry-after'] as string | undefined;
    return { status: error.response.status, ...(retryAfter !== undefined ? { retryAfter: String(retryAfter) } : {}), idempotent };
  }
  return { networkCode: error.code ?? 'ECONNRESET', idempotent };
}

/** msal-common's ClientAuthError codes for a token or discovery endpoint it could not reach or read (ClientAuthErrorCodes). */
const MSAL_UNREACHABLE: ReadonlySet<string> = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error', 'no_network_connectivity']);
/**
 * The OAuth errors Entra ID's token endpoint gives when it is busy or failing (identity platform error
 * codes: `temporarily_unavailable` "retry the request after a small delay"; RFC 6749 `server_error`), and
 * the AADSTS number msal names a request by while it holds requests back after such an answer (its
 * throttling cache re-raises the error codes, e.g. `90033`, "A transient error has occurred").
 */
const ENTRA_BUSY: ReadonlySet<string> = new Set(['temporarily_unavailable', 'server_error', '90033']);

/** What an admin does about refused application credentials; a new secret at its source needs no restart (client.ts). */
const SECRET_ACTION =
  'Check tenantId and clientId; for a client secret Entra ID calls expired or invalid, create a new one for the app in Entra ID and put it where crm > dynamics > clientSecret points (the next run reads it again)';

/** msal's words for an Entra ID answer, its error code once, without the answer's own ids and time. */
function entraDetail(name: string, error: unknown): string {
  const message = entraErrorText(String((error as Error)?.message ?? ''));
  if (!message) return name;
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

/** A property or entity set Dataverse says it does not know (web-api-client-errors), as the message names it. */
const UNKNOWN_NAME = /Could not find a property named '([a-z0-9_]+)'|Resource not found for the segment '([a-z0-9_]+)'/i;

/**
 * The connector's own column, table or relationship a Dataverse error says is missing: every name
 * `cosell setup dynamics` creates starts with the publisher prefix, which no name of Dataverse's own does.
 */
export function missingOwnName(message: string, publisherPrefix: string): string | undefined {
  const match = UNKNOWN_NAME.exec(message);
  const name = match?.[1] ?? match?.[2];
  return name?.toLowerCase().startsWith(publisherPrefix.toLowerCase()) ? name : undefined;
}

/** The error for a 400 or 404 that names one of the connector's own columns or tables: `cosell setup dynamics` has not run. */
export function setupMissing(status: number | undefined, message: string | undefined, what: string, publisherPrefix: string | undefined, context: ErrorContext): SetupMissingError | undefined {
  const missing = publisherPrefix && (status === 400 || status === 404) ? missingOwnName(message ?? '', publisherPrefix) : undefined;
  return missing ? new SetupMissingError('Dynamics 365', missing, 'cosell setup dynamics', `Dataverse answered ${status} while ${what}`, context) : undefined;
}

/**
 * Turns a failed call into the error the engine branches on. `what` says which call, e.g. "reading
 * opportunities"; `publisherPrefix` (the config's) tells the connector's own columns from any other.
 */
export function toConnectorError(error: unknown, what: string, context: ErrorContext = {}, publisherPrefix?: string): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (isAxiosError(error) && error.response) {
    const status = error.response.status;
    const remote = dataverseError(error.response.data);
    const ctx: ErrorContext = { ...context, status, ...(remote?.code ? { serviceCode: remote.code } : {}) };
    const detail = `Dataverse answered ${status} ${remote?.code ? `(${remote.code}) ` : ''}while ${what}: ${remote?.message ?? error.message}`;
    // Entra ID issued the token, so the secret was taken: Dataverse refuses a token for another environment
    // (its audience is environmentUrl) or an app registration that is not one of its application users.
    if (status === 401) return new AuthError(detail, 'Check crm > dynamics > environmentUrl (the token is issued for it, so it must be this environment\'s URL) and that the app registration is an application user of this environment', ctx);
    if (status === 403) return new AuthError(detail, privilegeAction(missingPrivilege(remote?.message)), ctx);
    if (status === 429) return new RateLimitError(detail, parseRetryAfter(error.response.headers['retry-after'] as string | undefined, Date.now()), ctx);
    if (status === 412) return new ConflictError(detail, ctx);
    const notSetUp = setupMissing(status, remote?.message, what, publisherPrefix, ctx);
    if (notSetUp) return notSetUp;
    if (status === 404) return new NotFoundError(detail, ctx);
    if (status === 400) return new RemoteValidationError(detail, ctx);
    if (status >= 300 && status < 400) {
      // Redirects are not followed (client.ts): the bearer token would go wherever Location points.
      const location = String(error.response.headers.location ?? '');
      const where = /^https?:\/\/[^/?#]+/i.exec(location)?.[0] ?? (location ? 'a relative location' : 'no location');
      return new ConnectorError('dataverse_failed', `Dataverse answered ${status}, a redirect to ${where}, while ${what}; redirects are not followed with the token. Check crm > dynamics > apiUrl and environmentUrl`, false, ctx);
    }
    return new ConnectorError('dataverse_failed', detail, status >= 500, ctx);
  }
  const refused = addressRefusalIn(error);
  if (refused) return new AddressRefusedError('Dataverse', `call while ${what}`, refused, context);
  if (isAxiosError(error)) return new ConnectorError('dataverse_unreachable', `Dataverse could not be reached while ${what}: ${error.code ? describeNetworkCode(error.code) : error.message}`, true, context);
  const name = (error as { errorCode?: string; name?: string })?.errorCode ?? (error as Error)?.name ?? 'error';
  if (MSAL_UNREACHABLE.has(name)) {
    // msal reports a failed fetch of the token or discovery endpoint as a ClientAuthError; nothing was refused.
    return new ConnectorError('entra_unreachable', `Could not reach Entra ID's token endpoint while ${what} (${entraDetail(name, error)}). Check tenantId or authority, and network access to it`, true, context, { cause: error });
  }
  if (ENTRA_BUSY.has(name) || ((error as { status?: number })?.status ?? 0) >= 500) {
    // Entra ID answered that it cannot issue a token now (a 5xx, "retry after a small delay"): nothing was refused.
    return new ConnectorError('entra_unavailable', `Entra ID could not issue a token while ${what} (${entraDetail(name, error)}); the sync tries again`, true, context, { cause: error });
  }
  if (/invalid_client|unauthorized_client|invalid_grant|ClientAuthError|ServerError/i.test(String(name)) || (error as Error)?.name?.includes('Auth')) {
    // Entra's own words tell an expired secret (AADSTS7000222) from a wrong one (AADSTS7000215) or an unknown app.
    return new AuthError(`Entra ID refused the Dataverse application's credentials while ${what} (${entraDetail(String(name), error)})`, SECRET_ACTION, context);
  }
  return new ConnectorError('dataverse_failed', `Unexpected failure while ${what}: ${redactSecrets(String((error as Error)?.message ?? error))}`, false, context);
}

/**
 * The privilege a 403 (0x80040220, "Principal user … is missing prvWriteOpportunity privilege … on OTC=3 …":
 * https://learn.microsoft.com/troubleshoot/power-platform/dataverse/user-permissions/client-errors) names.
 */
export function missingPrivilege(message: string | undefined): string | undefined {
  return /is missing (prv\w+) privilege/.exec(message ?? '')?.[1];
}

/** What an admin does about a refused privilege: the connector cannot sync until its role holds it. */
export function privilegeAction(privilege: string | undefined): string {
  const what = privilege ? `Add ${privilege} to the application user's security role` : "Give the application user a security role with the connector's privileges";
  return `${what} (\`cosell check\` lists every privilege the connector needs); the records held back sync on the next run after that`;
}

/**
 * A write of a `$batch` refused for a missing privilege is not about its record: every record would be
 * refused alike until an admin changes the role, so the run fails with an AuthError instead of parking
 * records. (A record-level access check that fails, "Principal with ID … does not have CreateAccess right(s)
 * for record …", -2147187962, is about one record and stays a per-record failure.) Undefined when none is.
 */
export function privilegeRefusal(entries: readonly EntryResponse[], what: string): AuthError | undefined {
  const answers = entries.flatMap((a) => (a.kind === 'operation' ? [a.response] : a.responses));
  const refused = answers.find((a) => a.status === 403 && dataverseError(a.body)?.code === DATAVERSE_CODES.privilege);
  if (!refused) return undefined;
  const remote = dataverseError(refused.body);
  const privilege = missingPrivilege(remote?.message);
  return new AuthError(
    `Dataverse answered 403 ${remote?.code ? `(${remote.code}) ` : ''}while ${what}: ${privilege ? `the application user lacks ${privilege}` : (remote?.message ?? 'access denied')}`,
    privilegeAction(privilege),
    { status: 403, ...(remote?.code ? { serviceCode: remote.code } : {}) },
  );
}

/** Maps a Dataverse column (of a table, when the message names one) to the canonical field path behind it. */
export type ColumnToPath = (column: string, table?: string) => string | undefined;

/**
 * The per-write result for an operation of a `$batch` that failed, naming the field (the canonical path
 * when the column is mapped) and Dataverse's error code as the rule.
 */
export function batchFailure(key: string, status: number, body: unknown, record: string, pathOf: ColumnToPath = () => undefined): CrmWriteResult {
  const remote = dataverseError(body);
  const message = `${record}: Dataverse answered ${status}${remote?.code ? ` (${remote.code})` : ''}: ${remote?.message ?? 'no error body'}`;
  const code: Extract<CrmWriteResult, { ok: false }>['code'] =
    status === 412 && remote?.code !== DATAVERSE_CODES.duplicate ? 'conflict'
      : status === 404 ? 'not_found'
        : status === 400 || status === 412 ? 'validation'
          : status === 429 || status === 503 || status >= 500 ? 'transient'
            : 'failed';
  const text = remote?.message ?? '';
  const attribute = /'([a-z0-9_]+)' attribute of the '([a-z0-9_]+)' entity/i.exec(text);
  const other = /property '([a-z0-9_]+)'|of ([a-z0-9_]+)\.([a-z0-9_]+)/i.exec(text);
  const column = attribute?.[1] ?? other?.[1] ?? other?.[3];
  const table = attribute?.[2] ?? other?.[2];
  const field = column ? (pathOf(column, table) ?? column) : undefined;
  const rule = remote?.code || `HTTP ${status}`;
  return { key, ok: false, code, message, rule, ...(field ? { field } : {}) };
}
